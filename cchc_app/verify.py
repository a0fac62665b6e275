"""`cchc report --verify EDITION`: rebuild an edition's figures from the deliveries it
recorded and say whether they are the ones it published.

    verify_edition(admin_dsn, edition_id, log=print) -> Verification   (raises CannotVerify)
    describe(verification) -> str                                       (Vietnamese)

The rebuild never touches the live marts: a scratch database is created on the same
server, bootstrapped like the warehouse, given exactly the raw rows of the recorded
deliveries (with the status each had when the edition read the marts: a delivery
superseded since still counts as it did then) and the current reference data, built with
`dbt build` for the edition's year and cut-off, and read with the report's own code
(`read_report_data`, `published_figures`). The scratch database is dropped afterwards.

Raw rows are never rewritten, so the same deliveries and the same dbt project give the
same figures. When they do not, the comparison names each figure that differs and the
recorded deliveries that are no longer what they were (gone, another content hash, their
rows gone, reference data reloaded), and says whether the dbt project changed.
"""
from __future__ import annotations

import datetime as dt
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import psycopg

from cchc import warehouse
from cchc.dbt_runner import DbtFailed, project_version, run_dbt
from cchc_app.bootstrap import bootstrap
from reports.data import RecordedDelivery, read_report_data
from reports.editions import FigureChange, diff_figures
from reports.figures import (
    Figures,
    describe_key,
    figure_source,
    figures_hash,
    format_figure,
    published_figures,
)

#: Raw tables holding the rows of a case delivery (their first column is load_id).
_DELIVERY_TABLES = ("raw.case_snapshots", "raw.case_events", "raw.quarantine")
#: Reference tables: replaced whole by each reference load, so only the current one is kept.
_REFERENCE_TABLES = ("raw.ref_units", "raw.ref_procedures", "raw.ref_calendar",
                     "raw.ref_appraisal", "raw.ref_feeds")


class CannotVerify(RuntimeError):
    """The edition cannot be rebuilt; the message says why (Vietnamese)."""


@dataclass(frozen=True)
class RecordedEdition:
    edition_id: int
    report_year: int
    edition_no: int
    built_at: dt.datetime
    cutoff_date: dt.date
    dbt_version: str | None
    marts_build: str | None
    figures_hash: str
    figures: Figures
    deliveries: tuple[RecordedDelivery, ...]


@dataclass(frozen=True)
class DeliveryChange:
    """A recorded delivery that is not, today, what the edition was built from."""

    load_id: int
    label: str  # unit and delivery name, as far as they are still known
    change: str  # in Vietnamese
    # False: it changed after the edition in a way the rebuild does not see (a newer
    # delivery superseded it): it explains the next edition, not a mismatch of this one
    affects_rebuild: bool = True


@dataclass(frozen=True)
class Verification:
    edition: RecordedEdition
    scratch_database: str
    rebuilt_hash: str
    rebuilt_count: int
    differences: list[FigureChange]
    delivery_changes: list[DeliveryChange]
    notes: list[str] = field(default_factory=list)
    unit_names: dict[str, str] = field(default_factory=dict)

    @property
    def matches(self) -> bool:
        return (not self.differences and self.rebuilt_hash == self.edition.figures_hash)


def _read_edition(conn: psycopg.Connection, edition_id: int) -> RecordedEdition:
    row = conn.execute(
        """select report_year, edition_no, built_at, cutoff_date, dbt_version, marts_build,
                  figures_hash
           from publish.editions where edition_id = %s""", (edition_id,)).fetchone()
    if row is None:
        raise CannotVerify(f"không có lần phát hành mã {edition_id} trong publish.editions")
    deliveries = tuple(RecordedDelivery(*r) for r in conn.execute(
        """select load_id, status, content_hash, rows_loaded from publish.edition_deliveries
           where edition_id = %s order by load_id""", (edition_id,)))
    if not deliveries or row[3] is None:
        raise CannotVerify(
            f"lần phát hành mã {edition_id} được ghi trước khi các lần phát hành lưu nguồn dữ "
            "liệu (danh sách lô dữ liệu, ngày chốt số liệu): không biết dựng lại từ đâu")
    figures = dict(conn.execute(
        "select figure_key, value from publish.edition_figures where edition_id = %s",
        (edition_id,)).fetchall())
    return RecordedEdition(edition_id, row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                           figures, deliveries)


