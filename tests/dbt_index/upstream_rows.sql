-- Hand-made upstream relations for the index models and the procedures' online share:
-- the columns of marts.md / the internal contract these models read, with a small province whose
-- every expected number is worked out by hand in test_index_marts.py.
--
-- Departments: SNV, STP, SXD (never any case), STC, and SKH merged into STC on
-- 2025-07-01. Districts: H1 with commune H1.X1; H2 with commune H2.X1, merged into
-- commune H2.X2 on 2025-04-01.

create table intermediate.int_units (
    unit_code text, unit_name text, unit_kind text, parent_code text,
    valid_from date, valid_to date, successor_code text
);
insert into intermediate.int_units values
    ('SNV',   'Sở Nội vụ',            'DEPARTMENT', null, '2018-01-01', null,         null),
    ('STP',   'Sở Tư pháp',           'DEPARTMENT', null, '2018-01-01', null,         null),
    ('SXD',   'Sở Xây dựng',          'DEPARTMENT', null, '2018-01-01', null,         null),
    ('SKH',   'Sở Kế hoạch và Đầu tư', 'DEPARTMENT', null, '2018-01-01', '2025-06-30', 'STC'),
    ('STC',   'Sở Tài chính',         'DEPARTMENT', null, '2018-01-01', null,         null),
    ('H1',    'UBND huyện Một',       'DISTRICT',   null, '2018-01-01', null,         null),
    ('H1.X1', 'UBND xã Một',          'COMMUNE',    'H1', '2018-01-01', null,         null),
    ('H2',    'UBND huyện Hai',       'DISTRICT',   null, '2018-01-01', null,         null),
    ('H2.X1', 'UBND xã Hai',          'COMMUNE',    'H2', '2018-01-01', '2025-03-31', 'H2.X2'),
    ('H2.X2', 'UBND xã Ba',           'COMMUNE',    'H2', '2018-01-01', null,         null);

-- The spines as int_unit_months / int_unit_years build them: data from 2024, cut-off
-- 2025-12-31, every unit in force in the period.
create table intermediate.int_unit_months as
select
    units.unit_code,
    extract(year from months.period_start)::int as period_year,
    extract(month from months.period_start)::int as period_month,
    months.period_start::date as period_start,
    (months.period_start + interval '1 month' - interval '1 day')::date as period_end
from generate_series(date '2024-01-01', date '2025-12-01', interval '1 month') as months (period_start)
inner join intermediate.int_units as units
    on units.valid_from <= (months.period_start + interval '1 month' - interval '1 day')::date
    and (units.valid_to is null or units.valid_to >= months.period_start::date);

create table intermediate.int_unit_years as
select
    units.unit_code,
    years.period_year,
    make_date(years.period_year, 1, 1) as period_start,
    make_date(years.period_year, 12, 31) as period_end
from (values (2024), (2025)) as years (period_year)
inner join intermediate.int_units as units
    on units.valid_from <= make_date(years.period_year, 12, 31)
    and (units.valid_to is null or units.valid_to >= make_date(years.period_year, 1, 1));

-- Yearly counts per accepting unit as int_unit_years__case_counts builds them (only the
-- columns the index reads), 2025 only for Biểu 06 and apologies (2024 has none, so every
-- 2024 computed criterion is "no cases"); the counting itself is tested on the real
-- models (tests/dbt, the unit tests of intermediate/units, test_on_the_real_core.py).
-- Online receipts (received_in_period …) are zeros for every unit in force but:
-- H1: C1 online FULL (fee paid, result digitised), C2 direct FULL (fee not paid, result
-- not digitised), C3 direct PARTIAL (stopped: no fee, no result), C4 postal NONE (open);
-- H1.X1: C5 online FULL (fee paid, result digitised).
create table intermediate.int_unit_years__case_counts as
select
    spine.unit_code, spine.period_year, spine.period_start, spine.period_end,
    bieu06.received_total::bigint, bieu06.resolved_total::bigint,
    bieu06.resolved_early::bigint, bieu06.resolved_on_time::bigint,
    bieu06.pending_overdue::bigint, apology.late_cases::bigint,
    apology.apology_compliant::bigint,
    coalesce(online.received_in_period, 0)::bigint as received_in_period,
    coalesce(online.received_online, 0)::bigint as received_online,
    coalesce(online.received_full_process, 0)::bigint as received_full_process,
    coalesce(online.received_online_full_process, 0)::bigint as received_online_full_process,
    coalesce(online.fee_cases, 0)::bigint as fee_cases,
    coalesce(online.paid_online, 0)::bigint as paid_online,
    coalesce(online.resolved_with_result, 0)::bigint as resolved_with_result,
    coalesce(online.digitised_results, 0)::bigint as digitised_results
