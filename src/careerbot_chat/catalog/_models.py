"""The content format: one ``Role`` per YAML file under ``content/roles/``.

Every model is frozen and forbids unknown fields, so a typo in a YAML key is an
error naming the field rather than a silently ignored line. ``careerbot schema``
prints the JSON Schema generated from these models; ``content/schema.json`` is that
output, checked in for editors.

Only validation and the schema use these: ``to_content`` turns a validated role
into the plain ``_content`` classes of the same names, which answering and the
cache hold.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from . import _content
from ._money import format_amount, parse_rupees

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
    "Rupees",
    "Slug",
    "Source",
    "Text",
    "Toolchain",
    "WhyNow",
    "Years",
    "to_content",
]

SLUG_MAX = 32
LEVEL_ID_MAX = 16

_AMOUNT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "integer", "minimum": 0},
        {
            "type": "string",
            "pattern": r"^\s*₹?\s*[0-9][0-9,]*(\.[0-9]+)?\s*([A-Za-z. ]*)\s*$",
            "examples": ["22L", "45 LPA", "1.2Cr", "₹12,50,000"],
        },
    ],
    "description": "Whole rupees per year, or an amount such as 22L, 45 LPA, 1.2Cr, ₹12,50,000.",
}

Rupees = Annotated[int, BeforeValidator(parse_rupees), WithJsonSchema(_AMOUNT_SCHEMA)]


def _as_of_text(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _calendar_date(value: str) -> str:
    """``value`` if it is a real year, year-month or day; else why not."""
    year, *rest = (int(part) for part in value.split("-"))
    month, day = (*rest, None, None)[:2]
    if not 1900 <= year <= 2999:
        raise ValueError(f"{value} is not a date: the year must be between 1900 and 2999")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{value} is not a date: there is no month {month:02d}")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            name = calendar.month_name[month]
            raise ValueError(f"{value} is not a date: {name} {year} has days 01 to {last}")
    return value


AsOf = Annotated[
    str,
    BeforeValidator(_as_of_text),
    StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
    AfterValidator(_calendar_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1900, "maximum": 2999},
                {
                    "type": "string",
                    "pattern": r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
                },
            ],
            "description": "As-of date: a year (2026), a month (2026-03) or a day (2026-03-14).",
        }
    ),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=SLUG_MAX)]
LevelId = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=LEVEL_ID_MAX)
]


def _unique_lower(values: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for value in values:
        key = value.casefold()
        if key in seen:
            raise ValueError(f"{value!r} is listed twice")
        seen.add(key)
    return values


Aliases = Annotated[tuple[Name, ...], AfterValidator(_unique_lower)]


class _Model(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True
    )


class Band(_Model):
    """A yearly pay band in whole rupees; ``max`` may be left out for "and above"."""

    min: Rupees
    max: Rupees | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.max is not None and self.min > self.max:
            raise ValueError(
                f"min ({format_amount(self.min)}) must not exceed max ({format_amount(self.max)})"
            )
        return self


class Years(_Model):
    """Years of experience a level covers; ``max`` absent means "and more"."""

    min: Annotated[float, Field(ge=0, le=60)]
    max: Annotated[float | None, Field(ge=0, le=60)] = None

    @model_validator(mode="after")
    def _ordered(self) -> Years:
        if self.max is not None and self.min > self.max:
            raise ValueError("min years must not exceed max years")
        return self


class Demand(_Model):
    label: Name
    open_roles: Annotated[int | None, Field(ge=0)] = None
    approximate: bool = False


class HeadlineBand(Band):
    covers: Text = Field(description="What the headline band covers, in one sentence.")


class Level(Band):
    """One rung of the seniority ladder, listed from junior to senior."""

    id: LevelId
    label: Name
    aliases: Aliases = ()
    years: Years | None = None
    qualifier: Name | None = Field(default=None, description='Such as "FAANG-tier".')


class Percent(_Model):
    min: Annotated[float, Field(ge=0, le=1000)]
    max: Annotated[float, Field(ge=0, le=1000)]

    @model_validator(mode="after")
    def _ordered(self) -> Percent:
        if self.min > self.max:
            raise ValueError("min percent must not exceed max percent")
        return self


class Premium(_Model):
    """Extra pay over other roles at one level: an absolute band or a percentage."""

    over: Annotated[tuple[Name, ...], Field(min_length=1)]
    level: LevelId
    amount: Band | None = None
    percent: Percent | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _one_measure(self) -> Premium:
        if (self.amount is None) == (self.percent is None):
            raise ValueError("give exactly one of amount or percent")
        return self


class Toolchain(_Model):
    purpose: Name
    tools: Annotated[tuple[Name, ...], Field(min_length=1)]


class WhyNow(_Model):
    summary: Text
    employers: tuple[Name, ...] = ()
    employers_are: Name | None = Field(
        default=None,
        description="What the source says the employers are, shown before them, "
        'e.g. "Examples of GCCs the source names".',
    )
    market: tuple[Text, ...] = ()


class Pitfall(_Model):
    mistake: Text
    strong_candidates_discuss: tuple[Text, ...] = ()


class Question(_Model):
    question: Text
    answer: Text
    match: tuple[Name, ...] = Field(
        default=(),
        description="Words members use for this question (switch, salary, vs devops); "
        "/faq WORD and questions in words find it by them.",
    )


class Path(_Model):
    origin: Name = Field(alias="from", description="The role people most often come from.")
    note: Text | None = None
    steps: tuple[Text, ...] = ()

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class Source(_Model):
    title: Name
    kind: Literal["careers page", "survey", "job board", "report", "article", "interview"]
    as_of: AsOf
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None


class Role(_Model):
    """A career role: what it is, what it pays, how to get in, and where that came from."""

    schema_: str | None = Field(default=None, alias="$schema", exclude=True)
    slug: Slug
    title: Name
    aliases: Aliases = ()
    region: Name
    currency: Literal["INR"] = "INR"
    as_of: AsOf
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
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
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        populate_by_name=True,
        defer_build=True,
    )


def to_content(value: Any) -> Any:
    """``value`` as answering reads it: each validated model becomes its ``_content``
    twin (the class of the same name), nested models and tuples of them too. Fields
    left out of the file format's output (``$schema``) are left out here as well."""
    if isinstance(value, BaseModel):
        twin = getattr(_content, type(value).__name__)
        fields = type(value).model_fields
        return twin(
            **{
                name: to_content(getattr(value, name))
                for name, field in fields.items()
                if not field.exclude
            }
        )
    if isinstance(value, tuple):
        return tuple(to_content(item) for item in value)
    return value