def _short(digest: str | None) -> str:
    return f"{digest[:12]}…" if digest else "không có"


def _delivery_changes(conn: psycopg.Connection, edition: RecordedEdition
                      ) -> tuple[list[DeliveryChange], int | None]:
    """What became of each recorded delivery in raw; and the reference load to rebuild with."""
    ids = [d.load_id for d in edition.deliveries]
    now = {r[0]: r[1:] for r in conn.execute(
        """select load_id, source_kind, feed_unit_code, delivery, status, content_hash,
                  superseded_by
           from raw.deliveries where load_id = any(%s)""", (ids,))}
    # Whether each delivery still has rows: an exact count per delivery is not kept in
    # raw's terms (a workbook's case and event sheets number their rows apart).
    with_rows = {r[0] for r in conn.execute(
        """select distinct load_id from raw.case_snapshots where load_id = any(%(ids)s)
           union
           select distinct load_id from raw.case_events where load_id = any(%(ids)s)""",
        {"ids": ids})}
    current_reference = conn.execute("select min(load_id) from raw.ref_units").fetchone()[0]
    changes: list[DeliveryChange] = []
    reference: int | None = None
    for recorded in edition.deliveries:
        if recorded.load_id not in now:
            changes.append(DeliveryChange(recorded.load_id, f"lô {recorded.load_id}",
                                          "không còn trong raw.deliveries (đã bị xóa)"))
            continue
        kind, unit, name, status, content_hash, superseded_by = now[recorded.load_id]
        label = f"lô {recorded.load_id} ({unit}, {name})"
        if content_hash != recorded.content_hash:
            changes.append(DeliveryChange(
                recorded.load_id, label, f"mã băm nội dung đã đổi: lúc công bố "
                f"{_short(recorded.content_hash)}, nay {_short(content_hash)}"))
        if kind == "reference":
            if recorded.status == "loaded":
                reference = recorded.load_id
                if current_reference != recorded.load_id:
                    changes.append(DeliveryChange(
                        recorded.load_id, label,
                        f"danh mục đã được nạp lại (nay là lô {current_reference}); chỉ danh "
                        "mục hiện hành còn được lưu nên bản dựng lại dùng danh mục đó"))
            continue
        if recorded.rows_loaded and recorded.load_id not in with_rows:
            changes.append(DeliveryChange(
                recorded.load_id, label, f"không còn bản ghi nào trong raw (lúc công bố "
                f"{recorded.rows_loaded} bản ghi)"))
        if recorded.status == "loaded" and status == "superseded":
            changes.append(DeliveryChange(
                recorded.load_id, label,
                f"đã bị thay thế bởi lô {superseded_by} (đơn vị gửi lại) sau khi công bố; bản "
                "dựng lại vẫn dùng lô này như lúc công bố, lần phát hành sau sẽ dùng lô mới",
                affects_rebuild=False))
    return changes, reference


def _columns(conn: psycopg.Connection, table: str) -> list[str]:
    schema, name = table.split(".")
    return [r[0] for r in conn.execute(
        "select column_name from information_schema.columns where table_schema = %s"
        " and table_name = %s order by ordinal_position", (schema, name))]


