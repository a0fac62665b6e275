"""An emulator of the vendors' case API (sources.md §2.1), with switchable faults.

It serves `GET /<unit_code>/v1/hoso?capNhatTu=&trang=&soLuong=` from
`<dataset_dir>/<unit_code>.jsonl` (one API record per line): records with
`NgayCapNhat >= capNhatTu` (compared as instants), ordered by `NgayCapNhat` then
`MaHoSo`, paged by page number over the live data, exactly as the real platforms do.

Faults (`Faults`, changeable while serving): 401 for chosen units, 429 with Retry-After
for the next N requests, chosen statuses on a given page, pages whose body breaks off
halfway, and a case updated between two pages (it moves to the end, shifting the pages behind it: the live-paging hazard).

    python -m sampledata.api_emulator <dataset_dir> --port 18080 --token-env-prefix API_TOKEN_

serves every `<unit>.jsonl` of the folder; with a prefix, unit H99.S01's token is read
from `API_TOKEN_H99_S01`.
"""
from __future__ import annotations

import argparse
import bisect
import contextlib
import copy
import json
import os
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, urlsplit

_PATH = re.compile(r"^/(?P<unit>[A-Za-z0-9._-]{1,32})/v1/hoso$")


#: Marks an answer whose body `_send` cuts off (never sent as a header).
_CUT_BODY = "x-emulator-cut-body"


@dataclass
class Faults:
    """What the emulator does wrong; the emulator consumes one-shot faults as they fire."""

    unauthorized_units: set[str] = field(default_factory=set)
    throttle_requests: int = 0          # the next N requests answer 429
    retry_after: int | str = 1          # the 429's Retry-After: seconds, or an HTTP date
    cut_body_requests: int = 0          # the next N pages break off halfway through the body
    page_errors: dict[int, list[int]] = field(default_factory=dict)  # page → statuses, in turn
    fail_after_requests: int | None = None  # once this many were answered, fail the rest …
    fail_status: int = 503                  # … with this status (an outage mid-window)
    update_after_page: int | None = None  # after serving this page, update one case …
    update_after_request: int | None = None  # … or after this many requests of the unit …
    update_case: str | None = None        # … this one (default: the first in the order)


@dataclass(frozen=True)
class Request:
    """One request the emulator answered (for tests to inspect)."""

    unit: str
    query: dict[str, str]
    status: int


def _instant(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"time without offset: {text}")
    return parsed


def _api_order(record: dict) -> tuple[datetime, str]:
    return _instant(record["NgayCapNhat"]), record["MaHoSo"]


