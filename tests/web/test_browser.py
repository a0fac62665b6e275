"""The web app driven in Debian's headless Chromium (`make browser` installs it).

An inspector signs in with a login made by `cchc user add`, opens the league table, a
unit, follows a count to its cases (as many as the count says), opens a case, exports,
and logs out; a wrong password is refused; no page or parameter reaches raw data.
Screenshots of the main pages are written to docs/screenshots/ for the README.
"""
from __future__ import annotations

import csv
import io
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.web.conftest import YEAR

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path("/usr/bin/chromedriver").exists(),
                                 reason="run `make browser` (Debian chromium, chromium-driver)")]

#: The README's screenshots are rewritten when CCHC_WEB_SCREENSHOTS=1; else a temp folder.
README_SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--window-size=1280,900")
# Applicant data of hand_cases.sql, which lives in raw only.
PERSONAL_DATA = ("Nguyễn Văn An", "Trần Thị Bình", "Đỗ Văn Hải")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    # Selenium Manager must never download a driver or browser: both paths are given.
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def _navigate(browser, action) -> None:
    """Run `action` (a click, back) and wait until the next page has replaced this one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element(By.TAG_NAME, "html")
    action()
    WebDriverWait(browser, 20).until(expected_conditions.staleness_of(page))


def _sign_in(browser, url: str, name: str, password: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{url}/")
    browser.find_element(By.ID, "login").clear()
    browser.find_element(By.ID, "login").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(password)
    _navigate(browser, browser.find_element(By.ID, "dang-nhap").click)


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    if os.environ.get("CCHC_WEB_SCREENSHOTS") == "1":
        return README_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


def _shot(browser, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(folder / f"{name}.png"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to check (302 to the sign-in page), not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _get(url: str, cookie: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with _OPENER.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_inspector_from_league_table_to_a_case(browser, web_url, inspector, screenshots):
    from selenium.webdriver.common.by import By

    _sign_in(browser, web_url, inspector.name, "not-the-password")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in browser.find_element(
        By.ID, "loi-dang-nhap").text
    assert browser.find_elements(By.ID, "dang-xuat") == []

    _sign_in(browser, web_url, inspector.name, inspector.password)
    assert f"Bảng xếp hạng Chỉ số CCHC năm {YEAR}" in browser.find_element(By.TAG_NAME, "h1").text
    assert "Sở Tư pháp" in browser.find_element(By.ID, "xep-hang-departments").text
    assert "UBND huyện Một" in browser.find_element(By.ID, "xep-hang-districts").text
    _shot(browser, screenshots, "league")
    _navigate(browser, browser.find_element(By.ID, "theo-don-vi-giu").click)
    holders = browser.find_element(By.ID, "don-vi-giu").text
    assert "S1 6" in holders and "C2 1" in holders
    _navigate(browser, browser.back)

    _navigate(browser, browser.find_element(By.LINK_TEXT, "Sở Tư pháp").click)
    assert "Sở Tư pháp" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.CSS_SELECTOR, "svg.chart")
    # S1's late cases of 2024 (test_drill: A, D, E, F, G).
    late = browser.find_elements(By.CSS_SELECTOR, "#tre-han td[data-col=case_code]")
    assert [cell.text for cell in late] == ["D", "E", "A", "F", "G"]
    _shot(browser, screenshots, "unit")

    # March of S1: 3 received, 2 resolved late (D, E) — follow the late count.
    march = browser.find_elements(By.CSS_SELECTOR, "#bieu-06 tbody tr")[2]
    link = march.find_element(By.CSS_SELECTOR, "td[data-col=resolved_late] a")
    count = int(link.text)
    assert count == 2
    _navigate(browser, link.click)
    rows = browser.find_elements(By.CSS_SELECTOR, "#ho-so tbody tr")
    assert len(rows) == count == int(browser.find_element(By.ID, "so-ho-so").text)
    assert [r.find_element(By.CSS_SELECTOR, "td[data-col=case_code]").text for r in rows] == [
        "D", "E"]
    _shot(browser, screenshots, "cases")

    _navigate(browser, browser.find_element(By.LINK_TEXT, "D").click)
    assert browser.find_element(By.ID, "ma-ho-so").text == "D"
    steps = browser.find_element(By.CSS_SELECTOR, "ol.timeline").text
    # D: received 13 Mar, apology letter 19 Mar, due 20 Mar, finished 22 Mar, 2 days late.
    for expected in ("13/03/2024", "Thư xin lỗi", "20/03/2024", "22/03/2024", "trễ 2 ngày"):
        assert expected in steps
    _shot(browser, screenshots, "case")

    cookie = f"cchc_phien={browser.get_cookie('cchc_phien')['value']}"
    _navigate(browser, browser.find_element(By.ID, "dang-xuat").click)
    assert browser.find_element(By.ID, "dang-nhap")
    # The old session id is dead on the server, not just forgotten by the browser.
    status, _ = _get(f"{web_url}/?nam={YEAR}", cookie)
    assert status == 302


def test_exports_hold_the_listed_cases(web_url, inspector):
    cookie = _http_sign_in(web_url, inspector.name, inspector.password)
    query = f"don_vi=S1&nam={YEAR}&thang=3&cot=resolved_late&xuat=ho-so"
    status, body = _get(f"{web_url}/ho-so?{query}&dinh_dang=csv", cookie)
    assert status == 200
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0][0] == "Mã hồ sơ" and [r[0] for r in table[1:]] == ["D", "E"]
    status, body = _get(f"{web_url}/ho-so?{query}&dinh_dang=xlsx", cookie)
    sheet = load_workbook(io.BytesIO(body)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Mã hồ sơ", "D", "E"]


def test_a_long_list_is_paged_and_counted_in_full(web_url, inspector, monkeypatch):
    import web.app

    monkeypatch.setattr(web.app, "PAGE_SIZE", 1)
    cookie = _http_sign_in(web_url, inspector.name, inspector.password)
    listed = []
    for page_no in (1, 2):
        status, body = _get(f"{web_url}/ho-so?don_vi=S1&nam={YEAR}&thang=3&cot=resolved_late"
                            f"&trang={page_no}", cookie)
        text = body.decode("utf-8")
        assert status == 200 and 'id="so-ho-so">2<' in text
        listed += [code for code in ("D", "E") if f'href="/ho-so/{code}"' in text]
    assert listed == ["D", "E"]


def _http_sign_in(url: str, name: str, password: str) -> str:
    """Sign in over plain HTTP (with the login form's CSRF cookie); the session cookie."""
    with urllib.request.urlopen(f"{url}/dang-nhap", timeout=30) as response:
        csrf_cookie = response.headers["Set-Cookie"].split(";")[0]
        token = csrf_cookie.split("=", 1)[1]
    data = urllib.parse.urlencode({"login": name, "password": password, "csrf_token": token,
                                   "next": "/"}).encode()
    request = urllib.request.Request(f"{url}/dang-nhap", data=data, headers={"Cookie": csrf_cookie})
    try:
        _OPENER.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        assert error.code == 302, error.read()
        return error.headers["Set-Cookie"].split(";")[0]
    raise AssertionError("sign-in did not redirect")


HOSTILE_PATHS = [
    "/ho-so?cot=raw.case_snapshots&nam=2024&don_vi=S1",
    "/ho-so?cot=received_total%3B%20select%20*%20from%20raw.case_snapshots&nam=2024",
    "/ho-so?loc=raw.case_snapshots",
    "/ho-so?don_vi=S1'%20or%20'1'='1",
    "/ho-so?thu_tuc=P3'%3B%20drop%20table%20marts.fct_cases%3B--",
    "/ho-so?don_vi_giu=x'%20union%20select%20applicant_name%20from%20raw.case_snapshots--",
    "/ho-so?nam=2024%20or%201=1&cot=resolved_late",
    "/ho-so?nam=2024&thang=13&cot=resolved_late",
    "/ho-so/A'%20union%20select%20applicant_name%20from%20raw.case_snapshots--",
    "/ho-so/..%2F..%2Fetc%2Fpasswd",
    "/don-vi/raw.case_snapshots",
    "/don-vi/S1?nam=2024&xuat=raw.case_snapshots&dinh_dang=csv",
    "/don-vi/S1?nam=2024&xuat=bieu-06&dinh_dang=sql",
    "/?xuat=staging.stg_raw__cases&dinh_dang=xlsx",
    "/raw/case_snapshots",
    "/static/../cchc/credentials.py",
]


def test_markup_in_parameters_is_escaped(web_url, inspector):
    cookie = _http_sign_in(web_url, inspector.name, inspector.password)
    script = "<script>alert(1)</script>"
    quoted = urllib.parse.quote(f'"/>{script}')
    for path in (f"/dang-nhap?tiep={quoted}", f"/ho-so?nam=2024&linh_vuc={quoted}"):
        status, body = _get(f"{web_url}{path}", cookie)
        assert status == 200 and script not in body.decode("utf-8")
        assert "&lt;script&gt;" in body.decode("utf-8")


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_no_parameter_reaches_raw_data(web_url, inspector, path):
    cookie = _http_sign_in(web_url, inspector.name, inspector.password)
    status, body = _get(f"{web_url}{path}", cookie)
    text = body.decode("utf-8", "replace")
    assert status in (200, 404), (status, text[:300])
    for secret in PERSONAL_DATA:
        assert secret not in text
    if status == 200:
        # A bound parameter that matches nothing: an empty list, never an error.
        assert 'id="so-ho-so">0<' in text


def test_the_database_refuses_the_inspector_raw_data(web_warehouse, inspector):
    """The app holds no privileges: the inspector's own login is what stops raw reads."""
    import psycopg

    from cchc.warehouse import server_conninfo
    from web.db import connect_as

    login = (server_conninfo(web_warehouse), inspector.name, inspector.password)
    with connect_as(*login) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("select applicant_name from raw.case_snapshots")


