"""Entry points of ingest (docs/architecture.md): reference data, one feed, every feed.

A feed's files land in transactions of up to `BATCH_FILES` files, each with its own
delivery row, under a per-feed advisory lock, so runs are idempotent and may overlap: a
file whose content was already loaded is skipped, a changed one supersedes the earlier
delivery, an incomplete or unreadable one is recorded with its reason and the feed's
other deliveries still load.
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import psycopg

from cchc.settings import LOCAL_TZ
from ingest import reference, state
from ingest.land import MappedWriter, RowWriter, copy_rows
from ingest.mapping import Refs
from ingest.problems import DeliveryProblem, IngestError
from ingest.registry import Feed, load_registry
from ingest.sources import FileDelivery, file_sha256
from ingest.sources import api as api_source
from ingest.sources import csv as csv_source
from ingest.sources import xlsx as xlsx_source
from ingest.state import Counts, DeliveryOutcome

REFERENCE_FEED = "REFERENCE"
#: A feed's small daily files share a transaction (one commit, not one per file), and
#: their parse (`csv_source.read_batch`): 256 rather than 64 halved a 200 k-case ingest
#: (benchmarks/README.md); `BATCH_BYTES` still bounds what a batch holds in memory, a few
#: times its size (bytes, Arrow table, mapped columns): at 64 MB one process loading a
#: 10 M-case province's csv and xlsx feeds peaked at 1.19 GB, at 16 MB at 575 MB, no slower.
BATCH_FILES = 256
BATCH_BYTES = 16 << 20
_REF_COLUMNS = {spec.table: tuple(spec.columns) for spec in reference.REF_FILES} | {
    "raw.ref_feeds": ("feed_unit_code", "kind", "unit_code", "valid_from", "valid_to"),
}


class FeedsFailed(IngestError):
    """Some feeds could not be ingested; the others were. Carries both."""

    def __init__(self, outcomes: list[DeliveryOutcome], failures: dict[str, Exception]):
        self.outcomes = outcomes
        self.failures = failures
        lines = [f"{unit}: {error}" for unit, error in failures.items()]
        super().__init__("Feeds failed / Nguồn dữ liệu lỗi:\n- " + "\n- ".join(lines))


def _connect(dsn: str, feed: str | None = None) -> psycopg.Connection:
    # Autocommit: every unit of work below opens its own explicit transaction. The
    # application name shows in pg_stat_activity which feed a session is loading.
    return psycopg.connect(dsn, autocommit=True,
                           application_name=f"cchc-ingest {feed or 'reference'}")


def _today() -> date:
    return datetime.now(LOCAL_TZ).date()


def load_reference(dsn: str, data_dir: str | os.PathLike) -> DeliveryOutcome:
    """Replace raw.ref_* with the reference files and sources.yml (one delivery).

    Loading the same files again changes nothing and returns the delivery that holds them.
    """
    data_dir = Path(data_dir)
    registry = load_registry(data_dir)
    tables = reference.read_reference(data_dir)
    tables["raw.ref_feeds"] = reference.feed_rows(registry)
    content_hash = reference.reference_hash(data_dir)
    rows = sum(len(r) for r in tables.values())
    with _connect(dsn) as conn, conn.transaction():
        state.lock_feed(conn, REFERENCE_FEED)
        current = conn.execute(
            "select load_id, rows_read from raw.deliveries where source_kind = 'reference'"
            " and status = 'loaded' and content_hash = %s order by load_id desc limit 1",
            (content_hash,),
        ).fetchone()
        if current:
            return DeliveryOutcome(current[0], REFERENCE_FEED, "reference", "loaded",
                                   current[1], current[1], 0)
        load_id = state.start_delivery(conn, "reference", REFERENCE_FEED, "reference",
                                       "reference", _today(), content_hash)
        for table, table_rows in tables.items():
            conn.execute(f"delete from {table}")
            copy_rows(conn, table, ("load_id", *_REF_COLUMNS[table]),
                      ((load_id, *row) for row in table_rows))
        return state.finish_delivery(conn, load_id, Counts(rows, 0))


def _refs(conn: psycopg.Connection) -> Refs:
    units = frozenset(r[0] for r in conn.execute("select unit_code from raw.ref_units"))
    if not units:
        raise IngestError("No reference data loaded: run load_reference first /"
                          " Chưa nạp dữ liệu danh mục: chạy load_reference trước")
    procedures = frozenset(
        r[0] for r in conn.execute("select distinct procedure_code from raw.ref_procedures"))
    return Refs(units, procedures)


def _open_file(feed: Feed, delivery: FileDelivery, refs: Refs):
    if feed.kind == "csv":
        csv_source.check_complete(delivery, feed.encoding)
        return csv_source.CsvFile(delivery, feed.encoding, refs)
    return xlsx_source.Workbook(delivery, refs)


@dataclass
class _Read:
    """A file the column path read whole: its delivery row and rows wait for
    `_Batch.settle`, which writes those of consecutive such files together."""

    delivery: FileDelivery
    content_hash: str
    columns: csv_source.CsvColumns
    supersede: bool

    def counts(self) -> Counts:
        # The flagged rows go through the row path: some it may still load.
        kept = sum(item.problem is None for item in self.columns.flagged)
        return Counts(len(self.columns.record_nos) + kept, len(self.columns.flagged) - kept)


class _Batch:
    """The files of one transaction of a feed (`_ingest_files`), landed in file order.

    Files the column path read are settled together: one statement inserts their
    delivery rows (`state.insert_loaded`) and one supersedes what they replace, before
    their rows join the batch's COPY. Any other file (read by row, or recorded unloaded)
    first settles those read before it, so load ids keep the files' order.
    """

    def __init__(self, conn: psycopg.Connection, feed: Feed, refs: Refs,
                 latest: dict[str, tuple]):
        self._conn = conn
        self._feed = feed
        self._refs = refs
        self._latest = latest
        self._mapped = MappedWriter(conn)
        self._read: list[_Read] = []
        self.outcomes: list[DeliveryOutcome] = []

    def land(self, deliveries: list[FileDelivery]) -> None:
        """Land each file unless its content was already settled, in order."""
        feed, pending = self._feed, []
        for delivery in deliveries:
            latest = self._latest.get(delivery.name)
            # Small files are read once, for the hash and the parse; larger ones are
            # hashed as they stream, and read again only if the column path takes them.
            data = (csv_source.read_small(delivery.path, csv_source.GROUP_FILE_MAX_BYTES)
                    if feed.kind == "csv" else None)
            content_hash = (hashlib.sha256(data).hexdigest() if data is not None
                            else file_sha256(delivery.path))
            if latest and latest[0] in ("loaded", "rejected") and latest[1] == content_hash:
                continue
            pending.append((delivery, data, content_hash, latest))
        read = (csv_source.read_batch([(d, data) for d, data, _, _ in pending], feed.encoding,
                                      self._refs)
                if feed.kind == "csv" else [None] * len(pending))
        for (delivery, _, content_hash, latest), columns in zip(pending, read):
            self._land(delivery, content_hash, latest, columns)

    def _land(self, delivery: FileDelivery, content_hash: str, latest: tuple | None,
              columns: csv_source.CsvColumns | DeliveryProblem | None) -> None:
        feed = self._feed
        try:
            if isinstance(columns, DeliveryProblem):
                raise columns
            if columns is not None:
                # Checked whole: nothing in it can fail once its rows are written.
                self._read.append(_Read(delivery, content_hash, columns, latest is not None))
                return
            records = _open_file(feed, delivery, self._refs)
        except DeliveryProblem as problem:
            if latest and latest == (problem.status, content_hash, problem.reason_en):
                return
            self.settle()
            self.outcomes.append(state.record_unloaded(
                self._conn, feed.kind, feed.unit_code, delivery.name, delivery.record_kind,
                delivery.day, content_hash, problem))
            return
        self.settle()
        self._land_by_row(delivery, content_hash, records, latest)

    def _land_by_row(self, delivery: FileDelivery, content_hash: str, records,
                     latest: tuple | None) -> None:
        feed = self._feed
        try:
            # A file read while it is written may turn out unreadable part-way: a
            # savepoint leaves none of its rows behind.
            with self._conn.transaction():
                load_id = state.start_delivery(self._conn, feed.kind, feed.unit_code,
                                               delivery.name, delivery.record_kind,
                                               delivery.day, content_hash)
                writer = RowWriter(self._conn, load_id)
                for item in records:
                    writer.add(item)
                writer.flush()
                # With no earlier delivery of this name there is nothing to supersede.
                self.outcomes.append(state.finish_delivery(
                    self._conn, load_id, writer.counts(), records.extra_columns,
                    supersede=latest is not None))
        except DeliveryProblem as problem:
            if latest and latest == (problem.status, content_hash, problem.reason_en):
                return
            self.outcomes.append(state.record_unloaded(
                self._conn, feed.kind, feed.unit_code, delivery.name, delivery.record_kind,
                delivery.day, content_hash, problem))

    def settle(self) -> None:
        """Write the delivery rows and rows of the files read whole so far."""
        if not self._read:
            return
        feed, read = self._feed, self._read
        counts = [r.counts() for r in read]
        load_ids = state.insert_loaded(self._conn, feed.kind, feed.unit_code, [
            (r.delivery.name, r.delivery.record_kind, r.delivery.day, r.content_hash,
             r.columns.extra_columns, c) for r, c in zip(read, counts)])
        state.supersede_many(self._conn, feed.unit_code, [
            (load_id, r.delivery.name) for r, load_id in zip(read, load_ids) if r.supersede])
        for r, load_id, count in zip(read, load_ids, counts):
            columns = r.columns
            self._mapped.add(load_id, columns.record_kind, columns.record_nos, columns.mapped,
                             columns.positions)
            if columns.flagged:
                writer = RowWriter(self._conn, load_id)
                for item in columns.flagged:
                    writer.add(item)
                writer.flush()
            self.outcomes.append(DeliveryOutcome(
                load_id, feed.unit_code, r.delivery.name, "loaded", count.read, count.loaded,
                count.quarantined))
        self._read = []

    def finish(self) -> list[DeliveryOutcome]:
        """Settle what is left and copy the batch's mapped rows; before the commit."""
        self.settle()
        self._mapped.flush()
        return self.outcomes


