"""How the search library was chosen: build, query p50/p99 and import cost on 1,000 roles.

Run: ``python -m bench.search_choice``. Measures each library that is installed among
SQLite FTS5 (standard library), tantivy (a dependency) and bm25s (not a dependency:
``pip install bm25s`` to include it), on the same pieces of 1,000 generated roles
and the same queries. Each import is timed in a fresh interpreter.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench._harness import percentile, report
from bench.bench_understand import QUERIES
from bench.generate import generate_catalog
from careerbot_chat import load_catalog
from careerbot_chat.answering._search import SearchIndex, pieces

Search = Callable[[tuple[str, ...]], object]


def _fts5(docs: list[tuple[str, str]]) -> Search:
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(slug, text, tokenize='porter unicode61')")
    db.executemany("INSERT INTO t(slug, text) VALUES (?, ?)", docs)

    def search(words: tuple[str, ...]) -> object:
        query = " OR ".join(f'"{word}"' for word in words)
        sql = "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 3"
        return db.execute(sql, (query,)).fetchall()

    return search


def _bm25s(docs: list[tuple[str, str]]) -> Search:
    import bm25s

    corpus = [text for _, text in docs]
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(corpus, stopwords="en", show_progress=False), show_progress=False
    )

    def search(words: tuple[str, ...]) -> object:
        tokens = bm25s.tokenize([" ".join(words)], stopwords="en", show_progress=False)
        return retriever.retrieve(tokens, k=3, show_progress=False)

    return search


def _import_ms(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(out.stdout) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        catalog = load_catalog(generate_catalog(Path(folder), 1000))
    docs = [(p.slug, f"{p.label} {p.text} {p.words}") for r in catalog.roles for p in pieces(r)]
    builders: dict[str, tuple[str, Callable[[], Search]]] = {
        "sqlite fts5": ("sqlite3", lambda: _fts5(docs)),
        "tantivy": ("tantivy", lambda: SearchIndex(catalog.roles).search),
        "bm25s": ("bm25s", lambda: _bm25s(docs)),
    }
    figures: dict[str, object] = {"pieces": len(docs)}
    for name, (module, build) in builders.items():
        if importlib.util.find_spec(module) is None:
            figures[f"{name}"] = "not installed"
            continue
        started = time.perf_counter()
        search = build()
        figures[f"{name}: build (ms)"] = (time.perf_counter() - started) * 1000
        samples = []
        for _ in range(100):
            for words in QUERIES:
                begun = time.perf_counter()
                search(words)
                samples.append(time.perf_counter() - begun)
        figures[f"{name}: query p50 (µs)"] = percentile(samples, 50) * 1e6
        figures[f"{name}: query p99 (µs)"] = percentile(samples, 99) * 1e6
        figures[f"{name}: import (ms)"] = _import_ms(module)
    report("search_choice", figures)


if __name__ == "__main__":
    main()
