"""Annual report of the administrative-reform index (Chỉ số CCHC), read from `marts` only.

Entry point: `reports.build.build_annual_report(dsn, year, out_dir, quality=None)`;
command line: `python -m reports --year 2025 --out DIR [--dsn DSN]`.
"""
