"""The content as the bot reads it: plain frozen dataclasses, no pydantic.

``_models`` is the file format: pydantic models that validate a role file, name the
field of every mistake and generate the JSON Schema. Answering needs none of that,
only the values. A validated role is therefore converted (``_models.to_content``)
into these twins, with the same names, fields, field order and defaults (a test
keeps the two lists together). The catalogue cache pickles these, so a start that
reads a warm cache never imports pydantic, which was most of ``careerbot ask``'s
start-up time.

Every class has a docstring: for one without, ``dataclass`` writes one from
``inspect.signature`` while the module is imported, which here cost about 4 ms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Band",
    "Demand",
    "HeadlineBand",
    "Level",
    "Path",
    "Percent",
    "Pitfall",
    "Premium",
    "Question",
    "Role",
    "Source",
    "Toolchain",
    "WhyNow",
    "Years",
    "level_words",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Band:
    """A yearly pay band in whole rupees; ``max`` is ``None`` for "and above"."""

    min: int
    max: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Years:
    """Years of experience a level covers; ``max`` ``None`` means "and more"."""

    min: float
    max: float | None = None

    def holds(self, years: float) -> bool:
        return self.min <= years and (self.max is None or years <= self.max)


@dataclass(frozen=True, slots=True, kw_only=True)
class Demand:
    """How sought after the role is: a label, and the open roles when counted."""

    label: str
    open_roles: int | None = None
    approximate: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class HeadlineBand(Band):
    """The band a role is known by, and what it covers."""

    covers: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Level(Band):
    """One rung of the seniority ladder, listed from junior to senior."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    years: Years | None = None
    qualifier: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Percent:
    """A premium as a percentage range."""

    min: float
    max: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Premium:
    """Extra pay over other roles at one level: an absolute band or a percentage."""

    over: tuple[str, ...]
    level: str
    amount: Band | None = None
    percent: Percent | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Toolchain:
    """Tools used for one purpose."""

    purpose: str
    tools: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class WhyNow:
    """Why the role is in demand now, and who hires for it."""

    summary: str
    employers: tuple[str, ...] = ()
    employers_are: str | None = None
    market: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Pitfall:
    """A common mistake, and what strong candidates discuss instead."""

    mistake: str
    strong_candidates_discuss: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """A frequently asked question, its answer and the words that find it."""

    question: str
    answer: str
    match: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Path:
    """A way into the role: where people come from and the steps."""

    origin: str
    note: str | None = None
    steps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where the facts came from, and as of when."""

    title: str
    kind: Literal["careers page", "survey", "job board", "report", "article", "interview"]
    as_of: str
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    """A career role: what it is, what it pays, how to get in, and where that came from."""

    slug: str
    title: str
    aliases: tuple[str, ...] = ()
    region: str
    currency: Literal["INR"] = "INR"
    as_of: str
    summary: str
    demand: Demand | None = None
    headline_pay: HeadlineBand | None = None
    ladder: tuple[Level, ...] = ()
    premiums: tuple[Premium, ...] = ()
    duties: tuple[str, ...] = ()
    toolchains: tuple[Toolchain, ...] = ()
    why_now: WhyNow | None = None
    competencies: tuple[str, ...] = ()
    pitfalls: tuple[Pitfall, ...] = ()
    faq: tuple[Question, ...] = ()
    paths: tuple[Path, ...] = ()
    sources: tuple[Source, ...]

    def level(self, level_id: str) -> Level | None:
        return next((level for level in self.ladder if level.id == level_id), None)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the role answers to: slug, title, aliases."""
        return (self.slug, self.title, *self.aliases)


def level_words(level: Level) -> tuple[str, ...]:
    """Every word a member may type for ``level``: id, label, aliases (case-folded)."""
    words = {level.id, level.label.casefold(), *(alias.casefold() for alias in level.aliases)}
    words |= {re.sub(r"[-_]", " ", word) for word in words}
    return tuple(sorted(words))
