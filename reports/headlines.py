"""The report's opening sentences, written the way the provincial press reads the index:
who leads each league and with how many points, who climbed or fell most, which units
still hold overdue cases at year end, and the province's totals.
"""

from __future__ import annotations

from decimal import Decimal

from reports.bieu06 import total_row
from reports.data import ReportData
from reports.text import LEAGUE_LABELS, fmt_date, fmt_number, fmt_percent, fmt_score, join_names

# Beyond this many units the overdue sentence names the worst and counts the rest.
MAX_NAMED_UNITS = 8


def _rate(numerator: int, denominator: int) -> Decimal | None:
    return None if denominator == 0 else Decimal(numerator) * 100 / Decimal(denominator)


def province_sentence(data: ReportData) -> str:
    totals = total_row(data.unit_years)
    received_in_year = totals["received_online"] + totals["received_direct_postal"]
    online = _rate(totals["received_online"], received_in_year)
    on_time = _rate(totals["resolved_early"] + totals["resolved_on_time"], totals["resolved_total"])
    resolved = (
        "chưa giải quyết xong hồ sơ nào"
        if on_time is None
        else f"đã giải quyết {fmt_number(totals['resolved_total'])} hồ sơ, trong đó "
        f"{fmt_percent(on_time)} trước hạn và đúng hạn"
    )
    return (
        f"Năm {data.year}, toàn tỉnh tiếp nhận {fmt_number(received_in_year)} hồ sơ thủ tục "
        f"hành chính (trực tuyến {fmt_percent(online)}), cùng "
        f"{fmt_number(totals['carried_over'])} hồ sơ từ năm trước chuyển sang; {resolved}."
    )


def leader_sentence(data: ReportData, league: str) -> str | None:
    rows = data.leagues.get(league) or []
    if not rows:
        return None
    leaders = [r for r in rows if r["rank"] == rows[0]["rank"]]
    names = join_names([data.unit_name(r["ranking_unit_code"]) for r in leaders])
    together = " cùng" if len(leaders) > 1 else ""
    return (
        f"{LEAGUE_LABELS.get(league, league)}: {names}{together} dẫn đầu với "
        f"{fmt_score(leaders[0]['total_score'])} điểm, xếp loại "
        f"{leaders[0]['classification']}."
    )


def _lower_first(text: str) -> str:
    # "Khối UBND cấp huyện" mid-sentence: only the first letter drops its capital.
    return text[:1].lower() + text[1:]


def _movers(data: ReportData, league: str, climbing: bool) -> str | None:
    rows = [r for r in data.leagues.get(league) or [] if r["rank_change"]]
    rows = [r for r in rows if (r["rank_change"] > 0) == climbing]
    if not rows:
        return None
    best = max(abs(r["rank_change"]) for r in rows)
    movers = [r for r in rows if abs(r["rank_change"]) == best]
    verb, preposition = ("tăng", "lên") if climbing else ("giảm", "xuống")
    league_name = _lower_first(LEAGUE_LABELS.get(league, league))

    def moved(row: dict) -> str:
        return f"từ hạng {row['previous_rank']} {preposition} hạng {row['rank']}"

    if len(movers) == 1:
        row = movers[0]
        return (
            f"{data.unit_name(row['ranking_unit_code'])} {verb} {best} bậc ({moved(row)}), "
            f"{verb} nhiều nhất trong {league_name}."
        )
    names = join_names([f"{data.unit_name(r['ranking_unit_code'])} ({moved(r)})" for r in movers])
    return f"{names} cùng {verb} {best} bậc, {verb} nhiều nhất trong {league_name}."


def overdue_sentence(data: ReportData) -> str:
    overdue = sorted(
        (r for r in data.unit_years if r["pending_overdue"]),
        key=lambda r: (-r["pending_overdue"], data.unit_name(r["unit_code"])),
    )
    when = f"Tại thời điểm {fmt_date(data.cutoff_date)}"
    if not overdue:
        return f"{when}, không đơn vị nào còn hồ sơ quá hạn đang giải quyết."
    named = [
        f"{data.unit_name(r['unit_code'])} ({fmt_number(r['pending_overdue'])} hồ sơ)"
        for r in overdue[:MAX_NAMED_UNITS]
    ]
    if len(overdue) > MAX_NAMED_UNITS:
        named.append(f"{len(overdue) - MAX_NAMED_UNITS} đơn vị khác")
    total = sum(r["pending_overdue"] for r in overdue)
    return (
        f"{when}, {len(overdue)} đơn vị còn {fmt_number(total)} hồ sơ quá hạn đang giải "
        f"quyết: {join_names(named)}."
    )


def headlines(data: ReportData) -> list[str]:
    """The opening sentences, in reading order."""
    sentences: list[str | None] = [province_sentence(data)]
    for league in data.leagues:
        sentences += [
            leader_sentence(data, league),
            _movers(data, league, climbing=True),
            _movers(data, league, climbing=False),
        ]
    sentences.append(overdue_sentence(data))
    return [s for s in sentences if s]
