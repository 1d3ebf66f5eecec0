"""The blind labelled sets: how members' questions and conversations are answered.

Run: ``python -m bench.bench_blind`` (``--misses`` also prints the tuning part's wrong
answers; the held-out part is only ever counted, never shown; ``--set blind2`` …
``--set blind8`` reports a later writer's set, ``--set all`` every set).

The sets (``tests/understanding/blind_questions.yaml``, ``blind_conversations.yaml``,
and the later writers' ``blind2_*.yaml`` to ``blind8_*.yaml``) were written from the
source page alone, without the code. Every 4th item (a
conversation counts whole) is held out and reported apart. Per pattern and overall:

- right answers (every label of the item met);
- the asked fact within the first two non-empty lines (items with a ``first`` label);
- median and p90 non-empty lines of an answer, and characters (without the plain
  render's "More:" line of commands);
- answers holding an invented number (on no card and not in the question);
- for conversations, also turns right and conversations right throughout.
"""

from __future__ import annotations

import sys
from collections import defaultdict

from careerbot_chat import load_catalog
from tests.understanding.grading import (
    BLIND_SETS,
    Figures,
    Labelled,
    blind_answers,
    card_numbers,
    conversation_answers,
    figures,
    grade,
    load_blind_questions,
    load_conversations,
)

Answered = list[tuple[Labelled, str]]


def _line(name: str, f: Figures, extra: str = "") -> str:
    return (
        f"  {name:<18} right {f.right:>3}/{f.total:<3} ({100 * f.rate:5.1f} %)"
        f"  first-2 {f.first_right:>3}/{f.first_total:<3} ({100 * f.first_rate:5.1f} %)"
        f"  lines median {f.median_lines:4.1f} p90 {f.p90_lines:4.1f}"
        f"  chars median {f.median_chars:5.0f} p90 {f.p90_chars:5.0f}  invented {f.invented}{extra}"
    )


def _by_pattern(answered: Answered, known: set[str]) -> list[str]:
    groups: dict[str, Answered] = defaultdict(list)
    for item, text in answered:
        groups[item.pattern].append((item, text))
    lines = [_line(name, figures(group, known)) for name, group in sorted(groups.items())]
    return [*lines, _line("ALL", figures(answered, known))]


def report_questions(known: set[str], misses: bool, name: str = "blind") -> None:
    catalog = load_catalog()
    items = load_blind_questions(name)
    for part, held in (("tuning part", False), ("held-out part", True)):
        answered = blind_answers([i for i in items if i.held_out is held], catalog)
        print(f"{name} questions, {part}:")
        print("\n".join(_by_pattern(answered, known)))
        if misses and not held:
            for item, text in answered:
                if problems := grade(item, text, known):
                    print(
                        f"    MISS #{item.index} [{item.pattern}] {item.q!r}: {'; '.join(problems)}"
                    )


def report_conversations(known: set[str], misses: bool, name: str = "blind") -> None:
    catalog = load_catalog()
    conversations = load_conversations(name=name)
    for part, held in (("tuning part", False), ("held-out part", True)):
        chats = conversation_answers([c for c in conversations if c.held_out is held], catalog)
        print(f"{name} conversations, {part}:")
        by: dict[str, list[tuple[int, int, Answered]]] = defaultdict(list)
        for conv, turns in chats:
            right = sum(not grade(item, text, known) for item, text in turns)
            by[conv.pattern].append((right, len(turns), turns))
            by["ALL"].append((right, len(turns), turns))
            if misses and not held:
                for item, text in turns:
                    if problems := grade(item, text, known):
                        print(
                            f"    MISS {conv.id} turn {item.index} {item.q!r}: {'; '.join(problems)}"
                        )
        for pattern in sorted(by, key=lambda n: (n == "ALL", n)):
            rows = by[pattern]
            answered = [pair for _, _, turns in rows for pair in turns]
            whole = sum(right == total for right, total, _ in rows)
            extra = f"  conversations right {whole}/{len(rows)}"
            print(_line(pattern, figures(answered, known), extra))


def main() -> None:
    misses = "--misses" in sys.argv
    chosen = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "blind"
    names = list(BLIND_SETS) if chosen == "all" else [chosen]
    known = card_numbers(load_catalog())
    for name in names:
        report_questions(known, misses, name)
        report_conversations(known, misses, name)


if __name__ == "__main__":
    main()