from intermediate.int_unit_years as spine
left join (values
    ('H1',    2025, 50, 49, 40, 9, 0),
    ('H1.X1', 2025, 1,  1,  0,  0, 0),
    ('STC',   2025, 30, 30, 30, 0, 0),
    ('SKH',   2025, 12, 10, 5,  3, 1),
    ('SNV',   2025, 0,  0,  0,  0, 0)
) as bieu06 (unit_code, period_year, received_total, resolved_total, resolved_early,
           resolved_on_time, pending_overdue)
    on spine.unit_code = bieu06.unit_code and spine.period_year = bieu06.period_year
left join (values
    ('H1.X1', 2025, 1, 1),
    ('SKH',   2025, 2, 1)
) as apology (unit_code, period_year, late_cases, apology_compliant)
    on spine.unit_code = apology.unit_code and spine.period_year = apology.period_year
left join (values
    ('H1',    2025, 4, 1, 2, 1, 2, 1, 2, 1),
    ('H1.X1', 2025, 1, 1, 1, 1, 1, 1, 1, 1)
) as online (unit_code, period_year, received_in_period, received_online,
             received_full_process, received_online_full_process, fee_cases, paid_online,
             resolved_with_result, digitised_results)
    on spine.unit_code = online.unit_code and spine.period_year = online.period_year;

create table staging.stg_raw__appraisal (
    appraisal_year int, unit_code text, criterion_code text, score numeric
);
insert into staging.stg_raw__appraisal values
    (2024, 'SNV', 'TCBM', 40), (2024, 'SNV', 'SURVEY', 5), (2024, 'SNV', 'SATISFACTION_PCT', 50),
    (2024, 'STP', 'TCBM', 55), (2024, 'STP', 'SURVEY', 9), (2024, 'STP', 'SATISFACTION_PCT', 95),
    (2024, 'SKH', 'TCBM', 50), (2024, 'SKH', 'SURVEY', 8), (2024, 'SKH', 'SATISFACTION_PCT', 80),
    (2024, 'STC', 'TCBM', 45), (2024, 'STC', 'SURVEY', 8), (2024, 'STC', 'SATISFACTION_PCT', 80),
    (2025, 'SNV', 'TCBM', 55),   (2025, 'SNV', 'SURVEY', 9), (2025, 'SNV', 'SATISFACTION_PCT', 90),
    (2025, 'STP', 'TCBM', 52.5), (2025, 'STP', 'SURVEY', 8), (2025, 'STP', 'SATISFACTION_PCT', 80),
    (2025, 'SXD', 'TCBM', 48.5), (2025, 'SXD', 'SURVEY', 8), (2025, 'SXD', 'SATISFACTION_PCT', 100),
    (2025, 'STC', 'TCBM', 50),   (2025, 'STC', 'SURVEY', 7), (2025, 'STC', 'SATISFACTION_PCT', 75),
    (2025, 'STC', 'TTHC_ON_TIME', 3.0),
    (2025, 'H1', 'TCBM', 50), (2025, 'H1', 'SURVEY', 8.5), (2025, 'H1', 'SATISFACTION_PCT', 91.25),
    (2025, 'H2', 'TCBM', 60), (2025, 'H2', 'SURVEY', 10),  (2025, 'H2', 'SATISFACTION_PCT', 100);

create table staging.stg_raw__procedures (
    procedure_code text, online_level text, valid_from date, valid_to date
);
insert into staging.stg_raw__procedures values
    ('1.000001', 'FULL',    '2018-01-01', null),
    ('1.000002', 'PARTIAL', '2018-01-01', null),
    ('1.000003', 'NONE',    '2018-01-01', null),
    ('1.000004', 'NONE',    '2018-01-01', '2024-12-31'),
    ('1.000004', 'FULL',    '2025-01-01', null),
    ('1.000005', 'FULL',    '2026-01-01', null);
