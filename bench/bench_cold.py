"""Cold start: `careerbot ask "/role mlops"` against `python -c pass`, in the same run.

Each command runs ``--runs`` times, interleaved so machine noise falls on all alike;
reported are the median wall time and the median CPU time (user + system of the
child) of each:

- ``python -c pass``: the interpreter alone (the baseline);
- ``ask``: `careerbot ask "/role mlops"` with the catalogue cache warm (the usual
  case: every run after the first with unchanged content and code);
- ``ask, no cache``: the same with ``CAREERBOT_CACHE_DIR=off`` (first run after a
  content edit: YAML parsed and validated, validators built);
- ``import``: ``import careerbot_chat.cli`` alone.

Python writes no bytecode when ``PYTHONDONTWRITEBYTECODE`` is set, and then compiles
this project's modules on every start (installed wheels come compiled). The bench
compiles them first (``compileall``) so it measures what an installation runs, and
says so in its output. Target: ask ≤ 150 ms median.

    .venv/bin/python -m bench.bench_cold [--runs 21]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench._harness import report

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 150.0


def commands() -> dict[str, tuple[list[str], dict[str, str]]]:
    python = sys.executable
    ask = [python, "-m", "careerbot_chat.cli", "ask", "/role mlops"]
    return {
        "python -c pass": ([python, "-c", "pass"], {}),
        "ask": (ask, {}),
        "ask, no cache": (ask, {"CAREERBOT_CACHE_DIR": "off"}),
        "import": ([python, "-c", "import careerbot_chat.cli"], {}),
    }


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env={**os.environ, **env})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


def run(runs: int) -> dict[str, Any]:
    compiled = all(compileall.compile_dir(ROOT / folder, quiet=1) for folder in ("src", "adapters"))
    todo = commands()
    for argv, env in todo.values():  # warm the cache, the page cache, the bytecode
        timed(argv, env)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in todo}
    for _ in range(runs):
        for name, (argv, env) in todo.items():
            samples[name].append(timed(argv, env))
    figures: dict[str, Any] = {}
    for name, values in samples.items():
        figures[f"{name} wall ms (median)"] = statistics.median(w for w, _ in values)
        figures[f"{name} CPU ms (median)"] = statistics.median(c for _, c in values)
    ask, bare = figures["ask wall ms (median)"], figures["python -c pass wall ms (median)"]
    figures["ask / python -c pass"] = round(ask / bare, 2)
    figures["target ask <= 150 ms"] = "met" if ask <= TARGET_MS else "MISSED"
    figures["runs"] = runs
    figures["bytecode"] = "compiled first" if compiled else "compileall failed"
    figures["load average"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args(argv)
    report("cold_start", run(args.runs))


if __name__ == "__main__":
    main()
