"""#11 item 4: the applicant key is a secret — no default, only a session setting."""
from __future__ import annotations

import psycopg
import pytest

from cchc import dbt_runner, warehouse
from cchc_app import cli


def _hmac(dsn: str, message: bytes, key: bytes) -> str:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "select encode(public.hmac_sha256(%s, public.hmac_sha256_pads(%s)), 'hex')",
            (message, key)).fetchone()[0]


@pytest.mark.parametrize(("key", "message", "expected"), [
    # RFC 4231 test case 1: a 20-byte key.
    (b"\x0b" * 20, b"Hi There",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    # Test case 2: a key shorter than the block.
    (b"Jefe", b"what do ya want for nothing?",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    # Test case 6: a key longer than the 64-byte block is hashed first.
    (b"\xaa" * 131, b"Test Using Larger Than Block-Size Key - Hash Key First",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
])
def test_sql_hmac_matches_rfc_4231(warehouse_dsn, key, message, expected):
    assert _hmac(warehouse_dsn, message, key) == expected


def test_the_key_is_read_from_the_session_and_required(warehouse_dsn):
    transformer = warehouse.login_dsn(warehouse_dsn, "transformer")
    with (psycopg.connect(transformer) as conn,
          pytest.raises(psycopg.errors.RaiseException, match="CCHC_APPLICANT_KEY is not set")):
        conn.execute("select public.applicant_hash_key()")
    with psycopg.connect(transformer, options="-c cchc.applicant_key=k\\ 1") as conn:
        assert conn.execute("select public.applicant_hash_key()").fetchone() == (b"k 1",)


def test_dbt_gets_the_key_only_as_a_session_option(warehouse_dsn, monkeypatch):
    monkeypatch.setenv("CCHC_APPLICANT_KEY", "two words\\x")
    env = dbt_runner.dbt_env(warehouse_dsn)
    assert env["PGOPTIONS"] == "-c cchc.applicant_key=two\\ words\\\\x"
    assert [k for k, v in env.items() if "two words" in v] == []
    assert env["CCHC_PG_USER"] == "transformer"


def test_a_real_run_refuses_to_start_without_the_key(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CCHC_APPLICANT_KEY")
    monkeypatch.setenv("CCHC_STATE_DIR", str(tmp_path / "state"))

    status = cli.main(["run", "--data-dir", str(tmp_path), "--year", "2025"])

    assert status == 2
    err = capsys.readouterr().err
    assert "export CCHC_APPLICANT_KEY=" in err and "Chưa đặt khóa" in err
    assert not (tmp_path / "state").exists(), "nothing started before the check"
