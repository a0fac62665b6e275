"""Kind `api`: the vendors' JSON API over live data (sources.md §2.1).

Pages are numbered over data that changes while it is read: a case updated meanwhile
moves to the end and shifts the pages behind it, so page numbers alone can skip a
record. The reader therefore pages by key instead: it always asks for page 1 from the
update time of the last record it got (`capNhatTu` is inclusive) and drops the
(MaHoSo, NgayCapNhat) pairs already seen. Every record that sorts before the last one
received was on that same page, so nothing between two requests can be skipped; a
record updated meanwhile comes back later with its new time. Only when a whole page
shares one update time does it step through page numbers, re-reading that group until
two passes agree.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
import tenacity

from cchc.settings import LOCAL_TZ
from ingest.land import Parsed
from ingest.mapping import (
    EVENT_TYPES,
    Refs,
    check_procedure,
    check_storable,
    check_unit,
)
from ingest.problems import IngestError, RowProblem
from ingest.registry import Feed

#: Where a feed with no cursor starts reading.
BEGINNING = datetime(2000, 1, 1, tzinfo=LOCAL_TZ)
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})


class TransientAnswer(Exception):
    """An answer worth asking again for: a transient status, a timeout or a dropped
    connection (also one that breaks off in the middle of a page's body)."""

    def __init__(self, reason: str, retry_after: str | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff for transient API answers; `sleep` is injectable."""

    attempts: int = 8
    base_delay: float = 1.0
    max_delay: float = 120.0
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep

    def wait(self, state: tenacity.RetryCallState) -> float:
        """Seconds to wait after attempt `state.attempt_number`; a server's Retry-After
        (seconds or an HTTP date, RFC 9110 §10.2.3) wins over the exponential backoff."""
        error = state.outcome.exception() if state.outcome else None
        told = _retry_after_seconds(getattr(error, "retry_after", None))
        if told is not None:
            return min(told, self.max_delay)
        return tenacity.wait_exponential(multiplier=self.base_delay, max=self.max_delay)(state)

    def retrying(self) -> tenacity.Retrying:
        return tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(TransientAnswer),
            stop=tenacity.stop_after_attempt(self.attempts),
            wait=self.wait,
            sleep=self.sleep,
        )


def _retry_after_seconds(value: str | None) -> float | None:
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # unreadable: fall back to our own backoff
    if when.tzinfo is None:  # "-0000": a date in UTC whose sender did not say so
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def parse_instant(field: str, value: object) -> datetime | None:
    """An ISO 8601 time from the API as an aware datetime (no offset = local time)."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise RowProblem("unparseable_date", field, value, expected="ISO 8601") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL_TZ)


class ApiClient:
    """GET pages of one feed's API with its bearer token and the retry policy.

    One HTTP client (kept-alive connections) per feed window; usable as a context
    manager to close its connections at the end.
    """

    def __init__(self, feed: Feed, retry: RetryPolicy):
        self._feed = feed
        self._retry = retry
        self._http = httpx.Client(
            base_url=feed.base_url,
            headers={"Authorization": f"Bearer {feed.token()}", "Accept": "application/json"},
            timeout=retry.timeout,
            follow_redirects=True,
        )

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def page(self, since: datetime, page: int) -> list[dict]:
        """The records of one page (`duLieu`)."""
        params = {
            "capNhatTu": since.astimezone(LOCAL_TZ).isoformat(),
            "trang": page,
            "soLuong": self._feed.page_size,
        }
        request = self._http.build_request("GET", "/v1/hoso", params=params)
        body = self._get(request)
        try:
            records = json.loads(body)["duLieu"]
            if not isinstance(records, list):
                raise TypeError("duLieu is not a list")
        except (ValueError, KeyError, TypeError) as exc:
            raise IngestError(f"Unit {self._feed.unit_code}: {request.url} answered with a body"
                              f" that is not an API page ({exc})") from exc
        return records

    def _get(self, request: httpx.Request) -> bytes:
        unit = self._feed.unit_code
        try:
            return self._retry.retrying()(self._send, request)
        except tenacity.RetryError as exc:
            last = exc.last_attempt.exception()
            raise IngestError(
                f"Unit {unit}: {request.url} still failing after {self._retry.attempts}"
                f" attempts ({last}) / Đơn vị {unit}: API vẫn lỗi sau {self._retry.attempts}"
                f" lần thử ({last})"
            ) from last

    def _send(self, request: httpx.Request) -> bytes:
        """One attempt: the body of a 200, TransientAnswer for what may pass, IngestError
        for what will not."""
        unit = self._feed.unit_code
        try:
            response = self._http.send(request)
        except httpx.TransportError as exc:  # refused, reset, timed out, cut mid-body
            raise TransientAnswer(str(exc) or type(exc).__name__) from exc
        if response.status_code in (401, 403):
            raise IngestError(
                f"Unit {unit}: the API refused the token in {self._feed.token_env}"
                f" (HTTP {response.status_code}); renew the token, retrying will not help /"
                f" Đơn vị {unit}: API từ chối mã truy cập trong biến"
                f" {self._feed.token_env}; cần cấp lại mã"
            )
        if response.status_code in TRANSIENT_STATUSES:
            raise TransientAnswer(f"HTTP {response.status_code}",
                                  response.headers.get("Retry-After"))
        if not response.is_success:
            raise IngestError(f"Unit {unit}: {request.url} answered HTTP {response.status_code}")
        return response.content


def record_key(record: object) -> tuple[str, object]:
    """(MaHoSo, NgayCapNhat instant) of a record; an unparseable time is kept as text."""
    if not isinstance(record, dict):
        return str(record), None  # not a record at all: map_record quarantines it
    try:
        updated = parse_instant("NgayCapNhat", record.get("NgayCapNhat"))
    except RowProblem:
        updated = None
    return str(record.get("MaHoSo")), updated or str(record.get("NgayCapNhat"))


def read_window(client: ApiClient, since: datetime, page_size: int,
                seen: set[tuple[str, object]]) -> Iterator[dict]:
    """Every record updated at or after `since` not in `seen`, each (case, time) once.

    `seen` is updated as records are yielded, and forgets what can no longer come back: a
    request from `since` returns nothing updated before it, so the set holds one page and
    the group sharing the newest time, however long the window (memory stays bounded).
    """
    while True:
        records = client.page(since, 1)
        yield from _unseen(records, seen)
        if len(records) < page_size:
            return
        last = _last_time(records)
        if last is not None and last > since:
            since = last
            _forget_before(seen, since)
            continue
        # A whole page shares one update time: page numbers are the only way through.
        after = yield from _read_tie(client, since, page_size, seen)
        if after is None:
            return
        since = after
        _forget_before(seen, since)


def _forget_before(seen: set[tuple[str, object]], since: datetime) -> None:
    """Drop the keys updated before `since`; keys without a valid time are kept (they are
    the rare quarantined records, and nothing says where the API sorts them)."""
    seen.difference_update([key for key in seen if isinstance(key[1], datetime) and key[1] < since])


def _unseen(records: list[dict], seen: set[tuple[str, object]]) -> Iterator[dict]:
    for record in records:
        key = record_key(record)
        if key not in seen:
            seen.add(key)
            yield record


def _last_time(records: list[dict]) -> datetime | None:
    times = [k[1] for k in map(record_key, records) if isinstance(k[1], datetime)]
    return times[-1] if times else None


def _read_tie(client: ApiClient, at: datetime, page_size: int,
              seen: set[tuple[str, object]]):
    """Read the records sharing update time `at` by page number, scan after scan, until
    two scans find the same cases (an update during a scan shifts pages and changes the
    set); returns the update time after the group, or None at the end of the data."""
    previous: set[str] | None = None
    while True:
        members: set[str] = set()
        page, after = 1, None
        while True:
            records = client.page(at, page)
            members.update(code for code, t in map(record_key, records) if t == at)
            yield from _unseen(records, seen)
            last = _last_time(records)
            if len(records) < page_size:
                break
            if last is not None and last > at:
                after = last
                break
            page += 1
        if members == previous:
            return after
        previous = members


def _code(field: str, value: object, allowed: range, required: bool = False) -> int | None:
    if value is None:
        if required:
            raise RowProblem("missing_value", field)
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise RowProblem("bad_value", field, value)
    return value


def _required_text(field: str, value: object) -> str:
    if value is None or str(value).strip() == "":
        raise RowProblem("missing_value", field)
    return str(value).strip()


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def _events(record: dict) -> list[tuple]:
    events = record.get("QuaTrinhXuLy") or []
    if not isinstance(events, list):
        raise RowProblem("bad_value", "QuaTrinhXuLy", events)
    rows = []
    for no, event in enumerate(events, start=1):
        where = f"QuaTrinhXuLy[{no - 1}]"
        if not isinstance(event, dict):
            raise RowProblem("bad_value", where, event)
        kind = _required_text(f"{where}.Loai", event.get("Loai"))
        if kind not in EVENT_TYPES:
            raise RowProblem("bad_value", f"{where}.Loai", kind)
        at = parse_instant(f"{where}.ThoiDiem", event.get("ThoiDiem"))
        if at is None:
            raise RowProblem("missing_value", f"{where}.ThoiDiem")
        rows.append((no, _required_text("MaHoSo", record.get("MaHoSo")), kind, at,
                     parse_instant(f"{where}.NgayHenTraMoi", event.get("NgayHenTraMoi")),
                     _optional_text(event.get("DonViNhan")), _optional_text(event.get("LyDo"))))
    return rows


def map_record(record: dict, record_no: int, refs: Refs) -> Parsed:
    """An API record as a case with its events, or as a quarantined record.

    A record with a faulty event is quarantined whole, so the delivery reconciles per record.
    """
    item = Parsed("case", record_no, None, record)
    try:
        if not isinstance(record, dict):
            raise RowProblem("bad_value", "(record)", record)
        check_storable(record)
        applicant = record.get("ChuHoSo") or {}
        if not isinstance(applicant, dict):
            raise RowProblem("bad_value", "ChuHoSo", applicant)
        updated_at = parse_instant("NgayCapNhat", record.get("NgayCapNhat"))
        if updated_at is None:
            raise RowProblem("missing_value", "NgayCapNhat")
        item.case = (
            _required_text("MaHoSo", record.get("MaHoSo")),
            check_unit("MaDonVi", _required_text("MaDonVi", record.get("MaDonVi")), refs),
            check_procedure("MaTTHC", _required_text("MaTTHC", record.get("MaTTHC")), refs),
            _code("KenhThucHien", record.get("KenhThucHien"), range(1, 4)),
            parse_instant("NgayTiepNhan", record.get("NgayTiepNhan")),
            parse_instant("NgayHenTra", record.get("NgayHenTra")),
            parse_instant("NgayKetThucXuLy", record.get("NgayKetThucXuLy")),
            parse_instant("NgayTra", record.get("NgayTra")),
            _code("TrangThaiHoSo", record.get("TrangThaiHoSo"), range(1, 11), required=True),
            _code("ChuHoSo.LoaiDoiTuong", applicant.get("LoaiDoiTuong"), range(1, 3)),
            _optional_text(applicant.get("SoGiayTo")),
            _optional_text(applicant.get("HoTen")),
            _optional_text(applicant.get("SoDienThoai")),
            _code("ThanhToanTrucTuyen", record.get("ThanhToanTrucTuyen"), range(2)),
            _code("SoHoaKetQua", record.get("SoHoaKetQua"), range(2)),
            _code("DanhGia", record.get("DanhGia"), range(1, 4)),
            updated_at,
        )
        item.events = _events(record)
    except RowProblem as problem:
        item.case, item.events, item.problem = None, [], problem
    return item
