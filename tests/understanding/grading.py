"""Judge an answer against a labelled question (see questions.yaml for the rules).

Shared by the pytest suite and ``bench/bench_understand.py``, so both count the
same thing. Grading is on the plain-text render, what ``careerbot ask`` prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from careerbot_chat import Catalog

QUESTIONS = Path(__file__).with_name("questions.yaml")
BLIND_QUESTIONS = Path(__file__).with_name("blind_questions.yaml")
BLIND_CONVERSATIONS = Path(__file__).with_name("blind_conversations.yaml")
BLIND_SETS = {
    "blind": (BLIND_QUESTIONS, BLIND_CONVERSATIONS),
    **{
        name: (
            Path(__file__).with_name(f"{name}_questions.yaml"),
            Path(__file__).with_name(f"{name}_conversations.yaml"),
        )
        for name in ("blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8")
    },
}
"""The blind sets by name: (questions, conversations). ``blind2`` to ``blind8`` were
written later, each by another writer, also from the source page alone."""
HELD_OUT_EVERY = 4
"""Position ``i`` (0-based) is held out when ``i % 4 == 3``: fixed before tuning."""

_DASHES = str.maketrans({"–": "-", "—": "-", "−": "-"})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_GAP = re.compile(
    r"does not say|doesn't say|gives no|says nothing|has no|have no|no card"
    r"|not in the source|does not give|doesn't give|does not break|doesn't break"
)
_ROLE_NOT_FOUND = re.compile(r"No role called “([^”]*)”")


@dataclass(frozen=True)
class Labelled:
    """One labelled question and what a right answer must (not) show."""

    index: int
    q: str
    kind: str
    show: tuple[str, ...] = ()
    first: tuple[str, ...] = ()
    not_: tuple[str, ...] = ()
    gap: bool = False
    after: str | None = None
    pattern: str = ""
    max_lines: int | None = None
    said_before: str = ""
    """What the member said earlier in a conversation: their numbers may be echoed."""

    @property
    def held_out(self) -> bool:
        return self.index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1


def load_questions(path: Path = QUESTIONS) -> list[Labelled]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Labelled(
            index=index,
            q=item["q"],
            kind=item["kind"],
            show=tuple(item.get("show", ())),
            first=tuple(item.get("first", ())),
            not_=tuple(item.get("not", ())),
            gap=bool(item.get("gap", False)),
            after=item.get("after"),
            pattern=item.get("pattern", ""),
            max_lines=item.get("max_lines"),
        )
        for index, item in enumerate(data["questions"])
    ]


def load_blind_questions(name: str = "blind") -> list[Labelled]:
    """A blind set's single questions (``blind_questions.yaml``), written without the code."""
    return load_questions(BLIND_SETS[name][0])


@dataclass(frozen=True)
class Conversation:
    """One blind multi-turn conversation: each turn is asked after the ones before it."""

    index: int
    id: str
    pattern: str
    turns: tuple[Labelled, ...]

    @property
    def held_out(self) -> bool:
        return self.index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1


def load_conversations(path: Path | None = None, *, name: str = "blind") -> list[Conversation]:
    data = yaml.safe_load((path or BLIND_SETS[name][1]).read_text(encoding="utf-8"))
    found = []
    for index, item in enumerate(data["conversations"]):
        turns = tuple(
            Labelled(
                index=number,
                q=turn["q"],
                kind="turn",
                show=tuple(turn.get("show", ())),
                first=tuple(turn.get("first", ())),
                not_=tuple(turn.get("not", ())),
                gap=bool(turn.get("gap", False)),
                pattern=item["pattern"],
                max_lines=turn.get("max_lines"),
                said_before=" ".join(earlier["q"] for earlier in item["turns"][:number]),
            )
            for number, turn in enumerate(item["turns"])
        )
        found.append(Conversation(index, item["id"], item["pattern"], turns))
    return found


def _norm(text: str) -> str:
    return " ".join(text.translate(_DASHES).casefold().split())


def _has(text: str, fact: str) -> bool:
    return any(_norm(alternative) in text for alternative in fact.split("|"))


def numbers(text: str) -> set[str]:
    """Every number in ``text``, without thousands separators (``1,260`` → ``1260``)."""
    return {match.replace(",", "").rstrip(".") for match in _NUMBER.findall(text)}


def invented_numbers(answer: str, question: str, known: set[str]) -> set[str]:
    """Numbers in ``answer`` that are in neither the catalogue's cards nor the question."""
    return numbers(answer) - known - numbers(question)


def non_empty_lines(answer: str) -> list[str]:
    return [line for line in answer.splitlines() if line.strip()]


def first_in_head(item: Labelled, answer: str) -> bool:
    """Every ``first`` fact of ``item`` is within the first two non-empty lines."""
    head = _norm(" ".join(non_empty_lines(answer)[:2]))
    return all(_has(head, fact) for fact in item.first)