def _copy(source: psycopg.Connection, target: psycopg.Connection, table: str,
          select: str, columns: list[str], params: dict) -> None:
    """Stream the rows of `select` (in `columns` order) from `source` into `table`."""
    column_list = ", ".join(columns)
    with source.cursor() as out_cur, target.cursor() as in_cur, \
            out_cur.copy(f"copy ({select}) to stdout", params) as out, \
            in_cur.copy(f"copy {table} ({column_list}) from stdin") as into:
        for chunk in out:
            into.write(chunk)


def _load_scratch(live: psycopg.Connection, scratch: psycopg.Connection,
                  edition: RecordedEdition, reference: int | None) -> None:
    """The recorded deliveries' raw rows, with the status each had at the edition."""
    ids = [d.load_id for d in edition.deliveries]
    statuses = [d.status for d in edition.deliveries]
    params = {"ids": ids, "statuses": statuses}
    columns = _columns(live, "raw.deliveries")
    picked = {
        "status": "r.status",
        # only a replacement that is itself behind the edition; a later one is not there
        "superseded_by": "case when r.status = 'superseded' and d.superseded_by = any(%(ids)s)"
                         " then d.superseded_by end",
    }
    _copy(live, scratch, "raw.deliveries",
          f"select {', '.join(picked.get(c, f'd.{c}') for c in columns)} from raw.deliveries d"
          " join unnest(%(ids)s::bigint[], %(statuses)s::text[]) r (load_id, status)"
          " using (load_id) order by d.load_id", columns, params)
    for table in _DELIVERY_TABLES:
        columns = _columns(live, table)
        _copy(live, scratch, table,
              f"select {', '.join(columns)} from {table} where load_id = any(%(ids)s)",
              columns, params)
    if reference is None:
        return
    for table in _REFERENCE_TABLES:
        columns = _columns(live, table)
        # The current reference rows, under the recorded reference load (see
        # _delivery_changes: an older reference is not kept).
        _copy(live, scratch, table,
              f"select {', '.join('%(reference)s::bigint' if c == 'load_id' else c for c in columns)}"
              f" from {table}", columns, {"reference": reference})


def _rebuild(scratch_dsn: str, edition: RecordedEdition, work: Path
             ) -> tuple[Figures, dict[str, str]]:
    """The figures rebuilt in the scratch database, and the unit names to print them with."""
    try:
        # Models and seeds only: the figures are the models'; the edition's build ran the
        # tests already, and they would double the time on a busy server.
        run_dbt(["build", "--exclude-resource-type", "test", "unit_test"], scratch_dsn,
                {"report_year": edition.report_year,
                 "cutoff_date": edition.cutoff_date.isoformat()},
                target_path=work / "target", quiet=True)
    except DbtFailed as failed:
        raise CannotVerify(f"dbt không dựng được kho tạm: {failed}") from failed
    with psycopg.connect(scratch_dsn) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction():
            data = read_report_data(conn, edition.report_year)
    return published_figures(data), {code: unit.name for code, unit in data.units.items()}


