"""`python -m sampledata <out_dir> [--seed N] [--years 2024 2025] [--api-port P]
[--scale S | --cases N]`."""
from __future__ import annotations

import argparse
import time

from sampledata.generate import DEFAULT_API_PORT, DEFAULT_SEED, DEFAULT_YEARS, generate


def main(argv: list[str] | None = None) -> int:
    """Generate the sample province and print where it went and how big it is."""
    parser = argparse.ArgumentParser(prog="python -m sampledata", description=__doc__)
    parser.add_argument("out_dir")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--years", type=int, nargs="+", default=list(DEFAULT_YEARS))
    parser.add_argument("--api-port", type=int, default=DEFAULT_API_PORT)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--scale", type=float, default=1.0)
    size.add_argument("--cases", type=int, help="cases a year (sets the scale)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    info = generate(args.out_dir, seed=args.seed, years=tuple(args.years),
                    api_port=args.api_port, scale=args.scale, cases_per_year=args.cases)
    print(f"data directory: {info.data_dir}")
    print(f"API datasets:   {info.api_dataset_dir}")
    print(f"accepted cases: {info.accepted_cases}")
    for kind, tally in info.counts.items():
        print(f"  {kind:4}: " + ", ".join(f"{k} {v}" for k, v in tally.items()))
    for unit, (variable, _token) in info.api_feeds.items():
        print(f"  token of {unit} in ${variable}")
    print(f"generated in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
