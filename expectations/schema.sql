-- The quality schema: what the gate checked, what it let through, and which deliveries
-- arrived. Written by the `expectations` package only; the marts quality_results,
-- quality_waivers and quality_completeness are dbt views over them. Idempotent.
create schema if not exists quality;

-- One row per check per run. The marts.md columns come first (run_id … severity);
-- the rest is what the gate and the report's quality annex need.
create table if not exists quality.check_results (
    run_id         uuid not null,
    checked_at     timestamptz not null,
    suite          text not null,                  -- GX suite, '<layer>__<table>'
    "check"        text not null,                  -- check name, a key of expectations/severity.py
    passed         boolean not null,
    observed       numeric not null,               -- offending rows (0 when passed); unit of count in message_en
    severity       text not null check (severity in ('blocking', 'warning')),
    report_year    integer not null,
    suite_version  text not null,
    unit_codes     text[] not null default '{}',   -- units named by the offending rows
    details        jsonb not null default '[]',    -- the offending rows (capped), unit-level detail
    message_vi     text not null,
    message_en     text not null,
    primary key (run_id, "check")
);
create index if not exists check_results_year_idx on quality.check_results (report_year, checked_at desc);

-- A waiver lets a failing blocking check through for one report year, for one unit or
-- (unit_code null) for every unit. Data, not code: who decided, why, until when.
create table if not exists quality.waivers (
    waiver_id    bigint generated always as identity primary key,
    "check"      text not null,
    unit_code    text,
    report_year  integer not null,
    waived_by    text not null check (btrim(waived_by) <> ''),
    reason       text not null check (btrim(reason) <> ''),
    valid_until  date not null,
    created_at   timestamptz not null default now()
);
create index if not exists waivers_year_idx on quality.waivers (report_year, "check");

-- The completeness matrix of a run: feed × unit × month of the report year in which the
-- unit is expected to deliver through the feed (expectations/completeness.py has the rule).
create table if not exists quality.completeness (
    run_id               uuid not null,
    period_year          integer not null,           -- the report year
    period_month         integer not null check (period_month between 1 and 12),
    unit_code            text not null,
    feed_unit_code       text not null,
    feed_kind            text not null,
    carried              boolean not null,           -- the unit delivers through another unit's feed
    in_force_from        date not null,              -- the part of the month the feed is expected to cover
    in_force_to          date not null,
    deliveries_expected  integer not null,           -- by the feed's cadence: csv one a day, xlsx and api one
    deliveries_received  integer not null,           -- case deliveries seen, whatever their status
    deliveries_loaded    integer not null,           -- of those, current (status loaded)
    rows_quarantined     integer not null,
    last_delivery_at     timestamptz,
    complete             boolean not null,
    -- complete / missing, as the report's quality annex prints it
    status               text generated always as
                         (case when complete then 'complete' else 'missing' end) stored,
    files_landed         integer,                    -- case files in the drop folder (csv, xlsx); null unless the data directory was given
    primary key (run_id, feed_unit_code, unit_code, period_month)
);

-- dbt builds the quality marts (quality_results, quality_waivers, quality_completeness) as
-- views over these tables; the report reads those. Roles come from cchc/sql/bootstrap.sql
-- when present (cchc/sql/grants.sql gives the rest).
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'transformer') then
        grant usage on schema quality to transformer;
        grant select on quality.check_results, quality.waivers, quality.completeness
            to transformer;
    end if;
end $$;
