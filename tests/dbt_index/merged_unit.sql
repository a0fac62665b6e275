-- Hand-made raw rows for test_merged_unit.py: commune C1 merged into C2 on 1 January 2024
-- with two cases open across the merge. Expected values are worked out in the test.
insert into raw.deliveries (load_id, source_kind, feed_unit_code, delivery, record_kind, delivery_day, status, rows_read, rows_loaded, rows_quarantined)
overriding system value values
    (1, 'reference', 'REFERENCE', 'reference/', 'reference', '2024-01-01', 'loaded', 0, 0, 0),
    (2, 'csv', 'D1', 'hoso.csv', 'cases', '2024-12-31', 'loaded', 4, 4, 0),
    (3, 'csv', 'D1', 'sukien.csv', 'events', '2024-12-31', 'loaded', 1, 1, 0);

insert into raw.ref_units (load_id, unit_code, unit_name, unit_kind, parent_code, valid_from, valid_to, successor_code) values
    (1, 'D1', 'UBND huyện Một', 'DISTRICT', null, '2018-01-01', null, null),
    (1, 'C1', 'UBND xã Hai', 'COMMUNE', 'D1', '2018-01-01', '2023-12-31', 'C2'),
    (1, 'C2', 'UBND xã Ba', 'COMMUNE', 'D1', '2018-01-01', null, null);

insert into raw.ref_procedures (load_id, procedure_code, procedure_name, sector, authority_level, statutory_days, online_level, valid_from, valid_to) values
    (1, 'P10', 'Đăng ký kinh doanh hộ', 'Kinh tế', 'COMMUNE', 10, 'FULL', '2018-01-01', null);

-- Columns: load, record, case, unit, procedure, channel, received, appointment, terminal, returned, status, applicant id, name, paid, digitised, rating, updated.
insert into raw.case_snapshots (load_id, record_no, case_code, unit_code, procedure_code, channel, received_at, appointment_at, terminal_at, returned_at, status_code, applicant_id, applicant_name, paid_online, result_digitised, rating, updated_at) values
    (2, 1, 'X', 'C1', 'P10', 1, '2023-12-27 09:00+07', '2024-01-11 17:00+07', '2024-01-05 10:00+07', null, 9, '031', 'Ngô Văn Sáu', 1, 1, null, '2024-01-05 10:00+07'),
    (2, 2, 'Y', 'C1', 'P10', 2, '2023-12-28 09:00+07', '2024-01-12 17:00+07', '2024-03-25 10:00+07', null, 10, '032', 'Vũ Thị Bảy', null, 1, null, '2024-03-25 10:00+07'),
    (2, 3, 'Z', 'C2', 'P10', 1, '2024-02-01 09:00+07', '2024-02-22 17:00+07', '2024-02-22 10:00+07', null, 9, '033', 'Lý Văn Tám', 0, 0, null, '2024-02-22 10:00+07'),
    -- Past the calendar (the default covers 2018-2027): no due date, no timeliness.
    (2, 4, 'W', 'C2', 'P10', 1, '2027-12-28 09:00+07', null, '2027-12-30 10:00+07', null, 9, '034', 'Đinh Thị Chín', null, null, null, '2027-12-30 10:00+07');

insert into raw.case_events (load_id, record_no, event_no, case_code, event_type, event_at, new_appointment_at, receiving_unit_code, reason) values
    (3, 1, 0, 'Y', 'XIN_LOI', '2024-01-10 09:00+07', '2024-03-29 17:00+07', null, 'Chờ xác minh đất đai');
