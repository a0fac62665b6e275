"""Kind `csv`: daily `hoso_YYYYMMDD.csv` / `sukien_YYYYMMDD.csv` files (sources.md §2.2).

A file loads only once its `.ok` marker holds its number of data records (a quoted
field may hold a line break, so records, not lines, are counted). Files are streamed:
one pass counts, a second maps.
"""
from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ingest.columns import Mapped, apply_rule, null_mask, positions, strings
from ingest.land import Parsed
from ingest.mapping import (
    CASE_COLUMNS,
    CASE_HEADERS,
    CASE_RULES,
    EVENT_COLUMNS,
    EVENT_HEADERS,
    EVENT_RULES,
    OPTIONAL_CASE_HEADERS,
    Refs,
    check_header,
    check_storable,
    clean,
    map_case_row,
    map_event_row,
    nfc,
)
from ingest.problems import DeliveryProblem, RowProblem, not_loaded, rejected
from ingest.sources import FileDelivery

_NAME = re.compile(r"^(hoso|sukien)_(\d{8})\.csv$")
_KINDS = {"hoso": "cases", "sukien": "events"}


def discover(folder: Path) -> list[FileDelivery]:
    """The CSV deliveries in a drop folder, by day, cases before events.

    Other files (markers, temporary files, names without a valid day) are not deliveries.
    """
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if not match:
            continue
        try:
            day = datetime.strptime(match.group(2), "%Y%m%d").date()
        except ValueError:
            continue
        found.append(FileDelivery(path, _KINDS[match.group(1)], day, day))
    return sorted(found, key=lambda d: (d.day, d.record_kind, d.name))


def _records(path: Path, encoding: str,
             decoded: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, fields) of each non-blank record, decoding as it streams;
    from `decoded`, the whole file already decoded, when given."""
    line_no = 0
    try:
        with (io.StringIO(decoded, newline="") if decoded is not None else
              io.TextIOWrapper(path.open("rb"), encoding=encoding, newline="")) as text:
            reader = csv.reader(text, delimiter=";", quotechar='"')
            for fields in reader:
                start, line_no = line_no + 1, reader.line_num
                if fields and any(f.strip() for f in fields):
                    yield start, [nfc(f) for f in fields]
    except UnicodeDecodeError as exc:
        raise rejected(
            f"{path.name}: cannot be decoded as {encoding} near line {line_no + 1}"
            f" ({exc.reason}); wrong encoding or not a CSV file",
            f"{path.name}: không giải mã được theo bảng mã {encoding} gần dòng {line_no + 1};"
            " sai bảng mã hoặc không phải tệp CSV",
        ) from exc
    except csv.Error as exc:
        raise rejected(
            f"{path.name}: not a readable CSV file near line {line_no + 1} ({exc})",
            f"{path.name}: không phải tệp CSV đọc được (gần dòng {line_no + 1})",
        ) from exc


def _marker_count(delivery: FileDelivery) -> int:
    """The record count the `.ok` marker holds; `not_loaded` when it is absent or not a count."""
    marker = delivery.path.with_name(delivery.name + ".ok")
    name = delivery.name
    try:  # opened without a stat first: on a busy disk each system call shows per file
        text = marker.read_text(encoding="ascii", errors="replace").strip()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise not_loaded(
            f"{name}: no {marker.name} marker yet (still being written or cut short)",
            f"{name}: chưa có tệp đánh dấu {marker.name} (tệp đang ghi hoặc bị thiếu)",
        ) from None
    if not text.isdigit():
        raise not_loaded(
            f"{name}: {marker.name} does not hold a record count (holds '{text[:20]}')",
            f"{name}: {marker.name} không ghi số bản ghi (nội dung '{text[:20]}')",
        )
    return int(text)


def _check_count(delivery: FileDelivery, expected: int, actual: int) -> None:
    if actual != expected:
        name, marker = delivery.name, delivery.name + ".ok"
        raise not_loaded(
            f"{name}: {marker} says {expected} records but the file holds {actual}"
            " (cut short or still being written)",
            f"{name}: {marker} ghi {expected} bản ghi nhưng tệp có {actual}"
            " (bị cắt ngắn hoặc đang ghi)",
        )


def check_complete(delivery: FileDelivery, encoding: str) -> None:
    """Raise `not_loaded` unless the `.ok` marker is there and counts the file's records."""
    expected = _marker_count(delivery)
    # The header is one record too, hence the minus one.
    _check_count(delivery, expected,
                 max(sum(1 for _ in _records(delivery.path, encoding)) - 1, 0))


