-- The publish schema: every edition of the annual report and the figures it published.
-- Idempotent: run by reports.editions.ensure_schema(conn) from cchc.warehouse.bootstrap.
create schema if not exists publish;

create table if not exists publish.editions (
    edition_id          bigint generated always as identity primary key,
    report_year         integer     not null,
    -- 1, 2, ... within the year: "lần công bố thứ n"
    edition_no          integer     not null,
    built_at            timestamptz not null default now(),
    -- current deliveries (marts.load_audit, status 'loaded') behind the figures
    load_ids            text[]      not null,
    quality_run_id      text,
    methodology_version text,
    figures_hash        text        not null,
    figure_count        integer     not null,
    previous_edition_id bigint references publish.editions (edition_id),
    unique (report_year, edition_no)
);

-- The figures exactly as printed (rounded as displayed), so a restatement is a change
-- a reader could see, not noise in the tenth decimal.
create table if not exists publish.edition_figures (
    edition_id bigint  not null references publish.editions (edition_id) on delete cascade,
    figure_key text    not null,
    value      numeric,
    primary key (edition_id, figure_key)
);

-- Restatement log: what an edition changed against the previous edition of its year.
create table if not exists publish.edition_changes (
    edition_id     bigint not null references publish.editions (edition_id) on delete cascade,
    figure_key     text   not null,
    previous_value numeric,
    new_value      numeric,
    -- a figure that appears or disappears is a change too (e.g. a unit merged away)
    change_kind    text   not null check (change_kind in ('changed', 'added', 'removed')),
    primary key (edition_id, figure_key)
);

-- What an edition was built from, so that `cchc report --verify` can rebuild it (issue
-- #13). Added after the first editions: `add column if not exists` upgrades a warehouse
-- in place, and an older edition keeps nulls there (it cannot be verified).
alter table publish.editions
    -- the day open cases were judged at (dbt var cutoff_date; report_year is the year)
    add column if not exists cutoff_date date,
    -- dbt-core's version and a hash of the dbt project's files (cchc.dbt_runner)
    add column if not exists dbt_version text,
    -- the run whose build of the marts the report read (ops.marts_lease.built_by)
    add column if not exists marts_build text;

-- Every delivery behind the figures as it stood when the report read the marts: the
-- current ones (status 'loaded') and the superseded ones, whose events still count
-- (docs/architecture.md, conventions). Raw rows are never rewritten, so these load ids
-- select exactly the rows dbt built from.
create table if not exists publish.edition_deliveries (
    edition_id   bigint  not null references publish.editions (edition_id) on delete cascade,
    load_id      bigint  not null,
    status       text    not null check (status in ('loaded', 'superseded')),
    content_hash text,
    rows_loaded  integer not null,
    primary key (edition_id, load_id)
);

-- The report builder runs as `reporter` (marts.md: SELECT on marts); it also records its
-- editions here. Roles come from cchc/sql/bootstrap.sql when present.
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'reporter') then
        grant usage on schema publish to reporter;
        grant select, insert on all tables in schema publish to reporter;
    end if;
end $$;