class ApiEmulator:
    """A context manager serving the dataset on a background thread."""

    def __init__(self, dataset_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 0,
                 tokens: dict[str, str] | None = None, faults: Faults | None = None):
        self.dataset_dir = Path(dataset_dir)
        self.tokens = tokens        # None: any bearer token is accepted
        self.faults = faults or Faults()
        self.requests: list[Request] = []
        self._served: Counter[str] = Counter()  # requests answered, by unit
        self._records: dict[str, list[dict]] = {}
        # Each unit's records' (NgayCapNhat, MaHoSo), in API order: a page is found by
        # bisection, not a pass over the unit's records (a 10 M-case province has units of
        # up to 563 k records and ingest asks for them 500 at a time).
        self._order: dict[str, list[tuple[datetime, str]]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def base_url_for(self, unit_code: str) -> str:
        """The `base_url` of a unit's feed, as sources.yml would name it."""
        host = self._server.server_address[0]
        return f"http://{host}:{self.port}/{unit_code}"

    def __enter__(self) -> Self:
        # A short poll keeps shutdown quick (tests start and stop many emulators).
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join()

    def records(self, unit: str) -> list[dict]:
        """The unit's current records, in API order (loaded on first use). Read them only:
        `replace_records` and `add_records` change them."""
        if unit not in self._records:
            lines = self._dataset(unit).read_text(encoding="utf-8").splitlines()
            self._keep(unit, [json.loads(line) for line in lines if line.strip()])
        return self._records[unit]

    def replace_records(self, unit: str, records: list[dict]) -> None:
        """Serve these records for the unit from now on (tests change the live data)."""
        with self._lock:
            self._keep(unit, list(records))

    def add_records(self, unit: str, records: list[dict]) -> None:
        """New or updated records of the unit, served from the next request on."""
        with self._lock:
            self._keep(unit, self.records(unit) + list(records))

    def _keep(self, unit: str, records: list[dict]) -> None:
        records.sort(key=_api_order)
        self._records[unit] = records
        self._order[unit] = [_api_order(r) for r in records]

    def _dataset(self, unit: str) -> Path:
        return self.dataset_dir / f"{unit}.jsonl"

    def answer(self, unit: str, query: dict[str, str], authorization: str | None):
        """(status, headers, body) for one request; the heart of the emulator."""
        with self._lock:
            status, headers, body = self._answer(unit, query, authorization)
            self.requests.append(Request(unit, query, status))
            self._served[unit] += 1
            return status, headers, body

    def _answer(self, unit: str, query: dict[str, str], authorization: str | None):
        faults = self.faults
        expected = None if self.tokens is None else self.tokens.get(unit)
        if unit in faults.unauthorized_units or (
                self.tokens is not None and authorization != f"Bearer {expected}"):
            return 401, {}, {"loi": "Mã truy cập không hợp lệ hoặc đã hết hạn"}
        if faults.throttle_requests > 0:
            faults.throttle_requests -= 1
            return 429, {"Retry-After": str(faults.retry_after)}, {"loi": "Quá nhiều yêu cầu"}
        try:
            since = _instant(query.get("capNhatTu", "1970-01-01T00:00:00+00:00"))
            page = int(query.get("trang", "1"))
            size = int(query.get("soLuong", "500"))
            if page < 1 or size < 1:
                raise ValueError("trang and soLuong start at 1")
        except ValueError as exc:
            return 400, {}, {"loi": f"Tham số không hợp lệ: {exc}"}
        served = self._served[unit]
        if faults.fail_after_requests is not None and served >= faults.fail_after_requests:
            return faults.fail_status, {}, {"loi": "Dịch vụ tạm thời gián đoạn"}
        if faults.page_errors.get(page):
            return faults.page_errors[page].pop(0), {}, {"loi": "Lỗi máy chủ tạm thời"}
        if unit not in self._records and not self._dataset(unit).is_file():
            return 404, {}, {"loi": f"Không có đơn vị {unit}"}
        records = self.records(unit)
        # (since,) sorts before every (since, MaHoSo): the first record updated at or after it.
        first = bisect.bisect_left(self._order[unit], (since,))
        start = first + (page - 1) * size
        # A copy: a later update must not change a page already answered.
        body = {"tongSo": len(records) - first, "trang": page, "soLuong": size,
                "duLieu": copy.deepcopy(records[start: start + size])}
        if faults.update_after_page == page:
            faults.update_after_page = None
            self._update(unit, faults.update_case)
        elif faults.update_after_request == served + 1:
            faults.update_after_request = None
            self._update(unit, faults.update_case)
        if faults.cut_body_requests > 0:
            faults.cut_body_requests -= 1
            return 200, {_CUT_BODY: "1"}, body
        return 200, {}, body

    def _update(self, unit: str, case_code: str | None) -> None:
        """Change one case now: its NgayCapNhat becomes the latest, so it moves to the end."""
        records = self.records(unit)
        target = next((r for r in records if case_code in (None, r["MaHoSo"])), None)
        if target is None:
            return
        latest = self._order[unit][-1][0]
        target["NgayCapNhat"] = (latest + timedelta(minutes=1)).isoformat()
        self._keep(unit, records)

    def _handler_class(self):
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                match = _PATH.match(url.path)
                if not match:
                    self._send(404, {}, {"loi": "Không tìm thấy"})
                    return
                # parse_qs turns an unencoded '+' of '+07:00' into a space; undo that.
                query = {k: v[0].replace(" ", "+") for k, v in parse_qs(url.query).items()}
                self._send(*emulator.answer(match["unit"], query,
                                            self.headers.get("Authorization")))

            def _send(self, status: int, headers: dict[str, str], body: dict) -> None:
                try:
                    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                except UnicodeEncodeError:
                    # A lone surrogate has no UTF-8 form: JSON carries it as a \udXXX escape.
                    data = json.dumps(body).encode("ascii")
                cut = headers.pop(_CUT_BODY, None) is not None
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if cut:  # the connection drops mid-page: half the promised bytes, then closed
                    self.wfile.write(data[: len(data) // 2])
                    self.close_connection = True
                    return
                self.wfile.write(data)

            def log_message(self, format, *args) -> None:
                pass  # tests and the command line do not need an access log

        return Handler


def tokens_from_env(dataset_dir: Path, prefix: str) -> dict[str, str]:
    """{unit: token} for every `<unit>.jsonl`, from `<prefix><unit with _ for .->`."""
    tokens = {}
    for path in sorted(dataset_dir.glob("*.jsonl")):
        variable = prefix + re.sub(r"[^A-Za-z0-9]", "_", path.stem)
        if os.environ.get(variable):
            tokens[path.stem] = os.environ[variable]
    return tokens


def main(argv: list[str] | None = None) -> None:
    """Serve a dataset folder until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset_dir", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--token-env-prefix", default=None,
                        help="read each unit's token from <prefix><UNIT_CODE>; "
                             "without it any bearer token is accepted")
    args = parser.parse_args(argv)
    tokens = (tokens_from_env(args.dataset_dir, args.token_env_prefix)
              if args.token_env_prefix else None)
    with ApiEmulator(args.dataset_dir, args.host, args.port, tokens=tokens) as emulator:
        units = sorted(p.stem for p in args.dataset_dir.glob("*.jsonl"))
        for unit in units:
            print(emulator.base_url_for(unit), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