class CsvFile:
    """The records of one complete CSV delivery; `extra_columns` is the schema drift."""

    def __init__(self, delivery: FileDelivery, encoding: str, refs: Refs,
                 decoded: str | None = None):
        self._delivery = delivery
        self._refs = refs
        self._records = _records(delivery.path, encoding, decoded)
        header = next(self._records, None)
        if header is None:
            raise rejected(f"{delivery.name}: the file is empty", f"{delivery.name}: tệp rỗng")
        self._header = [h.strip() for h in header[1]]
        is_cases = delivery.record_kind == "cases"
        try:
            self.extra_columns = check_header(
                self._header,
                CASE_HEADERS if is_cases else EVENT_HEADERS,
                OPTIONAL_CASE_HEADERS if is_cases else frozenset(),
                delivery.name,
            )
        except BaseException:
            self._records.close()
            raise

    @property
    def header(self) -> list[str]:
        """The delivered column names, trimmed, in file order."""
        return self._header

    def __iter__(self) -> Iterator[Parsed]:
        for record_no, (line_no, fields) in enumerate(self._records, start=1):
            yield self.parse_record(record_no, line_no, fields)

    def parse_record(self, record_no: int, line_no: int, fields: list[str]) -> Parsed:
        """One record (its fields in NFC, as delivered) mapped, or with its problem."""
        is_cases = self._delivery.record_kind == "cases"
        original = dict(zip(self._header, fields))
        # Fields beyond the header are kept by position, so quarantine loses nothing.
        original.update({f"#{n}": v for n, v in enumerate(fields, start=1)
                         if n > len(self._header)})
        item = Parsed("case" if is_cases else "event", record_no, line_no, original)
        try:
            check_storable(original)
            if len(fields) != len(self._header):
                raise RowProblem(
                    "too_many_fields" if len(fields) > len(self._header) else "too_few_fields",
                    "(columns)", len(fields), header=len(self._header))
            row = {h: clean(original[h]) for h in self._header}
            if is_cases:
                item.case = map_case_row(row, self._refs)
            else:
                item.events = [map_event_row(row)]
        except RowProblem as problem:
            item.problem = problem
        return item

    def close(self) -> None:
        """Stop reading the file (the column path has already read it)."""
        self._records.close()


#: Files up to this size are read whole by the column path; larger ones stream by row,
#: so memory stays bounded whatever a vendor sends. The column path holds several copies
#: of a file at its peak (~290 MB RSS for an 18 MB file of 100 k rows).
COLUMN_PATH_MAX_BYTES = 64 << 20
#: What `str.strip()` removes, so trimming a column trims exactly as `clean` trims a cell.
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())  # U+3000 is the last
_QUOTED = re.compile(r'"(?:[^"]|"")*"')
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass
class CsvColumns:
    """A complete CSV delivery read as columns: the rows every rule accepts, mapped, and
    the others as the row path reads them (each with its problem)."""

    extra_columns: list[str]
    record_kind: str                     # 'case' or 'event'
    rows: int                            # data records in the file
    mapped: dict[str, Mapped]            # raw table column → values of the accepted rows
    record_nos: np.ndarray               # record_no of each accepted row
    flagged: list[Parsed]
    #: Where the accepted rows are in `mapped` when it holds a group of files' rows
    #: (`read_batch`); None when `mapped` holds exactly the accepted rows.
    positions: np.ndarray | None = None


def read_small(path: Path, limit: int) -> bytes | None:
    """The bytes of a file of at most `limit` bytes, or None when it is larger; one open,
    so the hash and the parse see the same bytes."""
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            return None
        return handle.read()


