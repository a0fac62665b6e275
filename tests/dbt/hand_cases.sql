-- Hand-made raw rows for tests/dbt: the worked examples of rules.md §10 and each rule's
-- edge cases. Expected values are worked out by hand in test_hand_count.py.
insert into raw.deliveries (load_id, source_kind, feed_unit_code, delivery, record_kind, delivery_day, status, rows_read, rows_loaded, rows_quarantined)
overriding system value values
    (1, 'reference', 'REFERENCE', 'reference/', 'reference', '2024-01-01', 'loaded', 0, 0, 0),
    (2, 'csv', 'H99.S01', 'hoso_20240101.csv', 'cases', '2024-12-31', 'loaded', 19, 19, 0),
    (3, 'csv', 'H99.S01', 'sukien_20240101.csv', 'events', '2024-12-31', 'loaded', 23, 23, 0),
    (4, 'csv', 'H99.S01', 'hoso_20240102.csv', 'cases_and_events', '2025-01-05', 'superseded', 2, 2, 0),
    (5, 'csv', 'H99.S01', 'hoso_20240103.csv', 'cases', '2024-01-03', 'not_loaded', 0, 0, 0);
update raw.deliveries set reason = 'no .ok file' where load_id = 5;

insert into raw.ref_units (load_id, unit_code, unit_name, unit_kind, parent_code, valid_from, valid_to, successor_code) values
    (1, 'D1', 'UBND huyện Một', 'DISTRICT', null, '2018-01-01', null, null),
    (1, 'C1', 'UBND xã Hai', 'COMMUNE', 'D1', '2018-01-01', '2024-06-30', 'C2'),
    (1, 'C2', 'UBND xã Ba', 'COMMUNE', 'D1', '2018-01-01', null, null),
    (1, 'S1', 'Sở Tư pháp', 'DEPARTMENT', null, '2018-01-01', null, null);

insert into raw.ref_procedures (load_id, procedure_code, procedure_name, sector, authority_level, statutory_days, online_level, valid_from, valid_to) values
    (1, 'P0', 'Chứng thực bản sao', 'Chứng thực', 'COMMUNE', 0, 'NONE', '2018-01-01', null),
    (1, 'P3', 'Đăng ký khai sinh', 'Hộ tịch', 'COMMUNE', 3, 'FULL', '2018-01-01', null),
    (1, 'P5', 'Cấp phép xây dựng', 'Xây dựng', 'DISTRICT', 5, 'PARTIAL', '2018-01-01', '2024-06-30'),
    (1, 'P5', 'Cấp phép xây dựng', 'Xây dựng', 'DISTRICT', 7, 'FULL', '2024-07-01', null),
    (1, 'P9', 'Thủ tục mới', 'Tư pháp', 'PROVINCE', 2, 'FULL', '2025-01-01', null);

-- A delivered calendar for 2025 (replacing the default for that year) and 2030 (a year
-- the default does not cover).
insert into raw.ref_calendar (load_id, date, kind) values
    (1, '2025-01-01', 'HOLIDAY'),
    (1, '2025-05-03', 'WORKDAY'),
    (1, '2030-01-01', 'HOLIDAY');