def file_deliveries(data_dir: str | os.PathLike, feed: Feed) -> list[FileDelivery]:
    """The deliveries in a csv or xlsx feed's drop folder, recognised by their names
    (sources.md §2.2, §2.3); none while the folder is absent (nothing delivered yet)."""
    discover = csv_source.discover if feed.kind == "csv" else xlsx_source.discover
    return discover(Path(data_dir) / feed.path)


def _ingest_files(conn: psycopg.Connection, data_dir: Path, feed: Feed,
                  day_from: date | None, day_to: date | None) -> list[DeliveryOutcome]:
    # An absent drop folder means nothing was delivered yet, which completeness reports.
    deliveries = [d for d in file_deliveries(data_dir, feed) if d.overlaps(day_from, day_to)]
    if not deliveries:
        return []
    refs = _refs(conn)
    outcomes = []
    for batch in _batches(deliveries):
        # A bad file is recorded with its reason and the batch goes on; anything else
        # (the database gone, a bug) rolls the batch back, to be loaded again next run.
        with conn.transaction():
            state.lock_feed(conn, feed.unit_code)
            latest = state.latest_deliveries(conn, feed.unit_code, [d.name for d in batch])
            landing = _Batch(conn, feed, refs, latest)
            landing.land(batch)
            outcomes += landing.finish()
    return outcomes