def read_columns(delivery: FileDelivery, encoding: str, refs: Refs,
                 data: bytes | None = None) -> CsvColumns | None:
    """The delivery through the column path, or None when only the row path reads it
    exactly as sources.md §2.2 says (undecodable bytes, NUL, quoting the two parsers
    might split differently, blank records, ragged rows, a file too large to hold).
    `data` is the file's bytes when the caller has read them (`read_small`).

    Raises the row path's `DeliveryProblem`s, in its order: marker, count, header.
    """
    expected = _marker_count(delivery)
    size = len(data) if data is not None else delivery.path.stat().st_size
    if size > COLUMN_PATH_MAX_BYTES:
        return None
    try:
        decoded = (data if data is not None else delivery.path.read_bytes()).decode(encoding)
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded:
        return None
    text = nfc(decoded)  # NFC does not reach across ';' or a line end, so per cell is the same
    if not text or not _plain_quoting(text):
        return None
    table = _parse(text)
    if table is None or table.num_rows == 0:
        return None
    cells = [table.column(i).combine_chunks() for i in range(table.num_columns)]
    # The `csv` module refuses a field over its limit (counted before NFC, which composes
    # at most four characters into one): such files are the row path's to reject.
    if max(int(_byte_lengths(c).max()) for c in cells) > csv.field_size_limit() // 4:
        return None
    lines = _lines_per_record(cells) if '"' in text else np.ones(table.num_rows, np.int64)
    ends = (text.count("\r") + text.count("\n") - text.count("\r\n")
            + (0 if text.endswith(("\r", "\n")) else 1))
    # Cells trimmed as `clean` trims them; an empty one becomes null (no value).
    trimmed = [_empty_as_null(pc.utf8_trim(c, characters=_WHITESPACE)) for c in cells]
    blank = np.logical_and.reduce([null_mask(t) for t in trimmed])
    if int(lines.sum()) != ends or blank.any():
        return None
    _check_count(delivery, expected, table.num_rows - 1)
    # The header as the row path reads it, from the bytes already decoded (not the file again).
    reader = CsvFile(delivery, encoding, refs, decoded)
    reader.close()
    header = reader.header
    if [h.strip() for h in table.slice(0, 1).to_pylist()[0].values()] != header \
            or len(set(header)) != len(header):
        return None
    is_cases = delivery.record_kind == "cases"
    rules = CASE_RULES if is_cases else EVENT_RULES
    columns = CASE_COLUMNS if is_cases else EVENT_COLUMNS[1:]
    rows = table.num_rows - 1
    by_header = {h: t.slice(1) for h, t in zip(header, trimmed)}
    absent = strings([None] * rows)
    mapped, failed = {}, np.zeros(rows, dtype=bool)
    for (name, rule), column in zip(rules.items(), columns):
        mapped[column], failed_here = apply_rule(by_header.get(name, absent), rule, refs)
        failed |= failed_here
    accepted = np.flatnonzero(~failed)
    if len(accepted) < rows:
        mapped = {name: column.take(accepted) for name, column in mapped.items()}
    first_lines = 1 + np.cumsum(lines) - lines     # the physical line each record starts on
    flagged = [reader.parse_record(int(i) + 1, int(first_lines[i + 1]),
                                   [c[i + 1].as_py() for c in cells])
               for i in np.flatnonzero(failed)]
    return CsvColumns(reader.extra_columns, "case" if is_cases else "event", rows,
                      mapped, accepted + 1, flagged)


def _plain_quoting(text: str) -> bool:
    """Whether every '"' opens and closes a whole field: the only quoting on which the
    Arrow parser and the `csv` module are known to agree."""
    if '"' not in text:
        return True
    quoted = 0
    for match in _QUOTED.finditer(text):
        start, end = match.span()
        if (start and text[start - 1] not in ";\r\n") or (end < len(text)
                                                          and text[end] not in ";\r\n"):
            return False
        quoted += match.group().count('"')
    return quoted == text.count('"')


def _parse(text: str) -> pa.Table | None:
    """Every record, the header included, as string columns; None if rows are ragged."""
    try:
        return pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            # One thread: feeds already load in parallel processes (ingest_workers).
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, use_threads=False,
                                            block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(delimiter=";", quote_char='"',
                                              newlines_in_values='"' in text),
            convert_options=pa_csv.ConvertOptions(
                # Every cell as text (no type guessing); names beyond the last are unused.
                column_types={f"f{i}": pa.string()
                              for i in range(text.count(";", 0, _line_end(text)) + 1)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False, check_utf8=False),
        )
    except pa.ArrowInvalid:
        return None


