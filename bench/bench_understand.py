"""Understanding questions in words: right-answer rate, invented numbers, and its cost.

Run: ``python -m bench.bench_understand``.

- Right-answer rate on the labelled set (``tests/understanding/questions.yaml``), on
  all of it and on the held-out quarter separately (the honest figure), and how many
  answers hold a number that is on no card and not in the question.
- Cost of understanding over the plain grammar on a 1,000-role catalogue: the median
  time to parse and answer a sentence minus the median for the command it means
  (``how much does a senior mlops engineer make`` against ``/salary senior mlops``),
  measured interleaved in the same run.
- Search: building the tantivy index over 1,000 roles, and per-question p50/p99.
- Import cost of tantivy, paid only by a ``careerbot ask`` that needs a search.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._harness import percentile, report
from bench.generate import generate_catalog
from careerbot_chat import Catalog, answer, load_catalog, parse, render_plain
from careerbot_chat.answering._derived import warm
from careerbot_chat.answering._search import SearchIndex
from tests.understanding.grading import load_questions, score

PAIRS = (
    ("how much does a senior mlops engineer make", "/salary senior mlops"),
    ("sr mlops ctc?", "/salary sr mlops"),
    ("senior mlops ka salary kitna hai", "/salary senior mlops"),
    ("mlops interview tips", "/pitfalls mlops"),
    ("what skills do I need for mlops", "/skills mlops"),
    ("mlops salary with 5 years experience", "/salary 5 years mlops"),
    ("mlosp salary senoir", "/salary senior mlops"),
    ("can a backend engineer move into mlops", "/faq mlops backend"),
)
QUERIES = (
    ("kubernetes",),
    ("shadow", "deployments"),
    ("feature", "freshness"),
    ("drift",),
    ("kubeflow", "used"),
    ("talent", "pool", "small"),
    ("remote", "friendly"),
    ("engineer",),
    ("model", "production"),
    ("batch", "online", "inference"),
)


def rates() -> dict[str, object]:
    catalog = load_catalog()
    questions = load_questions()
    held = [item for item in questions if item.held_out]
    tuned = [item for item in questions if not item.held_out]
    everything, kept, aside = score(questions, catalog), score(tuned, catalog), score(held, catalog)
    for item, problems in aside.wrong:
        print(f"  held-out miss #{item.index}: {item.q!r}: {'; '.join(problems)}")
    return {
        "questions": everything.total,
        "right answers, all (%)": 100 * everything.rate,
        "right answers, tuned part (%)": 100 * kept.rate,
        "right answers, held-out quarter (%)": 100 * aside.rate,
        "held-out right / total": f"{aside.right} / {aside.total}",
        "answers with an invented number": everything.invented,
    }


def _once(text: str, catalog: Catalog) -> float:
    started = time.perf_counter()
    command = parse(text, plain=True)
    assert command is not None
    render_plain(answer(command, catalog))
    return time.perf_counter() - started


def added_cost(catalog: Catalog, rounds: int = 400) -> tuple[float, float, float]:
    """Median µs per message for sentences, for their commands, and the difference."""
    sentences: list[float] = []
    commands: list[float] = []
    for sentence, command in PAIRS:  # warm: cards, corrections, search index
        _once(sentence, catalog)
        _once(command, catalog)
    for _ in range(rounds):
        for sentence, command in PAIRS:  # interleaved: both see the same noise
            sentences.append(_once(sentence, catalog))
            commands.append(_once(command, catalog))
    said, typed = statistics.median(sentences) * 1e6, statistics.median(commands) * 1e6
    return said, typed, said - typed


def search_times(catalog: Catalog, rounds: int = 300) -> tuple[float, float, float]:
    started = time.perf_counter()
    index = SearchIndex(catalog.roles)
    build = time.perf_counter() - started
    samples = []
    for _ in range(rounds):
        for words in QUERIES:
            begun = time.perf_counter()
            index.search(words)
            samples.append(time.perf_counter() - begun)
    return build * 1000, percentile(samples, 50) * 1e6, percentile(samples, 99) * 1e6


def import_cost(runs: int = 7) -> tuple[float, float]:
    """Median ms of ``import careerbot_chat.cli`` alone and with ``import tantivy``."""

    def timed(code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        return time.perf_counter() - started

    base, with_search = [], []
    for _ in range(runs):
        base.append(timed("import careerbot_chat.cli"))
        with_search.append(timed("import careerbot_chat.cli, tantivy"))
    return statistics.median(base) * 1000, statistics.median(with_search) * 1000


def main() -> None:
    figures = rates()
    with tempfile.TemporaryDirectory() as folder:
        big = warm(load_catalog(generate_catalog(Path(folder), 1000)))
    said, typed, added = added_cost(big)
    build, p50, p99 = search_times(big)
    base, with_search = import_cost()
    figures |= {
        "1,000 roles: sentence, parse+answer median (µs)": said,
        "1,000 roles: same command, parse+answer median (µs)": typed,
        "1,000 roles: added by understanding, median (µs)": added,
        "1,000 roles: search index build (ms)": build,
        "1,000 roles: search p50 (µs)": p50,
        "1,000 roles: search p99 (µs)": p99,
        "import careerbot_chat.cli (ms)": base,
        "import careerbot_chat.cli + tantivy (ms)": with_search,
    }
    report("understand", figures)


if __name__ == "__main__":
    main()