def _batches(deliveries: list[FileDelivery]) -> Iterator[list[FileDelivery]]:
    """Consecutive deliveries landed in one transaction: at most `BATCH_FILES` files and,
    past the first, `BATCH_BYTES` bytes. Each keeps its own load id, hash and status."""
    batch, size = [], 0
    for delivery in deliveries:
        file_size = delivery.path.stat().st_size
        if batch and (len(batch) >= BATCH_FILES or size + file_size > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(delivery)
        size += file_size
    if batch:
        yield batch


def unsettled_deliveries(dsn: str, feed_unit_code: str, day_from: date,
                         day_to: date) -> dict[str, list[str]]:
    """{status: lines} of the deliveries covering [day_from, day_to] whose newest state is
    `not_loaded` or `rejected` (sources.md §3): what a run of those days must report.

    Read back from raw.deliveries rather than from a run's outcomes: a rerun skips a file
    it has already judged, and must still report it until the unit fixes it.
    """
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "select distinct on (delivery) delivery, status, reason from raw.deliveries"
            " where feed_unit_code = %s and delivery_day between %s and %s"
            " and status <> 'loading' order by delivery, load_id desc",
            (feed_unit_code, day_from, day_to)).fetchall()
    unsettled: dict[str, list[str]] = {}
    for delivery, status, reason in rows:
        if status in ("not_loaded", "rejected"):
            unsettled.setdefault(status, []).append(
                f"  delivery {delivery}: {status} — {reason or 'no reason recorded'}")
    return unsettled


