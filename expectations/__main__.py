"""Command line of the quality gate.

    python -m expectations check --year 2024 [--cutoff-date 2024-06-30] [--data-dir DIR] [--docs-dir DIR]
    python -m expectations gate --year 2024
    python -m expectations waiver add --check CHECK --year 2024 --by NAME --reason TEXT \\
        --until 2025-03-31 [--unit UNIT]
    python -m expectations waiver list [--year 2024]

`check` runs every suite and records the results, `gate` decides from the latest run;
both exit 1 with the bilingual message when the gate is closed. The warehouse is
`--dsn`, else `cchc.settings.warehouse_dsn()`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import psycopg

from cchc.settings import warehouse_dsn
from expectations import gate, store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m expectations", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dsn", help="warehouse DSN (default: WAREHOUSE_DSN or the embedded one)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="run every suite and decide the gate")
    check.add_argument("--year", type=int, required=True)
    check.add_argument("--data-dir", type=Path, help="delivery directory (counts landed files)")
    check.add_argument("--docs-dir", type=Path, help="where to write the GX data docs")
    check.add_argument("--cutoff-date", type=dt.date.fromisoformat,
                       help="the marts' cut-off (ISO date; default 31 December of the year): "
                            "completeness judges the months ended by then")
    decide = commands.add_parser("gate", help="decide from the latest run of the year")
    decide.add_argument("--year", type=int, required=True)
    waiver = commands.add_parser("waiver", help="manage waivers").add_subparsers(
        dest="waiver_command", required=True)
    add = waiver.add_parser("add", help="record a waiver of a blocking check")
    add.add_argument("--check", required=True)
    add.add_argument("--year", type=int, required=True)
    add.add_argument("--by", required=True, help="who decided (name, position)")
    add.add_argument("--reason", required=True)
    add.add_argument("--until", type=dt.date.fromisoformat, required=True, help="ISO date")
    add.add_argument("--unit", help="the unit waived; omit to waive the check for every unit")
    listing = waiver.add_parser("list", help="list waivers")
    listing.add_argument("--year", type=int)
    return parser


def _print_decision(decision: gate.GateDecision) -> None:
    print(f"Cổng chất lượng MỞ cho năm {decision.year} / Quality gate OPEN for "
          f"{decision.year} (run {decision.run_id})")
    for item in decision.waived:
        who = "; ".join(f"{w.waived_by}: {w.reason} (→ {w.valid_until})" for w in item.waivers)
        print(f"  MIỄN / WAIVED {item.outcome.message_en} — {who}")
    for outcome in decision.warnings:
        print(f"  CẢNH BÁO / WARNING {outcome.message_vi} | {outcome.message_en}")


def _decide(dsn: str, year: int) -> int:
    try:
        decision = gate.assert_open(dsn, year)
    except gate.GateClosed as closed:
        print(closed, file=sys.stderr)
        return 1
    _print_decision(decision)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command of `argv`; return the process exit code."""
    args = _parser().parse_args(argv)
    # Checks, the gate and waivers are all the checker's: it reads every layer and alone
    # writes quality (the reporter reads the quality marts only).
    dsn = args.dsn or warehouse_dsn("checks")
    if args.command == "check":
        run = gate.run_checks(dsn, args.year, args.data_dir, args.docs_dir, args.cutoff_date)
        failed = sum(not o.passed for o in run.outcomes)
        print(f"{len(run.outcomes)} checks, {failed} failed; data docs: {run.data_docs}")
        return _decide(dsn, args.year)
    if args.command == "gate":
        return _decide(dsn, args.year)
    if args.waiver_command == "add":
        try:
            waiver = store.add_waiver(dsn, args.check, args.year, args.by, args.reason,
                                      args.until, args.unit)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        print(f"waiver {waiver.waiver_id} recorded")
        return 0
    with psycopg.connect(dsn) as conn:
        for w in store.list_waivers(conn, args.year):
            print(f"{w.waiver_id}\t{w.report_year}\t{w.check}\t{w.unit_code or '*'}\t"
                  f"{w.valid_until}\t{w.waived_by}\t{w.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
