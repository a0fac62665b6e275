"""Routes of the inspectors' web app (Flask, server-rendered Jinja2 pages).

Sign-in checks the person's login against the warehouse itself; the session id in the
cookie points to credentials held in this process only (web/sessions.py). Every other
page opens a read-only connection as that login, so PostgreSQL's grants decide what each
person can read.
"""
from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

import psycopg
from flask import Flask, Response, abort, g, redirect, render_template, request, url_for

from cchc.warehouse import server_conninfo
from reports.text import fmt_date
from web import pages
from web.charts import rate_chart
from web.db import LoginRefused, connect_as
from web.drill import COLUMN_MARTS, FILTERS, Period
from web.sessions import SessionStore
from web.tables import EXPORTS, FORMATS, Table
from web.timeline import timeline

SESSION_COOKIE = "cchc_phien"
LOGIN_CSRF_COOKIE = "cchc_csrf_dang_nhap"
#: A list page shows this many cases at a time (?trang=N); the export has them all.
PAGE_SIZE = 200
_CODE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def create_app(warehouse_dsn: str, secure_cookies: bool = False) -> Flask:
    """The app for the warehouse at `warehouse_dsn`; its user and password are dropped."""
    app = Flask(__name__)
    # Flask escapes only templates named *.html; ours are *.html.j2 like the report's.
    app.jinja_options = {**app.jinja_options, "autoescape": True}
    app.config["SERVER"] = server_conninfo(warehouse_dsn)
    sessions = SessionStore()
    app.jinja_env.filters["vndate"] = fmt_date
    app.jinja_env.filters["timeliness"] = FORMATS["timeliness"]
    app.jinja_env.globals["export_query"] = lambda key, fmt: urlencode(
        {**request.args.to_dict(), "xuat": key, "dinh_dang": fmt})
    cookie_options = {"httponly": True, "samesite": "Strict", "secure": secure_cookies}

    def connection() -> psycopg.Connection:
        if "conn" not in g:
            g.conn = connect_as(app.config["SERVER"], g.session.login, g.session.password)
        return g.conn

    @app.teardown_request
    def close_connection(_error) -> None:
        conn = g.pop("conn", None)
        if conn is not None:
            conn.close()

    @app.after_request
    def no_caching(response: Response) -> Response:
        # Pages carry case data: no browser or proxy may keep them after logout.
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:"
        return response

    def signed_in(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.session = sessions.get(request.cookies.get(SESSION_COOKIE))
            if g.session is None:
                return redirect(url_for("login", tiep=request.full_path))
            return view(*args, **kwargs)
        return wrapper

    def code_arg(name: str) -> str | None:
        """A unit, procedure or case code from the query string; anything else is a 404."""
        value = request.args.get(name) or None
        if value is not None and not _CODE.match(value):
            abort(404)
        return value

    def int_arg(name: str, low: int, high: int) -> int | None:
        value = request.args.get(name)
        if not value:
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            abort(404)
        return int(value)

    def page(template: str, tables: list[Table], **context):
        """Render, or send one of the page's tables as CSV/XLSX (?xuat=KEY&dinh_dang=csv)."""
        wanted = request.args.get("xuat")
        if wanted is not None:
            fmt = request.args.get("dinh_dang", "csv")
            table = next((t for t in tables if t.key == wanted), None)
            if table is None or fmt not in EXPORTS:
                abort(404)
            mimetype, write = EXPORTS[fmt]
            return Response(write(table), mimetype=mimetype, headers={
                "Content-Disposition": f'attachment; filename="{table.key}.{fmt}"'})
        return render_template(template, tables=tables, login=g.session.login,
                               csrf_token=g.session.csrf_token, **context)

    @app.get("/dang-nhap")
    def login():
        token = secrets.token_urlsafe(32)
        response = Response(render_template("login.html.j2", csrf_token=token,
                                            next=request.args.get("tiep", "/")))
        response.set_cookie(LOGIN_CSRF_COOKIE, token, **cookie_options)
        return response

    @app.post("/dang-nhap")
    def login_submit():
        # Double-submit: a cross-site form cannot read or set our SameSite cookie.
        sent, expected = request.form.get("csrf_token", ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(sent, expected):
            abort(400)
        name, password = request.form.get("login", "").strip(), request.form.get("password", "")
        error = None
        if not name or not password:
            error = "Vui lòng nhập tên đăng nhập và mật khẩu."
        else:
            try:
                connect_as(app.config["SERVER"], name, password).close()
            except LoginRefused:
                error = "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại."
            except psycopg.OperationalError:
                error = "Không kết nối được với kho dữ liệu. Vui lòng thử lại sau."
        if error:
            return render_template("login.html.j2", csrf_token=expected, error=error,
                                   login_name=name, next=request.form.get("next", "/")), 401
        target = request.form.get("next", "/")
        # Only a path of this site: never an open redirect.
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        response = redirect(target)
        response.set_cookie(SESSION_COOKIE, sessions.create(name, password), **cookie_options)
        response.delete_cookie(LOGIN_CSRF_COOKIE)
        return response

    @app.post("/dang-xuat")
    @signed_in
    def logout():
        if not hmac.compare_digest(request.form.get("csrf_token", ""), g.session.csrf_token):
            abort(400)
        sessions.drop(request.cookies.get(SESSION_COOKIE))
        response = redirect(url_for("login"))
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/")
    @signed_in
    def league():
        conn = connection()
        years = pages.years(conn)
        year = int_arg("nam", 2000, 2100) or (years[0] if years else None)
        tables = pages.league_tables(conn, year) if year else []
        return page("league.html.j2", tables, year=year, years=years,
                    heading=f"Bảng xếp hạng Chỉ số CCHC năm {year or ''}")

    @app.get("/don-vi-giu")
    @signed_in
    def holders():
        conn = connection()
        year = int_arg("nam", 2000, 2100) or (pages.years(conn) or [None])[0]
        tables = [pages.holder_table(conn, year)] if year else []
        return page("league.html.j2", tables, year=year, years=pages.years(conn),
                    heading=f"Hồ sơ trễ hạn theo đơn vị giữ hồ sơ khi đến hạn, năm {year or ''}")

    @app.get("/don-vi/<unit>")
    @signed_in
    def unit_page(unit: str):
        if not _CODE.match(unit):
            abort(404)
        conn = connection()
        year = int_arg("nam", 2000, 2100) or (pages.years(conn) or [None])[0]
        names = pages.unit_names(conn, year) if year else {}
        if unit not in names:
            abort(404)
        tables = pages.unit_tables(conn, unit, year)
        late_limit = None if request.args.get("xuat") == "tre-han" else PAGE_SIZE
        tables["tre-han"], late_total = pages.case_table(
            conn, "Hồ sơ trễ hạn hoặc quá hạn của đơn vị", late_limit, key="tre-han",
            unit=unit, period=Period(year), column=None, filter_name="qua-han", procedure=None,
            sector=None, holder=None)
        chart = rate_chart(tables["bieu-06"].rows, {"on_time_rate": "Tỷ lệ đúng hạn",
                                                    "online_rate": "Tỷ lệ trực tuyến"})
        return page("unit.html.j2", list(tables.values()), unit=unit, unit_name=names[unit],
                    year=year, chart=chart, filters=pages.FILTER_LABELS, late_total=late_total,
                    late_shown=len(tables["tre-han"].rows))

    @app.get("/ho-so")
    @signed_in
    def cases():
        column, filter_name = request.args.get("cot") or None, request.args.get("loc") or None
        if (column is not None and column not in COLUMN_MARTS) or (
                filter_name is not None and filter_name not in FILTERS):
            abort(404)
        year = int_arg("nam", 2000, 2100)
        month = int_arg("thang", 1, 12)
        if column is not None and year is None:
            abort(404)
        criteria = {"unit": code_arg("don_vi"), "period": Period(year, month) if year else None,
                    "column": column, "filter_name": filter_name,
                    "procedure": code_arg("thu_tuc"), "sector": request.args.get("linh_vuc") or None,
                    "holder": code_arg("don_vi_giu")}
        title = " · ".join(filter(None, [
            pages.COLUMN_LABELS.get(column), pages.FILTER_LABELS.get(filter_name),
            criteria["unit"], f"tháng {month}" if month else None, str(year) if year else None]))
        exporting = bool(request.args.get("xuat"))
        page_no = int_arg("trang", 1, 1_000_000) or 1
        table, total = pages.case_table(
            connection(), title or "Danh sách hồ sơ", None if exporting else PAGE_SIZE,
            offset=0 if exporting else (page_no - 1) * PAGE_SIZE, **criteria)
        pages_total = max(1, -(-total // PAGE_SIZE))
        return page("cases.html.j2", [table], table=table, total=total, page_no=page_no,
                    pages_total=pages_total, first=(page_no - 1) * PAGE_SIZE + 1,
                    page_url=lambda n: "?" + urlencode({**request.args.to_dict(), "trang": n}),
                    args=request.args, filters=pages.FILTER_LABELS)

    @app.get("/ho-so/<case_code>")
    @signed_in
    def case_page(case_code: str):
        if not _CODE.match(case_code):
            abort(404)
        case, events = pages.case_detail(connection(), case_code)
        if case is None:
            abort(404)
        return page("case.html.j2", [], case=case, steps=timeline(case, events))

    @app.errorhandler(psycopg.errors.InsufficientPrivilege)
    def forbidden(_error):
        return render_template("error.html.j2", message="Tài khoản của bạn không có quyền xem "
                               "dữ liệu này."), 403

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("error.html.j2", message="Không tìm thấy trang hoặc dữ liệu "
                               "được yêu cầu."), 404

    @app.errorhandler(400)
    def bad_request(_error):
        return render_template("error.html.j2", message="Yêu cầu không hợp lệ (phiên làm việc "
                               "hết hạn?). Vui lòng tải lại trang."), 400

    return app