def _seen_at(conn: psycopg.Connection, feed: str, cursor: datetime) -> set[tuple[str, object]]:
    """Records already landed at the cursor's instant, which the inclusive re-read returns."""
    seen: set[tuple[str, object]] = set(conn.execute(
        "select s.case_code, s.updated_at from raw.case_snapshots s"
        " join raw.deliveries d using (load_id)"
        " where d.feed_unit_code = %s and d.source_kind = 'api' and s.updated_at = %s",
        (feed, cursor)).fetchall())
    for (original,) in conn.execute(
            "select q.original from raw.quarantine q join raw.deliveries d using (load_id)"
            " where d.feed_unit_code = %s and d.source_kind = 'api'", (feed,)):
        key = api_source.record_key(original)
        if key[1] == cursor or not isinstance(key[1], datetime):
            seen.add(key)
    return seen


def _ingest_api(conn: psycopg.Connection, feed: Feed,
                retry: api_source.RetryPolicy) -> list[DeliveryOutcome]:
    """Read one window from the feed's cursor; rows and cursor commit together or not at all."""
    client = api_source.ApiClient(feed, retry)
    refs = _refs(conn)
    outcome = None
    with conn.transaction() as tx, client:
        state.lock_feed(conn, feed.unit_code)
        start = state.api_cursor(conn, feed.unit_code) or api_source.BEGINNING
        seen = _seen_at(conn, feed.unit_code, start)
        load_id = state.start_delivery(conn, "api", feed.unit_code, "capNhatTu=…",
                                       "cases_and_events", _today(), None)
        writer = RowWriter(conn, load_id)
        digest = hashlib.sha256()
        end = start
        count = 0
        for count, record in enumerate(
                api_source.read_window(client, start, feed.page_size, seen), start=1):
            # surrogatepass: a lone surrogate (quarantined below) must not stop the hash.
            digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False)
                          .encode("utf-8", "surrogatepass"))
            updated = api_source.record_key(record)[1]
            if isinstance(updated, datetime) and updated > end:
                end = updated
            writer.add(api_source.map_record(record, count, refs))
        if count == 0:
            raise psycopg.Rollback(tx)
        writer.flush()
        window = (f"capNhatTu={start.astimezone(LOCAL_TZ).isoformat()}"
                  f"..{end.astimezone(LOCAL_TZ).isoformat()}")
        state.name_delivery(conn, load_id, window, digest.hexdigest())
        # Windows never share a name in a way that replaces data: each one adds snapshots.
        outcome = state.finish_delivery(conn, load_id, writer.counts(), supersede=False)
        state.save_api_cursor(conn, feed.unit_code, end, load_id)
    return [outcome] if outcome else []


