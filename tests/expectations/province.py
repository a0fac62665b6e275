"""A small hand-made province for the quality-gate tests, clean by construction.

Units: a department (H31.SNV, csv feed), a district (H31.305, api feed) carrying its
commune H31.305.01 for the feed's whole life and commune H31.305.07 from 2024-07-01,
when H31.305.07 left its own xlsx feed; and H31.305.09, merged away at the end of 2023
(in force in no month of 2024, so expected nowhere).

The dbt models are built elsewhere; the staging, intermediate and marts relations the
gate reads are stood in by plain tables with the columns the gate reads (marts.md and
dbt/models/staging/_raw__models.yml), filled with rows whose numbers add up.
"""
from __future__ import annotations

import psycopg

YEAR = 2024
UNITS_IN_FORCE = ("H31.305", "H31.305.01", "H31.305.07", "H31.SNV")

_STAND_INS = """
drop table if exists staging.stg_raw__cases, intermediate.int_calendar__days, marts.dim_units,
    marts.fct_cases, marts.mart_par_index_criteria,
    marts.mart_on_time, marts.mart_on_time_yearly, marts.mart_online_service_rate,
    marts.mart_online_service_rate_yearly;
create table staging.stg_raw__cases (
    case_code text, unit_code text, procedure_code text, status_code smallint,
    received_date date, terminal_at_date date, appointment_date date);
create table marts.fct_cases (
    case_code text, unit_code text, procedure_code text, sector text, received_date date,
    original_due_date date, statutory_due_date date, due_date date, terminal_date date,
    terminal_date_fallback boolean, procedure_version_nearest boolean);
create table marts.mart_par_index_criteria (
    ranking_unit_code text, period_year integer, criterion_code text, component text,
    measure_value numeric, max_points numeric, source text, counted boolean);
create table intermediate.int_calendar__days (
    calendar_date date primary key, calendar_year integer, is_working_day boolean,
    working_day_index integer);
create table marts.dim_units (
    unit_code text, unit_name text, unit_kind text, parent_code text,
    valid_from date, valid_to date, successor_code text);
create table marts.mart_on_time_yearly (
    unit_code text, period_year integer,
    received_total integer, received_online integer, received_direct_postal integer,
    carried_over integer, resolved_total integer, resolved_early integer,
    resolved_on_time integer, resolved_late integer, pending_total integer,
    pending_in_time integer, pending_overdue integer,
    on_time_rate numeric, on_time_rate_766 numeric, rejected_at_desk integer);
create table marts.mart_on_time (like marts.mart_on_time_yearly);
alter table marts.mart_on_time add column period_month integer;
create table marts.mart_online_service_rate_yearly (
    unit_code text, period_year integer, received_total integer, received_online integer,
    online_rate numeric, online_rate_capable numeric, full_process_online_rate numeric,
    postal_rate numeric, online_payment_rate numeric, digitised_result_rate numeric,
    rating_satisfaction_rate numeric);
create table marts.mart_online_service_rate (like marts.mart_online_service_rate_yearly);
alter table marts.mart_online_service_rate add column period_month integer;
"""

