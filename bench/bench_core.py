"""Core benchmarks: answers per second, cold `careerbot ask`, loading 1,000 roles.

Run: ``python -m bench.bench_core``. Every figure is a median of repeated rounds, and
each is set beside a baseline measured in the same run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._harness import rate, report
from bench.generate import generate_catalog
from careerbot_chat import Catalog, answer, load_catalog, parse, render_plain

COMMANDS = (
    "/role mlops",
    "/salary senior mlops",
    "/salary 5 years mlops",
    "/pitfalls mlops",
    "/skills mlops",
    "/faq mlops backend",
    "/roles",
    "/help",
    "/role mlop",
)


def answers_per_second(catalog: Catalog, text: str, count: int = 5_000) -> float:
    return rate(lambda: render_plain(answer(parse(text), catalog)), count=count)


def rotating_role_rate(catalog: Catalog, count: int = 5_000) -> float:
    """/role over every role in turn, so no single answer stays hot."""
    texts = [f"/role {role.slug}" for role in catalog.roles]
    state = {"i": 0}

    def one() -> None:
        state["i"] = (state["i"] + 1) % len(texts)
        render_plain(answer(parse(texts[state["i"]]), catalog))

    return rate(one, count=count)


def cold_start(runs: int = 11) -> tuple[float, float]:
    """Median wall time of `careerbot ask "/role mlops"` and of `python -c pass`."""

    def timed(argv: list[str]) -> float:
        started = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        return time.perf_counter() - started

    ask = [sys.executable, "-m", "careerbot_chat.cli", "ask", "/role mlops"]
    bare = [sys.executable, "-c", "pass"]
    ask_times, bare_times = [], []
    for _ in range(runs):  # interleaved, so both see the same machine noise
        ask_times.append(timed(ask))
        bare_times.append(timed(bare))
    return statistics.median(ask_times), statistics.median(bare_times)


def load_time(folder: Path, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        load_catalog(folder)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    one = load_catalog()
    figures: dict[str, object] = {}
    baseline = rate(lambda: ["/role", "mlops"][-1].upper(), count=50_000)
    figures["baseline str split+upper /s"] = baseline
    for text in COMMANDS:
        figures[f"1 role   {text} /s"] = answers_per_second(one, text)
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate_catalog(Path(tmp), 1_000)
        thousand = load_catalog(folder)
        figures["1000 roles load+validate s (median)"] = load_time(folder)
        for text in ("/role mlops", "/salary senior mlops", "/role mlop", "/roles"):
            figures[f"1000 roles {text} /s"] = answers_per_second(thousand, text, count=2_000)
        figures["1000 roles /role <each role in turn> /s"] = rotating_role_rate(thousand)
    ask, bare = cold_start()
    figures["cold careerbot ask ms (median)"] = ask * 1000
    figures["cold python -c pass ms (median)"] = bare * 1000
    figures["cold ask / bare python"] = ask / bare
    report("core", figures)


if __name__ == "__main__":
    main()