-- Columns: load, record, case, unit, procedure, channel, received, appointment, terminal, returned, status, applicant id, paid, digitised, rating, updated.
insert into raw.case_snapshots (load_id, record_no, case_code, unit_code, procedure_code, channel, received_at, appointment_at, terminal_at, returned_at, status_code, applicant_id, applicant_name, paid_online, result_digitised, rating, updated_at) values
    (2, 1, 'A', 'S1', 'P3', 2, '2024-04-26 09:00+07', null, '2024-05-06 10:00+07', null, 9, '001', 'Nguyễn Văn An', 1, 1, 1, '2024-05-06 10:00+07'),
    (2, 2, 'B', 'S1', 'P5', 1, '2024-02-06 09:00+07', '2024-02-20 17:00+07', null, null, 4, '002', 'Trần Thị Bình', null, null, null, '2024-02-19 10:00+07'),
    (2, 3, 'B', 'S1', 'P5', 1, '2024-02-06 09:00+07', '2024-02-20 17:00+07', '2024-02-19 10:00+07', null, 9, '002', 'Trần Thị Bình', 0, 0, 2, '2024-02-19 10:00+07'),
    (2, 4, 'C', 'S1', 'P5', 1, '2024-03-01 09:00+07', '2024-03-11 17:00+07', '2024-03-13 16:00+07', null, 10, '001', 'Nguyễn Văn An', null, 1, 3, '2024-03-13 16:00+07'),
    (2, 5, 'D', 'S1', 'P5', 2, '2024-03-13 09:00+07', '2024-03-20 17:00+07', '2024-03-22 16:00+07', null, 9, '003', 'Lê Văn Cường', null, null, null, '2024-03-22 16:00+07'),
    (2, 6, 'E', 'S1', 'P5', 2, '2024-03-13 09:00+07', '2024-03-20 17:00+07', '2024-03-21 16:00+07', null, 9, '004', 'Phạm Thị Dung', null, null, null, '2024-03-21 16:00+07'),
    (2, 7, 'F', 'S1', 'P5', null, '2024-06-03 09:00+07', '2024-06-10 17:00+07', '2024-06-06 16:00+07', null, 9, '005', 'Hoàng Văn Em', null, null, null, '2024-06-06 16:00+07'),
    (2, 8, 'G', 'S1', 'P5', 1, '2024-07-01 09:00+07', '2024-07-10 17:00+07', '2024-07-17 16:00+07', null, 9, '006', 'Vũ Thị Giang', null, null, null, '2024-07-17 16:00+07'),
    (2, 9, 'H', 'C2', 'P0', 1, '2024-12-20 09:00+07', '2024-12-20 17:00+07', null, null, 4, '007', 'Đỗ Văn Hải', null, null, null, '2024-12-20 09:00+07'),
    (2, 10, 'I', 'C1', 'P3', 1, '2024-06-20 09:00+07', '2024-06-25 17:00+07', '2024-06-24 10:00+07', null, 9, '008', 'Bùi Thị Hoa', null, null, null, '2024-06-24 10:00+07'),
    (2, 11, 'J', 'D1', 'P3', 2, '2024-12-02 09:00+07', '2024-12-05 17:00+07', null, null, 5, '009', 'Ngô Văn Ích', null, null, null, '2024-12-04 09:00+07'),
    (2, 12, 'K', 'D1', 'P5', 1, '2024-01-30 09:00+07', '2024-02-06 17:00+07', '2024-02-06 15:00+07', null, 9, '010', 'Dương Thị Kim', null, null, null, '2024-02-06 15:00+07'),
    (2, 13, 'L', 'D1', 'P3', 1, '2024-04-02 09:00+07', null, null, null, 3, '011', 'Lý Văn Long', null, null, null, '2024-04-02 09:00+07'),
    (2, 14, 'M', 'D1', 'P3', 2, null, null, null, null, 1, '012', 'Mai Thị Minh', null, null, null, '2024-04-03 09:00+07'),
    (2, 15, 'N', 'D1', 'P3', 3, '2024-08-26 09:00+07', '2024-08-29 17:00+07', '2024-09-04 10:00+07', null, 9, '013', 'Châu Văn Nam', null, null, null, '2024-09-04 10:00+07'),
    (2, 16, 'O', 'S1', 'P9', 1, '2024-10-01 09:00+07', null, '2024-10-03 10:00+07', null, 9, '014', 'Tạ Thị Oanh', null, null, null, '2024-10-03 10:00+07'),
    (2, 17, 'Q', 'D1', 'P3', 1, '2024-11-01 09:00+07', '2024-11-06 17:00+07', null, '2024-11-05 10:00+07', 10, '015', 'Kiều Văn Quang', null, null, null, '2024-11-05 11:00+07'),
    -- An evening receipt: 2024-01-31 23:30 in Hanoi is still 31 January locally.
    (2, 18, 'R', 'D1', 'P3', 1, '2024-01-31 16:30+00', '2024-02-05 17:00+07', '2024-02-02 10:00+07', null, 9, '016', 'Lâm Thị Rạng', null, null, null, '2024-02-02 10:00+07'),
    (2, 19, 'T', 'C2', 'P3', 1, '2024-09-30 09:00+07', '2024-10-03 17:00+07', '2024-10-03 10:00+07', null, 8, '017', 'Trịnh Văn Tâm', null, null, null, '2024-10-03 10:00+07'),
    -- A superseded delivery: its newer snapshot of A no longer counts.
    (4, 1, 'A', 'S1', 'P3', 2, '2024-04-26 09:00+07', null, null, null, 4, '001', 'Nguyễn Văn An', null, null, null, '2024-06-01 10:00+07'),
    (4, 2, 'Z', 'S1', 'P3', 2, '2024-04-26 09:00+07', null, null, null, 4, '018', 'Retracted', null, null, null, '2024-06-01 10:00+07');