_REFERENCE = """
truncate raw.case_events, raw.quarantine, raw.case_snapshots, raw.ref_units, raw.ref_procedures,
    raw.ref_calendar, raw.ref_appraisal, raw.ref_feeds, raw.api_cursors, raw.deliveries
    restart identity;
truncate quality.check_results, quality.waivers, quality.completeness;
insert into raw.deliveries (source_kind, feed_unit_code, delivery, record_kind, delivery_day,
                            status, received_at)
values ('reference', 'REFERENCE', 'reference', 'reference', '2024-01-01', 'loaded',
        '2024-01-01 08:00+07');
insert into raw.ref_units values
    (1, 'H31.SNV', 'Sở Nội vụ', 'DEPARTMENT', null, '2018-01-01', null, null),
    (1, 'H31.305', 'UBND quận Lê Chân', 'DISTRICT', null, '2018-01-01', null, null),
    (1, 'H31.305.01', 'UBND phường An Biên', 'COMMUNE', 'H31.305', '2018-01-01', null, null),
    (1, 'H31.305.07', 'UBND phường Hàng Kênh', 'COMMUNE', 'H31.305', '2018-01-01', null, null),
    (1, 'H31.305.09', 'UBND phường Cát Dài', 'COMMUNE', 'H31.305', '2018-01-01', '2023-12-31',
     'H31.305.01');
insert into raw.ref_procedures values
    (1, '1.001612', 'Đăng ký khai sinh', 'Hộ tịch', 'COMMUNE', 3, 'FULL', '2018-01-01', null),
    (1, '2.000889', 'Cấp giấy phép xây dựng', 'Xây dựng', 'DISTRICT', 15, 'PARTIAL',
     '2018-01-01', null);
insert into raw.ref_calendar values (1, '2024-04-30', 'HOLIDAY'), (1, '2024-05-04', 'WORKDAY');
insert into raw.ref_feeds values
    (1, 'H31.SNV', 'csv', 'H31.SNV', null, null),
    (1, 'H31.305', 'api', 'H31.305', null, null),
    (1, 'H31.305', 'api', 'H31.305.01', null, null),
    (1, 'H31.305', 'api', 'H31.305.07', '2024-07-01', null),
    (1, 'H31.305.07', 'xlsx', 'H31.305.07', null, '2024-06-30'),
    (1, 'H31.305.09', 'xlsx', 'H31.305.09', null, '2023-12-31');
"""

# One csv file on the 15th of each month, one workbook for each month of the xlsx feed's
# life, and one api read early in the next year (whose cursor then stands past year end).
_DELIVERIES = """
insert into raw.deliveries (source_kind, feed_unit_code, delivery, record_kind, delivery_day,
                            status, received_at, rows_read, rows_loaded, rows_quarantined)
select 'csv', 'H31.SNV', format('hoso_2024%s15.csv', lpad(m::text, 2, '0')), 'cases',
       make_date(2024, m, 15), 'loaded', make_date(2024, m, 15) + time '18:00', 2, 2, 0
from generate_series(1, 12) m
union all
select 'xlsx', 'H31.305.07', format('BaoCao_HoSo_2024_%s.xlsx', lpad(m::text, 2, '0')),
       'cases', (make_date(2024, m, 1) + interval '1 month - 1 day')::date, 'loaded',
       make_date(2024, m, 1) + interval '1 month' + time '09:00', 1, 1, 0
from generate_series(1, 6) m
union all
select 'api', 'H31.305', 'capNhatTu=2024-01-01T00:00:00+07:00..2025-01-02T06:00:00+07:00',
       'cases_and_events', '2025-01-02', 'loaded', '2025-01-02 06:00+07', 3, 3, 0;
insert into raw.api_cursors (feed_unit_code, cursor_at, load_id)
select 'H31.305', '2025-01-02 06:00+07', load_id from raw.deliveries where source_kind = 'api';
insert into raw.case_snapshots (load_id, record_no, case_code, unit_code, procedure_code,
                                channel, received_at, status_code, updated_at)
select d.load_id, r.record_no,
       format('H31.SNV-%s-%s', to_char(d.delivery_day, 'YYYYMM'), r.record_no),
       'H31.SNV', '2.000889', 1, d.delivery_day + time '09:00', 2, d.delivery_day + time '09:00'
from raw.deliveries d cross join generate_series(1, 2) as r(record_no)
where d.source_kind = 'csv'
union all
select d.load_id, 1, 'H31.305.07-' || d.delivery, 'H31.305.07', '1.001612', 1,
       d.delivery_day + time '08:00', 4, d.delivery_day + time '08:00'
from raw.deliveries d where d.source_kind = 'xlsx'
union all
select d.load_id, r.record_no, 'H31.305-api-' || r.record_no,
       (array['H31.305', 'H31.305.01', 'H31.305.07'])[r.record_no], '1.001612', 2,
       '2024-08-01 08:00+07', 10, '2024-08-05 10:00+07'
from raw.deliveries d cross join generate_series(1, 3) as r(record_no)
where d.source_kind = 'api';
"""

