-- Schemas and roles of the warehouse (docs/architecture.md). Idempotent.
create extension if not exists pgcrypto with schema public;

create schema if not exists raw;
create schema if not exists seeds;
create schema if not exists staging;
create schema if not exists intermediate;
create schema if not exists marts;
create schema if not exists quality;
create schema if not exists publish;

do $$
declare r text;
begin
    foreach r in array array['loader', 'transformer', 'reporter', 'inspector'] loop
        if not exists (select 1 from pg_roles where rolname = r) then
            execute format('create role %I nologin', r);
        end if;
    end loop;
end $$;

-- The loader alone writes raw; personal data never leaves it.
grant usage, create on schema raw to loader;
grant usage on schema raw to transformer;
alter default privileges in schema raw grant select on tables to transformer;
grant usage, create on schema seeds, staging, intermediate, marts to transformer;
-- Inspectors and the report read the published interface only.
grant usage on schema marts to reporter, inspector;
alter default privileges in schema marts grant select on tables to reporter, inspector;
grant usage on schema quality, publish to reporter;
