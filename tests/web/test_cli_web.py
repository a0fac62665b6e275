"""`cchc web` serves the app (waitress) given only where the warehouse is."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import pytest

from cchc.net import free_port
from cchc.warehouse import server_conninfo

pytestmark = pytest.mark.slow


def test_cchc_web_serves_the_sign_in_page(web_warehouse):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cchc_app.cli", "web", "--port", str(port),
         "--warehouse", server_conninfo(web_warehouse)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap", timeout=5) as r:
                    page = r.read().decode("utf-8")
                break
            except OSError:
                assert process.poll() is None, process.stdout.read()
                assert time.monotonic() < deadline, "cchc web did not answer within 60 s"
                time.sleep(0.5)
        assert "Đăng nhập" in page and 'name="csrf_token"' in page
    finally:
        process.terminate()
        process.wait(timeout=30)
