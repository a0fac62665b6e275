"""Command line: `python -m reports --year 2025 --out build/reports [--dsn postgresql://…]`."""

from __future__ import annotations

import argparse
import sys

from reports.build import build_annual_report
from reports.organisation import load_organisation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reports",
        description="Build the annual CCHC index report (HTML, PDF, XLSX) as a new edition.",
    )
    parser.add_argument("--year", type=int, required=True, help="report year, e.g. 2025")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--dsn", help="warehouse DSN (default: the reporter login of cchc.settings.warehouse_dsn)")
    parser.add_argument("--data-dir", help="data directory holding reference/organisation.yml")
    args = parser.parse_args(argv)
    if args.dsn:
        dsn = args.dsn
    else:
        # Imported here: the settings module may start the embedded server.
        from cchc.settings import warehouse_dsn

        dsn = warehouse_dsn("report")
    files = build_annual_report(
        dsn, args.year, args.out, organisation=load_organisation(args.data_dir)
    )
    print(f"edition {files.edition_id}\n{files.html}\n{files.pdf}\n{files.xlsx}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
