"""`python -m expectations`: exit codes and messages of check, gate and waiver
(run in-process: GX is imported once per test session)."""
from __future__ import annotations

import datetime as dt

from expectations.__main__ import main
from tests.expectations import province

UNTIL = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def test_check_and_gate_exit_non_zero_with_the_message_when_closed(province_dsn, tmp_path,
                                                                     capsys):
    province.execute(province_dsn, """
        update staging.stg_raw__cases set appointment_date = '2024-07-01'
        where case_code = 'H31.305-api-1'
    """)
    docs = tmp_path / "docs"

    assert main(["--dsn", province_dsn, "check", "--year", "2024", "--docs-dir", str(docs)]) == 1
    out, err = capsys.readouterr()
    assert f"data docs: {docs / 'index.html'}" in out and (docs / "index.html").is_file()
    assert "[staging.stg_raw__cases.appointment_not_before_receipt]" in err
    assert "hồ sơ có ngày hẹn trả trước ngày tiếp nhận" in err
    assert "H31.305 (case_code=H31.305-api-1, received_date=2024-08-01, " \
           "original_due_date=2024-07-01)" in err

    assert main(["--dsn", province_dsn, "gate", "--year", "2024"]) == 1
    assert "Quality gate CLOSED for the 2024 report" in capsys.readouterr().err

    assert main(["--dsn", province_dsn, "waiver", "add", "--year", "2024",
                 "--check", "staging.stg_raw__cases.appointment_not_before_receipt",
                 "--by", "Trưởng phòng CCHC", "--reason", "Hẹn trả nhập sai, đã xác minh",
                 "--until", UNTIL]) == 0
    assert main(["--dsn", province_dsn, "gate", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "Quality gate OPEN for 2024" in out
    assert "WAIVED [staging.stg_raw__cases.appointment_not_before_receipt]" in out
    assert "Trưởng phòng CCHC: Hẹn trả nhập sai, đã xác minh" in out


def test_waivers_are_refused_when_they_could_never_apply_and_listed_otherwise(province_dsn,
                                                                                capsys):
    base = ["--dsn", province_dsn, "waiver", "add", "--year", "2024", "--by", "A", "--reason", "B"]

    assert main([*base, "--check", "no.such.check", "--until", UNTIL]) == 2
    assert main([*base, "--check", "raw.deliveries.quarantine_share", "--until", UNTIL]) == 2
    assert main([*base, "--check", "raw.case_snapshots.required_fields", "--until", "2020-01-01"]) == 2
    err = capsys.readouterr().err
    assert "unknown check 'no.such.check'" in err
    assert "is a warning: it never closes the gate" in err
    assert "valid_until 2020-01-01 is already past" in err

    assert main([*base, "--check", "raw.case_snapshots.required_fields", "--until", UNTIL,
                 "--unit", "H31.SNV"]) == 0
    assert main(["--dsn", province_dsn, "waiver", "list", "--year", "2024"]) == 0
    listed = capsys.readouterr().out.splitlines()[-1].split("\t")
    assert listed[1:5] == ["2024", "raw.case_snapshots.required_fields", "H31.SNV", UNTIL]
