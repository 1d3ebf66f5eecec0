"""Small timing helpers shared by the benchmarks: medians of repeated rounds, ratios."""

from __future__ import annotations

import contextlib
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


_server_cpus: set[int] = set()


def split_cpus() -> bool:
    """Keep this process (the client, and the fake APIs it serves) on one CPU and the
    servers, once ``pin_server`` has moved them, on the others.

    Left to the scheduler, a server sometimes shares a core with the client by turns,
    and its CPU per request then differs from another run's by up to 25 %. False, with
    nothing changed, off Linux or with fewer than 2 CPUs.
    """
    import os

    if not hasattr(os, "sched_setaffinity"):
        return False
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return False
    os.sched_setaffinity(0, {cpus[0]})
    _server_cpus.clear()
    _server_cpus.update(cpus[1:])
    return True


def pin_server(pid: int) -> None:
    """Move every thread of process ``pid`` to the servers' CPUs (after ``split_cpus``)."""
    import os

    if not _server_cpus:
        return
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that has just ended
            os.sched_setaffinity(int(task.name), _server_cpus)


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
