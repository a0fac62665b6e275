"""The completeness matrix: did every unit deliver every month of the report year?

`sources.yml` (loaded as `raw.ref_feeds`) says which feed should bring whose cases on
which days; `raw.deliveries` says what arrived. For each feed, each unit it delivers for
(its own unit and the units it carries) and each month of the report year in which that
unit is expected through that feed, `quality.completeness` gets one row.

The rule, per feed kind (only case deliveries count: record kinds `cases` and
`cases_and_events`; "loaded" means a current delivery, status `loaded`):

* **in force**: the days of the month inside the feed row's `valid_from..valid_to`, the
  feed's own row's bounds (a carried unit cannot outlive its feed) and the unit's own
  existence in `raw.ref_units`. A month with at least one such day is expected.
* **judged**: only the months that ended by the run's cut-off date (default 31 December
  of the report year): the gate that runs after a build in June judges January to May,
  not the months nobody could have delivered yet.
* **csv** (daily files): at least one loaded case delivery whose `delivery_day` is in the
  month. The cadence is one file a day (`deliveries_expected` = days in force), but a day
  without cases may legitimately send nothing, so one file is the blocking minimum.
* **xlsx** (monthly workbooks): the month's workbook loaded, i.e. a loaded case delivery
  whose `delivery_day` (the workbook month's last day) is in the month.
* **api** (incremental reads from a cursor): every read continues from the previous
  cursor, so a month is delivered once a loaded read happened on or after its last day,
  or the feed's cursor (`raw.api_cursors`) is past its last day. The counts of an api row
  are the reads made during the month, for information.

Carried units inherit their feed's completeness while carried: their rows are computed
from the feed's deliveries over the days the feed carries them.

Given the data directory, `files_landed` counts the case files of csv and xlsx feeds
waiting in their drop folder for the month, so that "never sent" and "sent but not
ingested" read differently; it does not change `complete`: only loaded data counts.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import psycopg

from ingest.pipeline import file_deliveries
from ingest.registry import load_registry

_MATRIX_SQL = """
insert into quality.completeness (
    run_id, period_year, period_month, unit_code, feed_unit_code, feed_kind, carried,
    in_force_from, in_force_to, deliveries_expected, deliveries_received,
    deliveries_loaded, rows_quarantined, last_delivery_at, complete, files_landed)
with landed as (
    select * from unnest(%(landed_feeds)s::text[], %(landed_months)s::int[])
        as l(feed_unit_code, period_month)
),
feed_units as (
    select f.feed_unit_code, f.kind, f.unit_code, f.unit_code <> f.feed_unit_code as carried,
           greatest(coalesce(f.valid_from, '-infinity'::date),
                    coalesce(own.valid_from, '-infinity'::date),
                    coalesce(u.valid_from, '-infinity'::date)) as from_day,
           least(coalesce(f.valid_to, 'infinity'::date),
                 coalesce(own.valid_to, 'infinity'::date),
                 coalesce(u.valid_to, 'infinity'::date)) as to_day
    from raw.ref_feeds f
    left join raw.ref_feeds own
           on own.feed_unit_code = f.feed_unit_code and own.unit_code = f.feed_unit_code
    left join raw.ref_units u on u.unit_code = f.unit_code
),
months as (
    select * from (
        select m as period_month, make_date(%(year)s, m, 1) as month_start,
               (make_date(%(year)s, m, 1) + interval '1 month - 1 day')::date as month_end
        from generate_series(1, 12) as m
    ) as all_months
    where month_end <= %(cutoff_date)s
),
expected as (
    select fu.*, mo.period_month, mo.month_start, mo.month_end,
           greatest(fu.from_day, mo.month_start) as in_force_from,
           least(fu.to_day, mo.month_end) as in_force_to
    from feed_units fu
    cross join months mo
    where greatest(fu.from_day, mo.month_start) <= least(fu.to_day, mo.month_end)
),
case_deliveries as (
    select * from raw.deliveries where record_kind in ('cases', 'cases_and_events')
),
counted as (
    select e.*,
           count(d.load_id) as received,
           count(d.load_id) filter (where d.status = 'loaded') as loaded,
           coalesce(sum(d.rows_quarantined) filter (where d.status = 'loaded'), 0) as quarantined,
           max(d.received_at) as last_delivery_at
    from expected e
    left join case_deliveries d
           on d.feed_unit_code = e.feed_unit_code
          and d.delivery_day between e.month_start and e.month_end
    group by e.feed_unit_code, e.kind, e.unit_code, e.carried, e.from_day, e.to_day,
             e.period_month, e.month_start, e.month_end, e.in_force_from, e.in_force_to
)
select %(run_id)s, %(year)s, c.period_month, c.unit_code, c.feed_unit_code, c.kind, c.carried,
       c.in_force_from, c.in_force_to,
       case c.kind when 'csv' then c.in_force_to - c.in_force_from + 1 else 1 end,
       c.received, c.loaded, c.quarantined, c.last_delivery_at,
       case c.kind
           when 'csv' then c.loaded > 0
           when 'xlsx' then c.loaded > 0
           when 'api' then exists (
                   select 1 from case_deliveries d
                   where d.feed_unit_code = c.feed_unit_code and d.status = 'loaded'
                     and d.delivery_day >= c.month_end)
               or exists (
                   select 1 from raw.api_cursors k
                   where k.feed_unit_code = c.feed_unit_code
                     and (k.cursor_at at time zone 'Asia/Ho_Chi_Minh')::date > c.month_end)
           else false
       end,
       case when %(with_landing)s then (
           select count(*) from landed l
           where l.feed_unit_code = c.feed_unit_code and l.period_month = c.period_month)
       end
from counted c
"""


def _landed_files(data_dir: Path, year: int) -> list[tuple[str, int]]:
    """(feed_unit_code, month) of every case file of `year` in the csv/xlsx drop folders,
    recognised as ingest recognises them."""
    landed = []
    for feed in load_registry(data_dir).feeds:
        if feed.kind == "api":
            continue
        for delivery in file_deliveries(data_dir, feed):
            if delivery.record_kind != "events" and delivery.first_day.year == year:
                landed.append((feed.unit_code, delivery.first_day.month))
    return landed


def build_matrix(
    conn: psycopg.Connection, year: int, run_id: str, data_dir: str | os.PathLike | None = None,
    cutoff_date: dt.date | None = None,
) -> int:
    """Write the completeness matrix of `year` for run `run_id` (the months ended by
    `cutoff_date`, default 31 December); return its row count."""
    landed = _landed_files(Path(data_dir), year) if data_dir else []
    cursor = conn.execute(_MATRIX_SQL, {
        "year": year,
        "cutoff_date": cutoff_date or dt.date(year, 12, 31),
        "run_id": run_id,
        "with_landing": data_dir is not None,
        "landed_feeds": [feed for feed, _ in landed],
        "landed_months": [month for _, month in landed],
    })
    return cursor.rowcount