def grade(item: Labelled, answer: str, known: set[str]) -> list[str]:
    """What is wrong with ``answer`` (empty when it is right)."""
    text = _norm(answer)
    lines = non_empty_lines(answer)
    head = _norm(" ".join(lines[:2]))
    problems = [f"missing {fact!r}" for fact in item.show if not _has(text, fact)]
    problems += [f"not first: {fact!r}" for fact in item.first if not _has(head, fact)]
    problems += [f"shows {fact!r}" for fact in item.not_ if _norm(fact) in text]
    if item.gap and not _GAP.search(text):
        problems.append("does not say the source has no answer")
    if invented := invented_numbers(answer, f"{item.q} {item.said_before}", known):
        problems.append(f"invented numbers {sorted(invented)}")
    for name in _ROLE_NOT_FOUND.findall(answer):
        if len(name.split()) > 3:
            problems.append(f"'No role called' a sentence: {name!r}")
    if item.max_lines is not None and len(lines) > item.max_lines:
        problems.append(f"{len(lines)} lines, more than {item.max_lines}")
    if "Traceback" in answer:
        problems.append("a traceback")
    return problems


def card_numbers(catalog: Catalog) -> set[str]:
    """Every number any card of ``catalog`` shows: the only numbers an answer may give."""
    from careerbot_chat import render_plain
    from careerbot_chat.answering import _cards

    found: set[str] = set()
    for role in catalog.roles:
        kinds = ("role", "salary", "pitfalls", "skills", "faq")
        for kind in (*kinds, *(f"salary:{level.id}" for level in role.ladder)):
            card = _cards.card(role, kind)
            if card is not None:
                found |= numbers(render_plain(card))
    return found


def answer_text(item: Labelled, catalog: Catalog) -> str:
    """The plain-text answer to ``item`` as a private chat or ``careerbot ask`` gives it."""
    from careerbot_chat import answer, parse, render_plain

    command = parse(item.q, plain=True)
    assert command is not None
    replying_to = parse(item.after) if item.after else None
    return render_plain(answer(command, catalog, None, replying_to))


@dataclass(frozen=True)
class Score:
    right: int
    total: int
    invented: int
    wrong: tuple[tuple[Labelled, tuple[str, ...]], ...]

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0


def score(items: list[Labelled], catalog: Catalog) -> Score:
    """Right answers, invented-number answers and what was wrong, over ``items``."""
    known = card_numbers(catalog)
    wrong = []
    invented = 0
    for item in items:
        answer = answer_text(item, catalog)
        problems = grade(item, answer, known)
        invented += bool(invented_numbers(answer, item.q, known))
        if problems:
            wrong.append((item, tuple(problems)))
    return Score(len(items) - len(wrong), len(items), invented, tuple(wrong))


def conversation_texts(conversation: Conversation, catalog: Catalog) -> list[str]:
    """The plain-text answers to each turn of ``conversation``, asked in one chat.

    Each turn is read against what the conversation remembers so far (the last card,
    the member's years, pay and former role), as the bot keeps it in the store.
    """
    from careerbot_chat import answer, parse, render_plain
    from careerbot_chat.answering._memory import Memory

    texts = []
    memory = Memory()
    for turn in conversation.turns:
        command = parse(turn.q, plain=True)
        assert command is not None
        reply = answer(command, catalog, None, None, memory)
        memory = Memory.loads(reply.memory)
        texts.append(render_plain(reply))
    return texts


@dataclass(frozen=True)
class Figures:
    """The blind bench's figures over some answered items."""

    total: int
    right: int
    first_total: int
    first_right: int
    median_lines: float
    invented: int
    p90_lines: float = 0.0
    median_chars: float = 0.0
    p90_chars: float = 0.0

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def first_rate(self) -> float:
        return self.first_right / self.first_total if self.first_total else 1.0


def figures(answered: list[tuple[Labelled, str]], known: set[str]) -> Figures:
    """Right answers, asked fact in the first two lines, median lines, invented numbers."""
    import statistics

    with_first = [(item, text) for item, text in answered if item.first]
    return Figures(
        total=len(answered),
        right=sum(not grade(item, text, known) for item, text in answered),
        first_total=len(with_first),
        first_right=sum(first_in_head(item, text) for item, text in with_first),
        median_lines=statistics.median(len(non_empty_lines(t)) for _, t in answered)
        if answered
        else 0.0,
        invented=sum(
            bool(invented_numbers(text, f"{item.q} {item.said_before}", known))
            for item, text in answered
        ),
        p90_lines=_p90([len(non_empty_lines(text)) for _, text in answered]),
        median_chars=statistics.median(len(_shown(text)) for _, text in answered)
        if answered
        else 0.0,
        p90_chars=_p90([len(_shown(text)) for _, text in answered]),
    )


def _shown(text: str) -> str:
    """What a reader reads: the answer without the plain render's "More:" line."""
    return "\n".join(line for line in non_empty_lines(text) if not line.startswith("More: "))


def _p90(values: list[int]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))])


def blind_answers(items: list[Labelled], catalog: Catalog) -> list[tuple[Labelled, str]]:
    return [(item, answer_text(item, catalog)) for item in items]


def conversation_answers(
    conversations: list[Conversation], catalog: Catalog
) -> list[tuple[Conversation, list[tuple[Labelled, str]]]]:
    return [
        (conv, list(zip(conv.turns, conversation_texts(conv, catalog), strict=True)))
        for conv in conversations
    ]