_TRANSFORMED = """
insert into staging.stg_raw__cases values
    ('H31.SNV-202403-1', 'H31.SNV', '2.000889', 10, '2024-03-15', '2024-04-02', '2024-04-05'),
    ('H31.SNV-202412-1', 'H31.SNV', '2.000889', 4, '2024-12-15', null, '2025-01-08'),
    ('H31.305-api-1', 'H31.305', '1.001612', 10, '2024-08-01', '2024-08-05', '2024-08-06'),
    ('H31.305-api-2', 'H31.305.01', '1.001612', 10, '2024-08-01', '2024-08-05', '2024-08-06'),
    ('H31.305-api-3', 'H31.305.07', '1.001612', 9, '2024-08-01', '2024-08-02', null);
insert into marts.fct_cases
select case_code, unit_code, procedure_code, 'Hộ tịch', received_date, appointment_date,
       coalesce(appointment_date, received_date + 3), coalesce(appointment_date, received_date + 3),
       terminal_at_date, false, false
from staging.stg_raw__cases;
-- The two ranked units' appraisal scores: the methodology's SURVEY (0-10 points) and
-- SATISFACTION_PCT (0-100 %), two document-judged criteria, and a council score of a
-- computed criterion (reported, not counted).
insert into marts.mart_par_index_criteria
select u.unit_code, 2024, c.criterion_code, c.component, c.score, c.max_points, c.source,
       c.counted
from (values ('H31.SNV'), ('H31.305')) as u(unit_code)
cross join (values
    ('SURVEY', 'survey', 8.5, 10.0, 'appraisal', true),
    ('SATISFACTION_PCT', 'satisfaction', 91.0, 20.0, 'appraisal', true),
    ('CC_THE_CHE', 'appraisal', 6.0, null, 'appraisal', true),
    ('CC_CONG_CHUC', 'appraisal', 9.0, null, 'appraisal', true),
    ('TTHC_ON_TIME', 'computed', 2.5, 3.0, 'appraisal', false),
    ('TTHC_ON_TIME', 'computed', 98.5, 3.0, 'computed', true)
) as c(criterion_code, component, score, max_points, source, counted);
insert into intermediate.int_calendar__days
select d::date, extract(year from d)::int, extract(isodow from d) < 6,
       (count(*) filter (where extract(isodow from d) < 6) over (order by d))::int
from generate_series('2024-01-01'::date, '2025-12-31'::date, interval '1 day') d;
insert into marts.dim_units
select unit_code, unit_name, unit_kind, parent_code, valid_from, valid_to, successor_code
from raw.ref_units;
-- 10 received = 3 online + 5 direct/postal + 2 carried over = 8 resolved + 2 pending.
insert into marts.mart_on_time_yearly
select unit_code, 2024, 10, 3, 5, 2, 8, 5, 2, 1, 2, 1, 1, 87.5, 80, 0
from marts.dim_units where valid_to is null;
-- March leaves 1 case pending, which April carries over.
insert into marts.mart_on_time
select unit_code, 2024, 2, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 100, 100, 0, 3
from marts.dim_units where valid_to is null
union all
select unit_code, 2024, 2, 1, 0, 1, 2, 1, 0, 1, 0, 0, 0, 50, 50, 0, 4
from marts.dim_units where valid_to is null;
insert into marts.mart_online_service_rate_yearly
select unit_code, 2024, 10, 3, 30, 37.5, null, 0, 100, 62.5, 95 from marts.dim_units
where valid_to is null;
insert into marts.mart_online_service_rate
select unit_code, 2024, 2, 1, 50, 50, null, 0, null, null, null, 3 from marts.dim_units
where valid_to is null;
"""


def reset(dsn: str) -> None:
    """Replace whatever the previous test left with the clean province."""
    with psycopg.connect(dsn) as conn:
        for statement in (_STAND_INS, _REFERENCE, _DELIVERIES, _TRANSFORMED):
            conn.execute(statement)


def execute(dsn: str, sql: str, params: tuple | None = None) -> None:
    """Apply one hand-made break to the province, committed so the gate sees it."""
    with psycopg.connect(dsn) as conn:
        conn.execute(sql, params)