def _empty_as_null(values: pa.Array) -> pa.Array:
    """The same strings with the empty ones null, written into the validity bitmap
    directly (a compute kernel costs more here)."""
    if values.offset:
        values = values.take(positions(np.arange(len(values))))  # a fresh, unsliced copy
    _, offsets, data = values.buffers()
    present = np.packbits(_byte_lengths(values) > 0, bitorder="little")
    return pa.StringArray.from_buffers(len(values), offsets, data, pa.py_buffer(present))


def _byte_lengths(values: pa.Array) -> np.ndarray:
    """The UTF-8 length of each string, from the array's offsets."""
    offsets = np.frombuffer(values.buffers()[1], np.int32)
    return np.diff(offsets[values.offset:values.offset + len(values) + 1])


def _line_end(text: str) -> int:
    match = _NEWLINE.search(text)
    return match.start() if match else len(text)


def _lines_per_record(cells: list[pa.Array]) -> np.ndarray:
    """Physical lines each record spans: one plus the line ends inside quoted fields."""
    inside = sum(pc.count_substring_regex(c, r"\r\n|\r|\n").to_numpy(zero_copy_only=False)
                 for c in cells)
    return 1 + inside.astype(np.int64)


#: Files up to this size may be parsed together with others of their batch (`read_batch`);
#: a group holds at most `GROUP_MAX_BYTES` of text, so memory stays bounded.
GROUP_FILE_MAX_BYTES = 1 << 20
GROUP_MAX_BYTES = 16 << 20


@dataclass
class _Prepared:
    """A file `read_batch` may parse with others: decoded, without quotes, its body the
    records after the header line (ending with a line end)."""

    index: int
    delivery: FileDelivery
    expected: int          # the marker's record count
    decoded: str           # as decoded, before NFC (what the row path reads)
    header_line: str
    body: str
    records: int           # data records, one per physical line (no quotes)


def read_batch(items: list[tuple[FileDelivery, bytes | None]], encoding: str,
               refs: Refs) -> list[CsvColumns | DeliveryProblem | None]:
    """`read_columns` of each of a feed's files (its bytes, or None to read them), as a
    value: the columns, None for the row path, or the `DeliveryProblem` it raised.

    A day's file holds a few dozen rows, and parsing and mapping cost mostly per call: small
    files without quotes whose header lines are identical are parsed as one table (their
    bodies one after the other) and each rule applied once per distinct value of the
    group. Every check of `read_columns` is still made per file, in its order, and a file
    the group cannot vouch for, or a group Arrow does not read as expected, goes through
    `read_columns` alone, so each file's result is the one `read_columns` gives.
    """
    results: list[CsvColumns | DeliveryProblem | None] = [None] * len(items)
    groups: dict[tuple[str, str], list[_Prepared]] = {}
    alone = []
    for index, (delivery, data) in enumerate(items):
        try:
            prepared = _prepare(index, delivery, encoding, data)
        except DeliveryProblem as problem:
            results[index] = problem
            continue
        if prepared is None:
            alone.append(index)
        else:
            groups.setdefault((delivery.record_kind, prepared.header_line), []).append(prepared)
    for members in groups.values():
        start = 0
        while start < len(members):  # groups of bounded size
            size, stop = 0, start
            while stop < len(members) and (stop == start or size < GROUP_MAX_BYTES):
                size += len(members[stop].body)
                stop += 1
            chunk = members[start:stop]
            if len(chunk) == 1 or not _read_group(chunk, encoding, refs, results):
                alone += [member.index for member in chunk]
            start = stop
    for index in alone:
        delivery, data = items[index]
        try:
            results[index] = read_columns(delivery, encoding, refs, data)
        except DeliveryProblem as problem:
            results[index] = problem
    return results