insert into raw.case_events (load_id, record_no, event_no, case_code, event_type, event_at, new_appointment_at, receiving_unit_code, reason) values
    (3, 1, 0, 'B', 'XIN_LOI', '2024-02-15 09:00+07', '2024-02-22 17:00+07', null, 'Thiếu hồ sơ'),
    (3, 2, 0, 'C', 'TAM_DUNG', '2024-03-05 08:00+07', null, null, 'Chờ xác minh'),
    (3, 3, 0, 'C', 'TAM_DUNG', '2024-03-06 08:00+07', null, null, 'Lồng nhau'),
    (3, 4, 0, 'C', 'TIEP_TUC', '2024-03-07 08:00+07', null, null, null),
    (3, 5, 0, 'C', 'TIEP_TUC', '2024-03-12 08:00+07', null, null, null),
    (3, 6, 0, 'D', 'XIN_LOI', '2024-03-19 09:00+07', '2024-03-25 17:00+07', null, 'Cần xác minh thêm'),
    (3, 7, 0, 'E', 'XIN_LOI', '2024-03-20 09:00+07', '2024-03-22 17:00+07', null, 'Quá tải'),
    (3, 8, 0, 'F', 'YEU_CAU_BO_SUNG', '2024-06-04 09:00+07', null, null, null),
    (3, 9, 0, 'F', 'YEU_CAU_BO_SUNG', '2024-06-05 09:00+07', null, null, null),
    (3, 10, 0, 'G', 'YEU_CAU_BO_SUNG', '2024-07-02 09:00+07', null, null, null),
    (3, 11, 0, 'G', 'TAM_DUNG', '2024-07-03 09:00+07', null, null, 'Trước khi hẹn lại'),
    (3, 12, 0, 'G', 'TIEP_TUC', '2024-07-05 09:00+07', null, null, null),
    (3, 13, 0, 'G', 'NHAN_BO_SUNG', '2024-07-08 09:00+07', '2024-07-15 17:00+07', null, null),
    (3, 14, 0, 'G', 'TAM_DUNG', '2024-07-09 09:00+07', null, null, 'Chờ nghĩa vụ tài chính'),
    (3, 15, 0, 'G', 'TIEP_TUC', '2024-07-10 09:00+07', null, null, null),
    (3, 16, 0, 'J', 'YEU_CAU_BO_SUNG', '2024-12-04 09:00+07', null, null, null),
    (3, 17, 0, 'N', 'CHUYEN_LIEN_THONG', '2024-08-27 09:00+07', null, 'S1', null),
    (3, 18, 0, 'N', 'CHUYEN_LIEN_THONG', '2024-08-30 09:00+07', null, 'C2', null),
    (3, 19, 0, 'T', 'XIN_LOI', '2024-10-01 09:00+07', '2024-10-04 17:00+07', null, null),
    (3, 20, 0, 'T', 'XIN_LOI', '2024-10-02 09:00+07', '2024-10-07 17:00+07', null, 'Lần hai'),
    (3, 21, 0, 'T', 'YEU_CAU_BO_SUNG', '2024-09-30 10:00+07', null, null, null),
    (3, 22, 0, 'T', 'NHAN_BO_SUNG', '2024-09-30 15:00+07', null, null, null),
    (3, 23, 0, 'D', 'CHUYEN_LIEN_THONG', '2024-03-21 09:00+07', null, 'D1', null),
    -- The same apology of D delivered again by the superseded delivery: one event.
    (4, 3, 1, 'D', 'XIN_LOI', '2024-03-19 09:00+07', '2024-03-25 17:00+07', null, 'Cần xác minh thêm');
