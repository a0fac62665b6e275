-- title: Nguồn gốc của một hồ sơ: tệp hoặc lần gọi API và dòng dữ liệu
-- question: From a case code, which deliveries (file, or API window) brought its records,
--   at which record or line, and what became of each (loaded, superseded, quarantined)?
--   Reads raw, where personal data lives: run it as the loader, never as an inspector.
-- role: loader
-- param case_code: mã hồ sơ, ví dụ H99.S01-2025-000123
-- column record_kind: Loại bản ghi: case (hồ sơ), event (sự kiện xử lý), quarantine (dòng bị cách ly)
-- column source_kind: Kênh nhận: csv, xlsx, api
-- column feed_unit_code: Đơn vị gửi dữ liệu (theo sources.yml)
-- column delivery: Tên tệp, hoặc cửa sổ thời gian của lần gọi API
-- column delivery_day: Ngày mà lần gửi dữ liệu bao phủ
-- column load_status: Trạng thái lần nạp: loaded, superseded, not_loaded, rejected
-- column record_no: Số thứ tự bản ghi trong tệp (1 = dòng đầu sau tiêu đề) hoặc trong trang API
-- column line_no: Dòng vật lý trong tệp (chỉ với dòng bị cách ly)
-- column reason: Lý do cách ly (chỉ với dòng bị cách ly)
select 'case' as record_kind, d.source_kind, d.feed_unit_code, d.delivery, d.delivery_day,
       d.status as load_status, s.record_no, null::integer as line_no, null as reason
from raw.case_snapshots as s
inner join raw.deliveries as d on d.load_id = s.load_id
where s.case_code = :'case_code'
union all
select 'event', d.source_kind, d.feed_unit_code, d.delivery, d.delivery_day,
       d.status, e.record_no, null, null
from raw.case_events as e
inner join raw.deliveries as d on d.load_id = e.load_id
where e.case_code = :'case_code'
union all
select 'quarantine', d.source_kind, d.feed_unit_code, d.delivery, d.delivery_day,
       d.status, q.record_no, q.line_no, q.reason_vi
from raw.quarantine as q
inner join raw.deliveries as d on d.load_id = q.load_id
where coalesce(q.original ->> 'MaHoSo', q.original ->> 'maHoSo') = :'case_code'
order by delivery_day, delivery, record_kind, record_no;
