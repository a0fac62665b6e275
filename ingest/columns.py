"""The column path of ingest: a whole file's records as Arrow columns, mapped and landed
with one binary COPY per table.

Mapping applies the row path's own rules (`ingest.mapping.CASE_RULES` / `EVENT_RULES`)
once per distinct value of a column rather than once per row: a day's file repeats a
handful of statuses, units and minutes thousands of times. A row for which any rule
raises is flagged; the caller hands flagged rows back to the row path, which names the
field and the reason exactly as it always has.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import psycopg
import pyarrow as pa

from cchc.settings import LOCAL_TZ
from ingest.mapping import Refs, Rule
from ingest.problems import RowProblem

#: PostgreSQL's binary COPY: signature, flags, header extension length; trailer.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
_COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)
_PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
#: Rows encoded per COPY chunk: bounds the encoder's index arrays (~0.1 GB at 20 k rows),
#: and lets the server store one chunk while the next is encoded.
COPY_CHUNK_ROWS = 20_000
_WIDTHS = {"int2": 2, "int4": 4, "int8": 8, "timestamptz": 8}
_KINDS = {"smallint": "int2", "integer": "int4", "bigint": "int8", "text": "text",
          "timestamp with time zone": "timestamptz"}


@dataclass(frozen=True)
class Column:
    """One column of a COPY: text as an Arrow string array, numbers and instants as
    int64 numpy values (instants in microseconds since 2000-01-01 UTC) with a null mask."""

    kind: str                       # int2 | int4 | int8 | timestamptz | text
    values: pa.Array | np.ndarray
    nulls: np.ndarray | None = None

    def take(self, rows: np.ndarray) -> Column:
        """The column restricted to the given row positions."""
        if self.kind == "text":
            return Column("text", self.values.take(positions(rows)))
        return Column(self.kind, self.values[rows],
                      None if self.nulls is None else self.nulls[rows])


# Arrays are built from buffers: `pa.array` imports pandas on first use, seconds on a busy
# machine, in every ingest process.
def positions(rows: np.ndarray) -> pa.Array:
    """Row positions as an Arrow int64 array (for `take`)."""
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(rows), [None, pa.py_buffer(rows)])


def strings(values: list[str | None]) -> pa.Array:
    """Python strings (or None) as an Arrow string array."""
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum(np.fromiter(map(len, encoded), np.int32, len(encoded)), out=offsets[1:])
    present = np.packbits(np.fromiter((v is not None for v in values), bool, len(values)),
                          bitorder="little")
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets),
                                       pa.py_buffer(b"".join(encoded)), pa.py_buffer(present))


def concat(columns: list[Column]) -> Column:
    """Columns of one kind, one after the other."""
    first = columns[0]
    if first.kind == "text":
        return Column("text", pa.concat_arrays([c.values for c in columns]))
    nulls = (None if all(c.nulls is None for c in columns)
             else np.concatenate([_nulls(c, len(c.values)) for c in columns]))
    return Column(first.kind, np.concatenate([c.values for c in columns]), nulls)


def constant(kind: str, value: int, rows: int) -> Column:
    """A number repeated on every row (the load_id, a file row's event_no)."""
    return Column(kind, np.full(rows, value, dtype=np.int64))


def numbered(kind: str, numbers: np.ndarray) -> Column:
    """A column of the given whole numbers (record numbers)."""
    return Column(kind, numbers.astype(np.int64))


@dataclass(frozen=True)
class Mapped:
    """A mapped column: its distinct mapped values and each row's index into them, or,
    for a text column kept as delivered, the Arrow text itself."""

    distinct: list | None
    rows: np.ndarray | pa.Array

    def take(self, rows: np.ndarray) -> Mapped:
        """The column restricted to the given row positions."""
        if self.distinct is None:
            return Mapped(None, self.rows.take(positions(rows)))
        return Mapped(self.distinct, self.rows[rows])

    def column(self, kind: str) -> Column:
        """The values as a COPY column of the given kind."""
        if self.distinct is None:
            return Column("text", self.rows)
        if kind == "text":
            return Column("text", strings(self.distinct).take(positions(self.rows)))
        nulls = np.array([m is None for m in self.distinct], dtype=bool)
        numbers = np.array([0 if m is None else _number(m) for m in self.distinct],
                           dtype=np.int64)
        return Column(kind, numbers[self.rows], nulls[self.rows])


@dataclass(frozen=True)
class MappedInstants:
    """A mapped local-time column: microseconds since 2000-01-01 UTC, and its nulls."""

    micros: np.ndarray
    nulls: np.ndarray

    def take(self, rows: np.ndarray) -> MappedInstants:
        """The column restricted to the given row positions."""
        return MappedInstants(self.micros[rows], self.nulls[rows])

    def column(self, kind: str) -> Column:
        """The values as a COPY column (raw tables keep them as timestamptz)."""
        if kind != "timestamptz":
            raise TypeError(f"a local time cannot be copied into a {kind} column")
        return Column(kind, self.micros, self.nulls)


def apply_rule(values: pa.Array, rule: Rule,
               refs: Refs | None) -> tuple[Mapped | MappedInstants, np.ndarray]:
    """`rule` over a string column (nulls = empty cells): (the mapped column, the rows
    for which the rule raised `RowProblem`)."""
    if rule.convert is None:
        # Text kept as delivered: only an empty required cell can fail.
        failed = null_mask(values)
        return Mapped(None, values), failed & rule.required
    if rule.local_time:
        return _apply_time_rule(values, rule, refs)
    return _apply_per_distinct(values, rule, refs)


def _apply_per_distinct(values: pa.Array, rule: Rule, refs: Refs | None) -> tuple[Mapped, np.ndarray]:
    dictionary, rows = _distinct(values)
    distinct = [*dictionary.to_pylist(), None]
    mapped, failed = _map_each(distinct, rule, refs)
    return Mapped(mapped, rows), failed[rows]


def _apply_time_rule(values: pa.Array, rule: Rule,
                     refs: Refs | None) -> tuple[MappedInstants, np.ndarray]:
    """A local-time rule: the column's distinct usual texts parsed at once as an array; the
    rule itself for the other distinct values (other spellings, impossible dates, the empty
    cell), which it accepts or rejects as the row path would. Times repeat far less than
    codes and labels, so the rule once per distinct time was the largest client cost left
    in a CSV load (decisions.md, "Ingest: local times read as columns")."""
    dictionary, rows = _distinct(values)
    micros, parsed = local_time_micros(dictionary)
    micros, parsed = np.append(micros, 0), np.append(parsed, False)  # the empty cell
    others = np.flatnonzero(~parsed)
    mapped, failed_others = _map_each(
        [*dictionary.take(positions(others[:-1])).to_pylist(), None], rule, refs)
    failed = np.zeros(len(micros), dtype=bool)
    failed[others] = failed_others
    nulls = np.zeros(len(micros), dtype=bool)
    nulls[others] = [m is None for m in mapped]
    micros[others] = [0 if m is None else _number(m) for m in mapped]
    return MappedInstants(micros[rows], nulls[rows]), failed[rows]


def _distinct(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """(The distinct values of a string column, each row's index into them); an empty
    cell's index is one past the last, where the callers put the rule's verdict on None."""
    encoded = values.dictionary_encode()
    indices = encoded.indices
    rows = np.frombuffer(indices.buffers()[1], dtype=indices.type.to_pandas_dtype())[
        indices.offset:indices.offset + len(indices)].astype(np.int64)
    rows[null_mask(indices)] = len(encoded.dictionary)
    return encoded.dictionary, rows


def _map_each(values: list, rule: Rule, refs: Refs | None) -> tuple[list, np.ndarray]:
    """`rule` of each value: (the mapped values, None where it raised; which raised)."""
    mapped, failed = [], np.zeros(len(values), dtype=bool)
    for i, value in enumerate(values):
        try:
            mapped.append(rule(value, refs))
        except RowProblem:
            mapped.append(None)
            failed[i] = True
    return mapped, failed


def _latest_fixed_offset() -> tuple[int, int | None]:
    """(The first year of LOCAL_TZ's latest stretch of one UTC offset up to 2099, that
    offset in microseconds), the offset checked on the first day of every month
    (Asia/Ho_Chi_Minh: UTC+7 since 1975). Times outside it are left to the rule, which
    asks the zone about the very instant."""
    def offsets(year: int) -> set[timedelta | None]:
        return {LOCAL_TZ.utcoffset(datetime(year, month, 1)) for month in range(1, 13)}

    latest = offsets(_LAST_FIXED_YEAR)
    if len(latest) != 1:
        return _LAST_FIXED_YEAR + 1, None
    year = _LAST_FIXED_YEAR
    while year > 1900 and offsets(year - 1) == latest:
        year -= 1
    return year, latest.pop() // _MICROSECOND


_LAST_FIXED_YEAR = 2099
_FIRST_FIXED_YEAR, _FIXED_OFFSET = _latest_fixed_offset()
_EPOCH_DAY = np.datetime64("2000-01-01", "D")
#: The layouts read as columns, by text length: `dd/MM/yyyy HH:mm[:ss]`, zero-padded, as
#: vendors write them. Each: the separators by position, and the positions of the digits
#: of day, month, year, hour, minute and second.
_TIME_LAYOUTS = {
    16: ({2: "/", 5: "/", 10: " ", 13: ":"},
         ((0, 1), (3, 4), (6, 7, 8, 9), (11, 12), (14, 15), ())),
    19: ({2: "/", 5: "/", 10: " ", 13: ":", 16: ":"},
         ((0, 1), (3, 4), (6, 7, 8, 9), (11, 12), (14, 15), (17, 18))),
}


def local_time_micros(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Local `dd/MM/yyyy HH:mm[:ss]` texts as microseconds since 2000-01-01 UTC, computed
    for a whole column from its UTF-8 bytes: (the values, which rows were read). A row is
    read only when it has one of `_TIME_LAYOUTS` with ASCII digits, names a real date and
    time, and its year lies in the zone's latest stretch of one offset; any other row is
    left to `parse_local_time` (other spellings such as 1/2/2025 8:30, impossible dates),
    so that both paths accept and reject exactly the same texts."""
    rows = len(values)
    micros = np.zeros(rows, dtype=np.int64)
    parsed = np.zeros(rows, dtype=bool)
    if _FIXED_OFFSET is None or rows == 0 or values.buffers()[2] is None:
        return micros, parsed
    offsets = _offsets(values).astype(np.int64)
    lengths = offsets[1:] - offsets[:-1]
    present = ~null_mask(values)
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)
    for width, (separators, digit_groups) in _TIME_LAYOUTS.items():
        at = np.flatnonzero(present & (lengths == width))
        if not len(at):
            continue
        chars = data[offsets[at, None] + np.arange(width)].astype(np.int16)
        digits = chars - ord("0")
        ok = np.logical_and.reduce([chars[:, i] == ord(c) for i, c in separators.items()])
        for group in digit_groups:
            for i in group:
                ok &= (digits[:, i] >= 0) & (digits[:, i] <= 9)
        day, month, year, hour, minute, second = (
            sum(digits[:, i].astype(np.int64) * 10 ** (len(group) - 1 - k)
                for k, i in enumerate(group))
            if group else np.zeros(len(at), dtype=np.int64) for group in digit_groups)
        ok &= ((year >= _FIRST_FIXED_YEAR) & (year <= _LAST_FIXED_YEAR) & (month >= 1)
               & (month <= 12) & (day >= 1) & (hour <= 23) & (minute <= 59) & (second <= 59))
        first_of_month = ((np.where(ok, year, 2000) - 1970) * 12
                          + np.where(ok, month, 1) - 1).astype("datetime64[M]")
        date = first_of_month.astype("datetime64[D]") + np.where(ok, day, 1) - 1
        # 31/02 runs into March: only a date still in its month is real.
        ok &= date.astype("datetime64[M]") == first_of_month
        seconds = ((date - _EPOCH_DAY).astype(np.int64) * 86_400
                   + hour * 3_600 + minute * 60 + second)
        micros[at[ok]] = seconds[ok] * 1_000_000 - _FIXED_OFFSET
        parsed[at[ok]] = True
    return micros, parsed


def _number(value: object) -> int:
    if isinstance(value, datetime):
        return (value - _PG_EPOCH) // _MICROSECOND
    return int(value)


def table_kinds(conn: psycopg.Connection, table: str) -> dict[str, str]:
    """Column name → `Column.kind` of a raw table, as the database declares it."""
    rows = conn.execute(
        "select attname, format_type(atttypid, atttypmod) from pg_attribute"
        " where attrelid = %s::regclass and attnum > 0 and not attisdropped", (table,))
    return {name: _KINDS[sql_type] for name, sql_type in rows if sql_type in _KINDS}


def copy_columns(conn: psycopg.Connection, table: str, columns: dict[str, Column],
                 rows: int) -> None:
    """Binary COPY of `rows` rows given as columns (in the order of the dict) into `table`."""
    if rows == 0:
        return
    statement = f"copy {table} ({', '.join(columns)}) from stdin (format binary)"
    with conn.cursor() as cur, cur.copy(statement) as copy:
        copy.write(_COPY_HEADER)
        for start in range(0, rows, COPY_CHUNK_ROWS):
            chunk = np.arange(start, min(start + COPY_CHUNK_ROWS, rows))
            copy.write(encode_rows([c.take(chunk) if rows > COPY_CHUNK_ROWS else c
                                    for c in columns.values()], len(chunk)))
        copy.write(_COPY_TRAILER)


def encode_rows(columns: list[Column], rows: int) -> bytes:
    """The tuples of a binary COPY: per row a 16-bit field count, then per field a 32-bit
    length (-1 for null) and the big-endian value or UTF-8 text. Built with array
    operations: every field's offset is known from the lengths before any byte is written."""
    sizes = []
    for column in columns:
        nulls = _nulls(column, rows)
        payload = (_text_lengths(column.values) if column.kind == "text"
                   else np.full(rows, _WIDTHS[column.kind], dtype=np.int64))
        sizes.append((nulls, np.where(nulls, 0, payload)))
    row_sizes = 2 + sum(4 + payload for _, payload in sizes)
    starts = np.concatenate(([0], np.cumsum(row_sizes)[:-1])).astype(np.int64)
    out = np.zeros(int(row_sizes.sum()), dtype=np.uint8)
    _put(out, starts, np.full(rows, len(columns), dtype=">i2"))
    position = starts + 2
    for column, (nulls, payload) in zip(columns, sizes):
        _put(out, position, np.where(nulls, -1, payload).astype(">i4"))
        present = ~nulls
        if column.kind == "text":
            _put_text(out, position + 4, column.values, present)
        else:
            width = _WIDTHS[column.kind]
            _put(out, position[present] + 4, column.values[present].astype(f">i{width}"))
        position = position + 4 + payload
    return out.tobytes()


def null_mask(values: pa.Array) -> np.ndarray:
    """Which entries of an Arrow array are null, read from its validity bitmap (converting
    a boolean array would import pandas)."""
    if values.null_count == 0:
        return np.zeros(len(values), dtype=bool)
    bits = np.unpackbits(np.frombuffer(values.buffers()[0], np.uint8), bitorder="little")
    return bits[values.offset:values.offset + len(values)] == 0


def _nulls(column: Column, rows: int) -> np.ndarray:
    if column.kind == "text":
        return null_mask(column.values)
    return np.zeros(rows, dtype=bool) if column.nulls is None else column.nulls


def _text_lengths(values: pa.Array) -> np.ndarray:
    offsets = _offsets(values)
    return (offsets[1:] - offsets[:-1]).astype(np.int64)


def _offsets(values: pa.Array) -> np.ndarray:
    buffer = values.buffers()[1]
    return np.frombuffer(buffer, dtype=np.int32)[values.offset:values.offset + len(values) + 1]


def _put(out: np.ndarray, positions: np.ndarray, values: np.ndarray) -> None:
    """Write each fixed-width big-endian value at its byte position."""
    width = values.dtype.itemsize
    out[positions[:, None] + np.arange(width)] = values.view(np.uint8).reshape(-1, width)


def _put_text(out: np.ndarray, positions: np.ndarray, values: pa.Array,
              present: np.ndarray) -> None:
    """Copy each present string's UTF-8 bytes to its byte position."""
    offsets = _offsets(values).astype(np.int64)
    lengths = np.where(present, offsets[1:] - offsets[:-1], 0)
    total = int(lengths.sum())
    if total == 0:
        return
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)
    # For byte k of string i: source offsets[i] + k, destination positions[i] + k.
    within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    out[np.repeat(positions, lengths) + within] = data[np.repeat(offsets[:-1], lengths) + within]
