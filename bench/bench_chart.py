"""Chart drawing: our layout painted by Pillow, against matplotlib and pygal + cairosvg.

Run: ``python -m bench.bench_chart [--baseline-python PATH]``. Each candidate draws
the bundled role's pay ladder (bars from min to max, the headline band, labels, a
footer) as a 960 px wide PNG in a fresh process, so "cold" includes importing the
library, as the first chart after a server starts does. Figures are medians of
interleaved rounds; the baselines run under ``--baseline-python`` (a virtualenv with
matplotlib, pygal and cairosvg, which careerbot does not depend on), or are skipped
with the reason when that interpreter lacks them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from bench._harness import report

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 7

TIMED = """
import time, json, io
t0 = time.perf_counter()
{imports}
t1 = time.perf_counter()
{draw}
png = draw()
t2 = time.perf_counter()
warm = []
for _ in range(20):
    s = time.perf_counter(); draw(); warm.append(time.perf_counter() - s)
warm.sort()
print(json.dumps({{"import": t1 - t0, "cold": t2 - t1, "warm": warm[10], "bytes": len(png)}}))
"""
"""Times importing the library, the first chart, and the median of 20 more."""

OURS = TIMED.format(
    imports="""
from careerbot_chat import load_catalog
from careerbot_chat.chart import chart_spec, render_png
spec = chart_spec(load_catalog().roles[0])
t0 = time.perf_counter()  # the library alone, not the catalogue
import PIL.Image, PIL.ImageDraw, PIL.ImageFont
""",
    draw="""
def draw():
    render_png.cache_clear()
    return render_png(spec)
""",
)

MATPLOTLIB = TIMED.format(
    imports="""
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
""",
    draw="""
def draw():
    fig = Figure(figsize=(4.0, 3.35), dpi=240)
    ax = fig.add_subplot()
    labels = ["Mid-level", "Senior", "Staff"]
    lows, highs = [22, 45, 120], [45, 80, 200]
    ax.axvspan(10, 45, color="#fff1cc")
    ax.barh(labels, [h - l for l, h in zip(lows, highs)], left=lows, color="#2f6fde")
    for i, (l, h) in enumerate(zip(lows, highs)):
        ax.text(h + 2, i, f"\\u20b9{l}\\u2013{h} LPA", va="center", fontsize=7)
    ax.invert_yaxis()
    ax.set_title("MLOps Engineer pay by level")
    fig.text(0.01, 0.01, "Source: MLOps Engineer careers in India in 2026", fontsize=6)
    out = io.BytesIO(); fig.savefig(out, format="png"); return out.getvalue()
""",
)

PYGAL = TIMED.format(
    imports="import pygal, cairosvg",
    draw="""
def draw():
    chart = pygal.HorizontalBar(width=960, height=800, title="MLOps Engineer pay by level")
    chart.x_labels = ["Mid-level", "Senior", "Staff"]
    chart.add("min", [22, 45, 120]); chart.add("max", [45, 80, 200])
    return chart.render_to_png()
""",
)


def run(python: str, code: str) -> dict[str, float] | str:
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        return done.stderr.strip().splitlines()[-1] if done.stderr else "failed"
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline-python", default=sys.executable)
    args = parser.parse_args()
    candidates = {
        "ours (layout + Pillow)": (sys.executable, OURS),
        "matplotlib Agg": (args.baseline_python, MATPLOTLIB),
        "pygal + cairosvg": (args.baseline_python, PYGAL),
    }
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in candidates}
    skipped: dict[str, str] = {}
    for _ in range(ROUNDS):  # interleaved, so every candidate sees the same noise
        for name, (python, code) in candidates.items():
            if name in skipped:
                continue
            result = run(python, code)
            if isinstance(result, str):
                skipped[name] = result
            else:
                samples[name].append(result)
    figures: dict[str, object] = {}
    for name, runs in samples.items():
        if name in skipped:
            figures[f"{name}"] = f"skipped: {skipped[name]}"
            continue
        for measure in ("import", "cold", "warm"):
            value = statistics.median(run[measure] for run in runs) * 1000
            figures[f"{name} {measure} ms (median)"] = value
        figures[f"{name} PNG bytes"] = int(statistics.median(run["bytes"] for run in runs))
    ours = samples["ours (layout + Pillow)"]
    ours_cold = statistics.median(r["import"] + r["cold"] for r in ours)
    for name, runs in samples.items():
        if runs and name not in skipped and not name.startswith("ours"):
            theirs = statistics.median(r["import"] + r["cold"] for r in runs)
            figures[f"{name} import+cold / ours"] = theirs / ours_cold
    report("chart", figures)


if __name__ == "__main__":
    main()