def _prepare(index: int, delivery: FileDelivery, encoding: str,
             data: bytes | None) -> _Prepared | None:
    """The file ready for a group, or None if only `read_columns` alone may read it.
    Raises the marker's problem, the first `read_columns` would raise."""
    expected = _marker_count(delivery)
    if data is None or len(data) > min(GROUP_FILE_MAX_BYTES, COLUMN_PATH_MAX_BYTES):
        return None
    try:
        decoded = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or '"' in decoded:
        return None
    text = nfc(decoded)
    end = _line_end(text)
    header_line = text[:end]
    if not any(field.strip() for field in header_line.split(";")):
        return None
    body = text[end + (2 if text.startswith("\r\n", end) else 1):]
    if body and not body.endswith(("\r", "\n")):
        body += "\n"
    # Without quotes a record is a physical line; the header is the first.
    ends = (text.count("\r") + text.count("\n") - text.count("\r\n")
            + (0 if text.endswith(("\r", "\n")) else 1))
    return _Prepared(index, delivery, expected, decoded, header_line, body, ends - 1)


def _read_group(members: list[_Prepared], encoding: str, refs: Refs,
                results: list) -> bool:
    """Read files of one header line as one table into `results`; False (nothing set)
    when Arrow does not find exactly one row per line of each file."""
    header_line = members[0].header_line
    width = header_line.count(";") + 1
    header = [h.strip() for h in header_line.split(";")]
    total = sum(member.records for member in members)
    if (total == 0 or len(set(header)) != len(header)
            or max(len(h.encode("utf-8")) for h in header_line.split(";"))
            > csv.field_size_limit() // 4):
        return False
    table = _parse_body("".join(member.body for member in members), width)
    # Arrow skips empty lines: with one row per non-empty line, equal totals mean that
    # no file had one, so each file's rows are the next `records` rows.
    if table is None or table.num_rows != total or table.num_columns != width:
        return False
    cells = [table.column(i).combine_chunks() for i in range(width)]
    if max(int(_byte_lengths(c).max()) for c in cells) > csv.field_size_limit() // 4:
        return False
    trimmed = [_empty_as_null(pc.utf8_trim(c, characters=_WHITESPACE)) for c in cells]
    blank = np.logical_and.reduce([null_mask(t) for t in trimmed])
    is_cases = members[0].delivery.record_kind == "cases"
    rules = CASE_RULES if is_cases else EVENT_RULES
    columns = CASE_COLUMNS if is_cases else EVENT_COLUMNS[1:]
    by_header = dict(zip(header, trimmed))
    absent = strings([None] * total)
    mapped, failed = {}, np.zeros(total, dtype=bool)
    for (name, rule), column in zip(rules.items(), columns):
        mapped[column], failed_here = apply_rule(by_header.get(name, absent), rule, refs)
        failed |= failed_here
    start = 0
    for member in members:
        stop = start + member.records
        try:
            results[member.index] = _group_member(member, start, stop, encoding, refs, header,
                                                  blank, failed, mapped, cells)
        except DeliveryProblem as problem:
            results[member.index] = problem
        start = stop
    return True


def _group_member(member: _Prepared, start: int, stop: int, encoding: str, refs: Refs,
                  header: list[str], blank: np.ndarray, failed: np.ndarray,
                  mapped: dict[str, Mapped], cells: list[pa.Array]) -> CsvColumns | None:
    """One file's share of a group, checked as `read_columns` checks it, in its order."""
    delivery = member.delivery
    if blank[start:stop].any():
        return None
    _check_count(delivery, member.expected, member.records)
    reader = CsvFile(delivery, encoding, refs, member.decoded)
    reader.close()
    if reader.header != header:
        return None
    failed_here = failed[start:stop]
    accepted = np.flatnonzero(~failed_here)
    # Record n (from 1) starts on line n + 1: no record spans lines without quotes.
    flagged = [reader.parse_record(int(i) + 1, int(i) + 2,
                                   [c[start + int(i)].as_py() for c in cells])
               for i in np.flatnonzero(failed_here)]
    return CsvColumns(reader.extra_columns, "case" if delivery.record_kind == "cases"
                      else "event", member.records, mapped, accepted + 1, flagged,
                      accepted + start)


def _parse_body(text: str, width: int) -> pa.Table | None:
    """Records without quotes as `width` string columns; None if Arrow refuses them."""
    try:
        return pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, use_threads=False,
                                            block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(delimiter=";", quote_char=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
                check_utf8=False),
        )
    except pa.ArrowInvalid:
        return None
