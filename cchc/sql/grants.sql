-- Least privilege (marts.md §Roles, docs/decisions.md §9). Run last by
-- cchc.warehouse.bootstrap, after every stage created its tables; idempotent.
-- Default privileges name the roles that create tables later: the administrator running
-- this file (stage DDL), loader (raw) and transformer (everything dbt builds).

-- loader: raw only — reads and writes it, sees nothing else.
grant usage, create on schema raw to loader;
grant select, insert, update, delete, truncate on all tables in schema raw to loader;
grant usage, select, update on all sequences in schema raw to loader;
alter default privileges in schema raw grant select, insert, update, delete, truncate on tables to loader;
alter default privileges in schema raw grant usage, select, update on sequences to loader;

-- transformer (dbt): reads raw, owns seeds, staging, intermediate and marts.
grant usage on schema raw to transformer;
grant select on all tables in schema raw to transformer;
alter default privileges in schema raw grant select on tables to transformer;
alter default privileges for role loader in schema raw grant select on tables to transformer;
grant usage, create on schema seeds, staging, intermediate, marts to transformer;
-- marts.quality_results, quality_waivers and quality_completeness are views over these.
grant usage on schema quality to transformer;
grant select on quality.check_results, quality.waivers, quality.completeness to transformer;

-- ... and holds the marts lease of its build (cchc.marts_lock).
grant usage on schema ops to transformer;
grant select, update on ops.marts_lease to transformer;
-- The report holds the lease as a reader while it reads the marts (cchc report) and
-- records which build it read (ops.marts_lease.built_by), which it cannot change.
grant usage on schema ops to reporter;
grant select, update (holder, claimed_at, host, pid) on ops.marts_lease to reporter;

-- Objects a superuser built before the pipeline had its own logins pass to the transformer,
-- or dbt could not replace them.
do $$
declare obj record;
begin
    for obj in
        select c.relkind, format('%I.%I', n.nspname, c.relname) as name
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('seeds', 'staging', 'intermediate', 'marts')
          and c.relkind in ('r', 'p', 'v', 'm')
          and pg_get_userbyid(c.relowner) <> 'transformer'
    loop
        execute format('alter %s %s owner to transformer',
                       case obj.relkind when 'v' then 'view' when 'm' then 'materialized view'
                                        else 'table' end, obj.name);
    end loop;
end $$;

-- checker (quality checks and the gate): reads every layer, writes quality results.
grant usage on schema raw, seeds, staging, intermediate, marts, quality to checker;
grant select on all tables in schema raw, seeds, staging, intermediate, marts to checker;
alter default privileges in schema raw grant select on tables to checker;
alter default privileges for role loader in schema raw grant select on tables to checker;
alter default privileges for role transformer in schema seeds, staging, intermediate, marts
    grant select on tables to checker;
grant select, insert, update, delete on all tables in schema quality to checker;
grant usage, select on all sequences in schema quality to checker;

-- reporter (report and its editions): reads marts only — the quality annex too, through
-- the quality marts — and writes publish. Waivers are recorded as the checker, which
-- writes quality; an older version's grants on quality are taken back.
grant usage on schema marts, publish to reporter;
grant select on all tables in schema marts to reporter;
grant select, insert, update, delete on all tables in schema publish to reporter;
grant usage, select on all sequences in schema publish to reporter;
revoke all on all tables in schema quality from reporter;
revoke all on all sequences in schema quality from reporter;
revoke usage on schema quality from reporter;

-- inspector: the published marts only (dbt's grants config grants each table it builds).
grant usage on schema marts to inspector;
grant select on all tables in schema marts to inspector;
alter default privileges for role transformer in schema marts grant select on tables to reporter, inspector;
