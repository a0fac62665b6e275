"""`python -m ingest reference | feed <unit> [--from D --to D] | all [--kinds csv,xlsx]`.

Prints one line per delivery recorded by the run. The DSN defaults to the warehouse of
the loader's login (`cchc.settings.warehouse_dsn("ingest")`) and the data directory to `CCHC_DATA_DIR`.
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from ingest import pipeline
from ingest.problems import IngestError


def _default_dsn() -> str:
    from cchc.settings import warehouse_dsn

    return warehouse_dsn("ingest")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__.split("\n")[0])
    parser.add_argument("--dsn", help="warehouse DSN (default: the loader login on WAREHOUSE_DSN or embedded)")
    parser.add_argument("--data-dir", default=os.environ.get("CCHC_DATA_DIR"),
                        help="the data directory of sources.md §1b (default: CCHC_DATA_DIR)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("reference", help="load the reference files and sources.yml")
    feed = commands.add_parser("feed", help="land what one feed delivered")
    feed.add_argument("unit", help="the unit_code of the feed in sources.yml")
    feed.add_argument("--from", dest="day_from", type=date.fromisoformat)
    feed.add_argument("--to", dest="day_to", type=date.fromisoformat)
    every = commands.add_parser("all", help="reference data, then every feed")
    every.add_argument("--kinds", default="api,csv,xlsx", help="feed kinds to ingest")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit status 1 when a feed or the reference data failed."""
    args = _parser().parse_args(argv)
    if not args.data_dir:
        print("--data-dir (or CCHC_DATA_DIR) is required", file=sys.stderr)
        return 2
    dsn = args.dsn or _default_dsn()
    try:
        if args.command == "reference":
            outcomes = [pipeline.load_reference(dsn, args.data_dir)]
        elif args.command == "feed":
            outcomes = pipeline.ingest_feed(dsn, args.data_dir, args.unit,
                                            args.day_from, args.day_to)
        else:
            outcomes = pipeline.ingest_all(dsn, args.data_dir, kinds=args.kinds.split(","))
    except pipeline.FeedsFailed as failed:
        _print(failed.outcomes)
        print(failed, file=sys.stderr)
        return 1
    except IngestError as error:
        print(error, file=sys.stderr)
        return 1
    _print(outcomes)
    return 0


def _print(outcomes) -> None:
    for outcome in outcomes:
        print(outcome.summary())
    if not outcomes:
        print("nothing new delivered / không có dữ liệu mới")


if __name__ == "__main__":
    sys.exit(main())