def _ingest(conn: psycopg.Connection, data_dir: Path, feed: Feed, day_from: date | None,
            day_to: date | None, retry: api_source.RetryPolicy | None) -> list[DeliveryOutcome]:
    if feed.kind == "api":
        return _ingest_api(conn, feed, retry or api_source.RetryPolicy())
    return _ingest_files(conn, data_dir, feed, day_from, day_to)


def ingest_feed(dsn: str, data_dir: str | os.PathLike, feed_unit_code: str,
                day_from: date | None = None, day_to: date | None = None, *,
                retry: api_source.RetryPolicy | None = None) -> list[DeliveryOutcome]:
    """Land what one feed has delivered; returns the deliveries recorded by this run.

    File feeds: the files covering any day of [day_from, day_to] (None = unbounded).
    API feeds ignore the day bounds and read one window from their cursor. Idempotent.
    """
    data_dir = Path(data_dir)
    feed = load_registry(data_dir).feed(feed_unit_code)
    with _connect(dsn, feed.unit_code) as conn:
        return _ingest(conn, data_dir, feed, day_from, day_to, retry)


def ingest_workers() -> int:
    """Feeds `ingest_all` loads at once, each in its own process: `CCHC_INGEST_WORKERS`.

    1 by default: feeds then get their load ids in sources.yml order, which readers of
    raw.deliveries (and the tests) rely on; a large backfill sets it to the CPUs (up to 4
    pays on this warehouse: past that the server, not Python, is the limit).
    """
    text = os.environ.get("CCHC_INGEST_WORKERS", "").strip()
    if not text:
        return 1
    if not text.isdigit() or int(text) < 1:
        raise IngestError(f"CCHC_INGEST_WORKERS must be a whole number from 1, not '{text}' /"
                          f" CCHC_INGEST_WORKERS phải là số nguyên từ 1, không phải '{text}'")
    return int(text)


def _ingest_one(dsn: str, data_dir: Path, feed: Feed,
                retry: api_source.RetryPolicy | None) -> list[DeliveryOutcome] | IngestError:
    """One feed of `ingest_all`; its IngestError returned, so a worker process hands it back."""
    try:
        with _connect(dsn, feed.unit_code) as conn:
            return _ingest(conn, data_dir, feed, None, None, retry)
    except IngestError as error:
        return error


def _worker_start(parent: int) -> None:
    # A worker dies with the run that started it, as a serial run's work would.
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the run ended before the signal was armed
            os._exit(1)


def ingest_all(dsn: str, data_dir: str | os.PathLike, *,
               kinds: Iterable[str] = ("api", "csv", "xlsx"),
               retry: api_source.RetryPolicy | None = None) -> list[DeliveryOutcome]:
    """Reference data, then every feed of the given kinds, `ingest_workers()` at a time.

    A failing feed does not stop the others; `FeedsFailed` is raised at the end, naming
    each failed feed and carrying the outcomes of the rest (in sources.yml order).
    """
    data_dir = Path(data_dir)
    outcomes = [load_reference(dsn, data_dir)]
    kinds = set(kinds)
    feeds = [feed for feed in load_registry(data_dir).feeds if feed.kind in kinds]
    workers = min(ingest_workers(), len(feeds))
    if workers <= 1:
        results = [_ingest_one(dsn, data_dir, feed, retry) for feed in feeds]
    else:
        # spawn, not fork: the parent may hold threads and connections a fork would copy.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_worker_start, initargs=(os.getpid(),)) as pool:
            results = list(pool.map(_ingest_one, [dsn] * len(feeds), [data_dir] * len(feeds),
                                    feeds, [retry] * len(feeds)))
    failures: dict[str, Exception] = {}
    for feed, result in zip(feeds, results):
        if isinstance(result, IngestError):
            failures[feed.unit_code] = result
        else:
            outcomes += result
    if failures:
        raise FeedsFailed(outcomes, failures)
    return outcomes
