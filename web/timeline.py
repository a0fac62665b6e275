"""A case's life as dated steps: its own dates (fct_cases) and its events (fct_case_events)."""
from __future__ import annotations

from reports.text import fmt_date
from web.tables import CHANNEL_LABELS, TIMELINESS_LABELS

EVENT_LABELS = {
    "YEU_CAU_BO_SUNG": "Yêu cầu bổ sung hồ sơ",
    "NHAN_BO_SUNG": "Nhận hồ sơ bổ sung",
    "XIN_LOI": "Thư xin lỗi, hẹn lại ngày trả",
    "CHUYEN_LIEN_THONG": "Chuyển liên thông",
    "TAM_DUNG": "Tạm dừng xử lý",
    "TIEP_TUC": "Tiếp tục xử lý",
}


def timeline(case: dict, events: list[dict]) -> list[dict]:
    """Steps in date order; each has `date`, `label` and `detail` (Vietnamese)."""
    steps = [{"date": case["received_date"], "label": "Tiếp nhận hồ sơ",
              "detail": f"Kênh {CHANNEL_LABELS.get(case['channel'], case['channel'])}; hẹn trả {fmt_date(case['original_due_date'])}"}]
    for event in events:
        details = []
        if event["new_appointment_date"]:
            details.append(f"hẹn trả mới {fmt_date(event['new_appointment_date'])}")
        if event["receiving_unit_code"]:
            details.append(f"đơn vị nhận {event['receiving_unit_code']}")
        steps.append({"date": event["event_date"],
                      "label": EVENT_LABELS.get(event["event_type"], event["event_type"]),
                      "detail": "; ".join(details)})
    if case["due_date"]:
        steps.append({"date": case["due_date"], "label": "Hạn giải quyết (cuối cùng)",
                      "detail": f"đã cộng {case['paused_working_days'] or 0} ngày làm việc tạm dừng"})
    if case["terminal_date"]:
        outcome = TIMELINESS_LABELS.get(case["timeliness"], "")
        late = f", trễ {case['working_days_late']} ngày làm việc" if case["working_days_late"] else ""
        steps.append({"date": case["terminal_date"], "label": "Kết thúc xử lý",
                      "detail": f"{outcome}{late}"})
    return sorted(steps, key=lambda s: (s["date"] is None, s["date"]))
