-- Raw landing layer: the only place personal data lives. Owned by the `loader` role.
-- Append-only apart from delivery status changes; every row carries its load_id.
create schema if not exists raw;

-- One row per delivery ever seen (a file, a workbook, an API window, a reference load).
create table if not exists raw.deliveries (
    load_id           bigint generated always as identity primary key,
    source_kind       text not null check (source_kind in ('api', 'csv', 'xlsx', 'reference')),
    feed_unit_code    text not null,               -- sources.yml unit_code of the feed ('REFERENCE' for reference data)
    delivery          text not null,               -- file name, or API window 'capNhatTu=<iso>..<iso>'
    record_kind       text not null check (record_kind in ('cases', 'events', 'cases_and_events', 'reference')),
    delivery_day      date not null,               -- day the delivery covers: CSV day, last day of workbook month, day API read
    content_hash      text,                        -- sha256 of the file bytes / canonical API records
    received_at       timestamptz not null default now(),
    status            text not null check (status in ('loading', 'loaded', 'superseded', 'not_loaded', 'rejected')),
    reason            text,                        -- why not_loaded / rejected (English; reason_vi beside it)
    reason_vi         text,
    extra_columns     text[] not null default '{}', -- schema drift: delivered columns outside the contract
    rows_read         integer not null default 0,
    rows_loaded       integer not null default 0,
    rows_quarantined  integer not null default 0,
    superseded_by     bigint references raw.deliveries (load_id),
    constraint reconciles check (status = 'loading' or rows_read = rows_loaded + rows_quarantined)
);
create index if not exists deliveries_feed_idx on raw.deliveries (feed_unit_code, delivery);

-- Case snapshots exactly as delivered, typed and mapped to national codes.
create table if not exists raw.case_snapshots (
    load_id           bigint not null references raw.deliveries (load_id),
    record_no         integer not null,            -- CSV data record (1 = first after header), sheet row, API record index
    case_code         text not null,               -- MaHoSo
    unit_code         text not null,               -- MaDonVi (accepting unit)
    procedure_code    text not null,               -- MaTTHC
    channel           smallint,                    -- KenhThucHien 1/2/3, null when missing
    received_at       timestamptz,                 -- NgayTiepNhan
    appointment_at    timestamptz,                 -- NgayHenTra
    terminal_at       timestamptz,                 -- NgayKetThucXuLy
    returned_at       timestamptz,                 -- NgayTra
    status_code       smallint not null,           -- TrangThaiHoSo 1..10
    applicant_type    smallint,                    -- LoaiDoiTuong 1/2
    applicant_id      text,                        -- SoGiayTo       (personal data)
    applicant_name    text,                        -- HoTen          (personal data)
    applicant_phone   text,                        -- SoDienThoai    (personal data)
    paid_online       smallint,                    -- ThanhToanTrucTuyen 1/0/null
    result_digitised  smallint,                    -- SoHoaKetQua 1/0/null
    rating            smallint,                    -- DanhGia 1/2/3/null
    updated_at        timestamptz not null,        -- NgayCapNhat
    primary key (load_id, record_no)
);
create index if not exists case_snapshots_case_idx on raw.case_snapshots (case_code);

-- Case events; the union of every delivery ever made (superseded ones included).
create table if not exists raw.case_events (
    load_id              bigint not null references raw.deliveries (load_id),
    record_no            integer not null,         -- source record (CSV record, sheet row, API record index)
    event_no             integer not null default 0, -- position in QuaTrinhXuLy for api; 0 for file rows
    case_code            text not null,
    event_type           text not null check (event_type in
                         ('YEU_CAU_BO_SUNG', 'NHAN_BO_SUNG', 'XIN_LOI', 'CHUYEN_LIEN_THONG', 'TAM_DUNG', 'TIEP_TUC')),
    event_at             timestamptz not null,
    new_appointment_at   timestamptz,
    receiving_unit_code  text,
    reason               text,
    primary key (load_id, record_no, event_no)
);
create index if not exists case_events_case_idx on raw.case_events (case_code);

-- Rows that could not be loaded, with the original row and the reason. Never dropped.
create table if not exists raw.quarantine (
    load_id      bigint not null references raw.deliveries (load_id),
    record_kind  text not null check (record_kind in ('case', 'event')),
    record_no    integer not null,
    line_no      integer,                          -- physical line (CSV) or sheet row (xlsx); null for api
    field        text,                             -- the field at fault, as delivered (header or API field name)
    value        text,
    reason_code  text not null,                    -- ingest/problems.py ROW_REASONS: unparseable_date, unknown_unit, unknown_procedure, missing_value, bad_value, too_many_fields, too_few_fields, unstorable_char
    reason_vi    text not null,
    reason_en    text not null,
    original     jsonb not null,                   -- the row as delivered: {header: value} or the API record (texts escaped for unstorable_char: ingest/unstorable.py)
    primary key (load_id, record_kind, record_no)
);

-- Reference data of the Department, replaced whole on each reference load.
create table if not exists raw.ref_units (
    load_id bigint not null references raw.deliveries (load_id),
    unit_code text primary key, unit_name text not null, unit_kind text not null,
    parent_code text, valid_from date not null, valid_to date, successor_code text
);
create table if not exists raw.ref_procedures (
    load_id bigint not null references raw.deliveries (load_id),
    procedure_code text not null, procedure_name text not null, sector text not null,
    authority_level text not null, statutory_days integer not null, online_level text not null,
    valid_from date not null, valid_to date,
    primary key (procedure_code, valid_from)
);
create table if not exists raw.ref_calendar (
    load_id bigint not null references raw.deliveries (load_id),
    date date primary key, kind text not null check (kind in ('HOLIDAY', 'WORKDAY'))
);
create table if not exists raw.ref_appraisal (
    load_id bigint not null references raw.deliveries (load_id),
    year integer not null, unit_code text not null, criterion_code text not null, score numeric not null,
    primary key (year, unit_code, criterion_code)
);
-- sources.yml: which feed should bring whose cases on which days (completeness is checked against it).
create table if not exists raw.ref_feeds (
    load_id bigint not null references raw.deliveries (load_id),
    feed_unit_code text not null, kind text not null,
    unit_code text not null,                        -- the feed's own unit, or a unit it carries
    valid_from date, valid_to date,                 -- null = unbounded
    primary key (feed_unit_code, unit_code)
);

-- API read position per feed; written in the same transaction as the rows it covers.
create table if not exists raw.api_cursors (
    feed_unit_code text primary key,
    cursor_at      timestamptz not null,
    load_id        bigint not null references raw.deliveries (load_id),
    updated_at     timestamptz not null default now()
);
