"""Run every benchmark in turn: ``python -m bench`` (about twenty minutes on 2 cores)."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = (
    "bench_core",
    "bench_cold",
    "bench_understand",
    "bench_telegram",
    "bench_slack",
    "bench_slack_route",
    "bench_serve",
    "load",
    "bench_chart",
    "bench_budget",
    "bench_refresh",
    "bench_blind",
    "bench_read_cost",
)


def main() -> int:
    failed = 0
    for name in BENCHMARKS:
        print(f"\n### python -m bench.{name}", flush=True)
        failed |= subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