def verify_edition(admin_dsn: str, edition_id: int,
                   log: Callable[[str], None] = print) -> Verification:
    """Rebuild edition `edition_id` in a scratch database on the server of `admin_dsn` (an
    administrator: it creates and drops that database) and compare its figures."""
    try:
        live = psycopg.connect(admin_dsn)
    except psycopg.OperationalError as error:
        raise CannotVerify(f"không kết nối được kho dữ liệu: {error}") from error
    scratch_name = f"cchc_verify_{edition_id}_{uuid.uuid4().hex[:8]}"
    with live:
        # One snapshot of raw for every read, whatever is ingested meanwhile.
        live.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with live.transaction():
            edition = _read_edition(live, edition_id)
            changes, reference = _delivery_changes(live, edition)
            if reference is None:
                raise CannotVerify(f"lần phát hành mã {edition_id} không ghi lô danh mục nào"
                                   " (reference) đang dùng: không dựng lại được")
            log(f"tạo cơ sở dữ liệu tạm {scratch_name} và nạp {len(edition.deliveries)} lô "
                "dữ liệu đã ghi nhận …")
            scratch_dsn = warehouse.create_database(admin_dsn, scratch_name)
            try:
                bootstrap(scratch_dsn)
                with psycopg.connect(scratch_dsn) as scratch, scratch.transaction():
                    _load_scratch(live, scratch, edition, reference)
                log(f"dựng lại kho tạm bằng dbt (năm {edition.report_year}, ngày chốt "
                    f"{edition.cutoff_date:%d/%m/%Y}) …")
                with tempfile.TemporaryDirectory(prefix="cchc-verify-") as work:
                    rebuilt, names = _rebuild(scratch_dsn, edition, Path(work))
            finally:
                warehouse.drop_database(admin_dsn, scratch_name)
    notes = []
    if figures_hash(edition.figures) != edition.figures_hash:
        notes.append("Số liệu lưu trong publish.edition_figures không còn khớp mã băm đã công "
                     "bố: đã bị sửa sau khi công bố.")
    current_dbt = project_version()
    if edition.dbt_version and edition.dbt_version != current_dbt:
        notes.append(f"Dự án dbt đã thay đổi từ khi công bố: lúc đó «{edition.dbt_version}», "
                     f"nay «{current_dbt}».")
    return Verification(edition, scratch_name, figures_hash(rebuilt), len(rebuilt),
                        diff_figures(edition.figures, rebuilt), changes, notes, names)


def _value(key: str, value: Decimal | None, present: bool) -> str:
    return format_figure(key, value) if present else "không có"


def describe(result: Verification) -> str:
    """The verdict for people, in Vietnamese: which figures differ and why."""
    e = result.edition
    lines = [
        f"Lần phát hành mã {e.edition_id}: báo cáo năm {e.report_year}, lần {e.edition_no}, "
        f"công bố {e.built_at:%d/%m/%Y %H:%M}; dựng từ {len(e.deliveries)} lô dữ liệu"
        + (f", lần dựng kho {e.marts_build}" if e.marts_build else "") + ".",
    ]
    if result.matches:
        lines.append(f"KHỚP: dựng lại {result.rebuilt_count} số liệu từ đúng các lô dữ liệu "
                     f"đó, giống hệt bản đã công bố (mã băm {_short(e.figures_hash)}).")
    else:
        lines.append(f"KHÔNG KHỚP: {len(result.differences)} số liệu khác bản đã công bố "
                     f"(mã băm công bố {_short(e.figures_hash)}, dựng lại "
                     f"{_short(result.rebuilt_hash)}):")

        def name(code: str) -> str:
            return result.unit_names.get(code, code)

        for d in result.differences:
            unit, table, column, period = figure_source(d.figure_key)
            lines.append(
                f"  - {describe_key(d.figure_key, name)} [đơn vị {unit}, bảng {table}, cột "
                f"{column}{', ' + period if period else ''}]: công bố "
                f"{_value(d.figure_key, d.previous_value, d.change_kind != 'added')}, dựng lại "
                f"{_value(d.figure_key, d.new_value, d.change_kind != 'removed')}")
    causes = [c for c in result.delivery_changes if c.affects_rebuild]
    later = [c for c in result.delivery_changes if not c.affects_rebuild]
    if causes:
        lines.append("Lô dữ liệu không còn như lúc công bố"
                     + (" (giải thích chênh lệch):" if not result.matches else ":"))
        lines += [f"  - {c.label}: {c.change}" for c in causes]
    elif not result.matches and not result.notes:
        lines.append("Không lô dữ liệu nào đã ghi nhận bị đổi, xóa hay thiếu bản ghi; dự án "
                     "dbt cũng không đổi: cần kiểm tra bản ghi của các lô trong raw.")
    lines += result.notes
    if later:
        lines.append("Thay đổi sau khi công bố (không ảnh hưởng bản dựng lại này):")
        lines += [f"  - {c.label}: {c.change}" for c in later]
    return "\n".join(lines)
