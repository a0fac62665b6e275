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

-- The report builder runs as `reporter` (marts.md: SELECT on marts); it also records its
-- editions here. Roles come from cchc/sql/bootstrap.sql when present.
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'reporter') then
        grant usage on schema publish to reporter;
        grant select, insert on all tables in schema publish to reporter;
    end if;
end $$;
