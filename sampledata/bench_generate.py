"""Benchmark: generate a province of N cases a year; report seconds and peak RSS.

    .venv/bin/python -m sampledata.bench_generate --cases 25000 100000 \\
        --out benchmarks/sample_data.json

Each size runs in its own process (peak RSS is that of the largest process: the
generator's or one of its workers) and appends one object to the output list. A peak
RSS that stays flat as N grows shows that generation streams.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(cases: int, years: tuple[int, ...]) -> dict:
    """Generate once in this process and return the figures."""
    from sampledata.generate import generate

    with tempfile.TemporaryDirectory(prefix="cchc-bench-sample-") as out:
        started = time.monotonic()
        info = generate(out, years=years, cases_per_year=cases)
        seconds = time.monotonic() - started
    return {
        "cases_per_year": cases, "years": list(years), "cases_accepted": info.accepted_cases,
        "files": sum(t["files"] for t in info.counts.values()),
        "seconds": round(seconds, 1),
        # The largest process: this one or a worker of generate() (CCHC_SAMPLE_WORKERS).
        "peak_rss_mb": round(max(resource.getrusage(who).ru_maxrss for who in (
            resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024, 1),
        "workers": int(os.environ.get("CCHC_SAMPLE_WORKERS") or os.cpu_count() or 1),
        "machine": f"{platform.machine()} {platform.processor() or ''} "
                   f"{platform.python_implementation()} {platform.python_version()}".strip(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sampledata.bench_generate")
    parser.add_argument("--cases", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument("--years", type=int, nargs="+", default=[2025])
    parser.add_argument("--out", default="benchmarks/sample_data.json")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:  # the child: one size, figures on stdout
        print(json.dumps(measure(args.cases[0], tuple(args.years))))
        return 0
    out = Path(args.out)
    results = json.loads(out.read_text()) if out.exists() else []
    for cases in args.cases:
        child = subprocess.run(
            [sys.executable, "-m", "sampledata.bench_generate", "--one", "--cases", str(cases),
             "--years", *map(str, args.years)], check=True, capture_output=True, text=True)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        print(figures)
        results.append(figures)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
