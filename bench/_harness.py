"""Small timing helpers shared by the benchmarks: medians of repeated rounds, ratios."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def rate(fn: Callable[[], object], *, count: int, rounds: int = 5) -> float:
    """Median calls per second of ``fn`` over ``rounds`` rounds of ``count`` calls."""
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(count):
            fn()
        rates.append(count / (time.perf_counter() - started))
    return statistics.median(rates)


def process_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system, all threads) process ``pid`` has used, to the
    nanosecond: Linux's per-process CPU clock (``clock_getcpuclockid``), which
    ``/proc/PID/stat`` counts only in ticks of 10 ms (17 µs a request over 600 requests).
    NaN where neither can be read."""
    import os

    try:
        return time.clock_gettime((~pid << 3) | 2)  # CPUCLOCK_SCHED of the whole process
    except OSError:
        pass
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def machine() -> dict[str, Any]:
    import os

    return {
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "system": platform.system(),
    }


def report(name: str, figures: dict[str, Any]) -> None:
    """Print ``figures`` and save them to ``bench/results/NAME.json``."""
    RESULTS.mkdir(exist_ok=True)
    payload = {"benchmark": name, "machine": machine(), **figures}
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n")
    width = max(len(key) for key in figures)
    print(f"== {name}")
    for key, value in figures.items():
        shown = f"{value:,.1f}" if isinstance(value, float) else value
        print(f"  {key:<{width}}  {shown}")
