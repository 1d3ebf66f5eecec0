"""The content model: one frozen class per part of a role file, ``content/roles/*.yaml``.

These classes are both the file format and what the bot reads. They are frozen
standard-library dataclasses (slots, keyword-only, tuples for lists) that pydantic
validates directly (``_rules.validate_role``): each class carries its pydantic
config (``extra="forbid"``, so a typo in a YAML key is an error naming the field),
and each field's type names its rules (lengths, patterns, amounts, dates) through a
``Rules`` marker that builds the pydantic metadata only when pydantic asks for it.
Checks between fields of one class (``min`` not above ``max``) run in
``__post_init__``, so they hold for roles built in code too. ``careerbot schema``
prints the JSON Schema pydantic generates from these classes.

They are not pydantic models because a start that reads the catalogue cache
(``_cache``) then never imports pydantic, which was most of ``careerbot ask``'s
start-up time (docs/benchmarks.md, "Cold start").

Every class has a docstring: for one without, ``dataclass`` writes one from
``inspect.signature`` while the module is imported, which costs start-up time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ._money import format_amount

if TYPE_CHECKING:
    from pydantic import ConfigDict

__all__ = [
    "LEVEL_ID_MAX",
    "SLUG_MAX",
    "Aliases",
    "AsOf",
    "Band",
    "Demand",
    "HeadlineBand",
    "Level",
    "LevelId",
    "Name",
    "Path",
    "Percent",
    "Pitfall",
    "Premium",
    "Question",
    "Role",
    "Rules",
    "Rupees",
    "Slug",
    "Source",
    "Text",
    "Toolchain",
    "WhyNow",
    "Years",
    "level_words",
]

SLUG_MAX = 32
LEVEL_ID_MAX = 16


class Rules:
    """A field's validation rules, as pydantic metadata built on first validation.

    ``Rules("text", 80)`` stands for what ``_rules.text(80)`` returns (pydantic's
    ``StringConstraints``, validators, JSON Schema tweaks); pydantic finds the marker
    in ``Annotated`` through its public ``__get_pydantic_core_schema__`` hook.
    """

    __slots__ = ("args", "name")

    def __init__(self, name: str, *args: object) -> None:
        self.name = name
        self.args = args

    def __repr__(self) -> str:
        return f"Rules({self.name!r}{''.join(f', {arg!r}' for arg in self.args)})"

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from . import _rules

        metadata: tuple[object, ...] = getattr(_rules, self.name)(*self.args)
        annotated: Any = Annotated
        return handler(annotated[(source, *metadata)])


Rupees = Annotated[int, Rules("rupees")]
"""Whole rupees per year; a file may say 22L, 45 LPA, 1.2Cr or ₹12,50,000."""
AsOf = Annotated[str, Rules("as_of")]
"""A year, a year-month or a day, checked against the calendar."""
Text = Annotated[str, Rules("text", 2000)]
Name = Annotated[str, Rules("text", 80)]
Slug = Annotated[str, Rules("slug", SLUG_MAX)]
LevelId = Annotated[str, Rules("slug", LEVEL_ID_MAX)]
Aliases = Annotated[tuple[Name, ...], Rules("unique")]


def _described(text: str) -> Rules:
    return Rules("described", text)


def _config(**extra: object) -> ConfigDict:
    return {"extra": "forbid", "frozen": True, "str_strip_whitespace": True, **extra}  # type: ignore[typeddict-item]  # the keys are ConfigDict's


_CONFIG = _config()


def _ordered(lower: float, upper: float | None, message: str) -> None:
    if upper is not None and lower > upper:
        raise ValueError(message)


@dataclass(frozen=True, slots=True, kw_only=True)
class Band:
    """A yearly pay band in whole rupees; ``max`` may be left out for "and above"."""

    __pydantic_config__ = _CONFIG

    min: Rupees
    max: Rupees | None = None

    def __post_init__(self) -> None:
        if self.max is not None and self.min > self.max:
            raise ValueError(
                f"min ({format_amount(self.min)}) must not exceed max ({format_amount(self.max)})"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class Years:
    """Years of experience a level covers; ``max`` absent means "and more"."""

    __pydantic_config__ = _CONFIG

    min: Annotated[float, Rules("between", 0, 60)]
    max: Annotated[float, Rules("between", 0, 60)] | None = None

    def __post_init__(self) -> None:
        _ordered(self.min, self.max, "min years must not exceed max years")

    def holds(self, years: float) -> bool:
        return self.min <= years and (self.max is None or years <= self.max)


@dataclass(frozen=True, slots=True, kw_only=True)
class Demand:
    """How sought after the role is: a label, and the open roles when counted."""

    __pydantic_config__ = _CONFIG

    label: Name
    open_roles: Annotated[int, Rules("between", 0, None)] | None = None
    approximate: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class HeadlineBand(Band):
    """The band a role is known by, and what it covers."""

    covers: Annotated[Text, _described("What the headline band covers, in one sentence.")]


@dataclass(frozen=True, slots=True, kw_only=True)
class Level(Band):
    """One rung of the seniority ladder, listed from junior to senior."""

    id: LevelId
    label: Name
    aliases: Aliases = ()
    years: Years | None = None
    qualifier: Annotated[Name | None, _described('Such as "FAANG-tier".')] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Percent:
    """A premium as a percentage range."""

    __pydantic_config__ = _CONFIG

    min: Annotated[float, Rules("between", 0, 1000)]
    max: Annotated[float, Rules("between", 0, 1000)]

    def __post_init__(self) -> None:
        _ordered(self.min, self.max, "min percent must not exceed max percent")


@dataclass(frozen=True, slots=True, kw_only=True)
class Premium:
    """Extra pay over other roles at one level: an absolute band or a percentage."""

    __pydantic_config__ = _CONFIG

    over: Annotated[tuple[Name, ...], Rules("not_empty")]
    level: LevelId
    amount: Band | None = None
    percent: Percent | None = None
    note: Text | None = None

    def __post_init__(self) -> None:
        if (self.amount is None) == (self.percent is None):
            raise ValueError("give exactly one of amount or percent")


@dataclass(frozen=True, slots=True, kw_only=True)
class Toolchain:
    """Tools used for one purpose."""

    __pydantic_config__ = _CONFIG

    purpose: Name
    tools: Annotated[tuple[Name, ...], Rules("not_empty")]


@dataclass(frozen=True, slots=True, kw_only=True)
class WhyNow:
    """Why the role is in demand now, and who hires for it."""

    __pydantic_config__ = _CONFIG

    summary: Text
    employers: tuple[Name, ...] = ()
    employers_are: Annotated[
        Name | None,
        _described(
            "What the source says the employers are, shown before them, "
            'e.g. "Examples of GCCs the source names".'
        ),
    ] = None
    market: tuple[Text, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Pitfall:
    """A common mistake, and what strong candidates discuss instead."""

    __pydantic_config__ = _CONFIG

    mistake: Text
    strong_candidates_discuss: tuple[Text, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """A frequently asked question, its answer and the words that find it."""

    __pydantic_config__ = _CONFIG

    question: Text
    answer: Text
    match: Annotated[
        tuple[Name, ...],
        _described(
            "Words members use for this question (switch, salary, vs devops); "
            "/faq WORD and questions in words find it by them."
        ),
    ] = ()


def _file_name(field: str) -> str:
    """The key a field has in a role file: ``origin`` is written ``from``."""
    return "from" if field == "origin" else field


@dataclass(frozen=True, slots=True, kw_only=True)
class Path:
    """A way into the role: where people come from and the steps."""

    __pydantic_config__ = _config(alias_generator=_file_name, populate_by_name=True)

    origin: Annotated[Name, _described("The role people most often come from.")]
    note: Text | None = None
    steps: tuple[Text, ...] = ()


SourceKind = Literal["careers page", "survey", "job board", "report", "article", "interview"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where the facts came from, and as of when."""

    __pydantic_config__ = _CONFIG

    title: Name
    kind: SourceKind
    as_of: AsOf
    url: Annotated[str, Rules("url")] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    """A career role: what it is, what it pays, how to get in, and where that came from."""

    __pydantic_config__ = _CONFIG

    slug: Slug
    title: Name
    aliases: Aliases = ()
    region: Name
    currency: Literal["INR"] = "INR"
    as_of: AsOf
    summary: Annotated[str, Rules("text", 300)]
    demand: Demand | None = None
    headline_pay: HeadlineBand | None = None
    ladder: tuple[Level, ...] = ()
    premiums: tuple[Premium, ...] = ()
    duties: tuple[Text, ...] = ()
    toolchains: tuple[Toolchain, ...] = ()
    why_now: WhyNow | None = None
    competencies: tuple[Text, ...] = ()
    pitfalls: tuple[Pitfall, ...] = ()
    faq: tuple[Question, ...] = ()
    paths: tuple[Path, ...] = ()
    sources: Annotated[tuple[Source, ...], Rules("not_empty")]

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
