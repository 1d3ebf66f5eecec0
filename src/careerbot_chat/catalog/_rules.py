"""Pydantic's side of the content model: the rules each ``Rules`` marker names.

Imported only to validate (loading without a warm cache, ``careerbot validate``, the
server) and to print the JSON Schema; never by a start that reads the cache.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from ._money import format_amount, parse_rupees

__all__ = [
    "AS_OF_PATTERN",
    "MAX_RUPEES",
    "SLUG_PATTERN",
    "URL_PATTERN",
    "as_of",
    "between",
    "described",
    "not_empty",
    "plain_words",
    "rupees",
    "slug",
    "text",
    "unique",
    "url",
]

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

_AS_OF_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "integer", "minimum": 1900, "maximum": 2999},
        {
            "type": "string",
            "pattern": r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
        },
    ],
    "description": "As-of date: a year (2026), a month (2026-03) or a day (2026-03-14).",
}

Metadata = tuple[object, ...]
AS_OF_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
URL_PATTERN = r"^https?://\S+$"
MAX_RUPEES = 10 * 10**7
"""₹10 Cr a year: no band in this catalogue reaches it; an amount above is a typo."""
AS_OF_WORDS = "must be a year, year-month or date (2026, 2026-03, 2026-03-14), not in the future"


def _not_absurd(value: int) -> int:
    if value > MAX_RUPEES:
        shown = format_amount(value)
        raise ValueError(
            f"{shown} a year is above ₹10 Cr, more than any band here; write yearly pay "
            "in rupees such as 22L, 45 LPA or 1.2Cr"
        )
    return value


def rupees() -> Metadata:
    return (
        BeforeValidator(parse_rupees),
        AfterValidator(_not_absurd),
        WithJsonSchema(_AMOUNT_SCHEMA),
    )


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
    if value > dt.date.today().isoformat()[: len(value)]:
        raise ValueError(f"{value} is in the future; as_of {AS_OF_WORDS}")
    return value


def as_of() -> Metadata:
    return (
        BeforeValidator(_as_of_text),
        StringConstraints(pattern=AS_OF_PATTERN),
        AfterValidator(_calendar_date),
        WithJsonSchema(_AS_OF_SCHEMA),
    )


def text(max_length: int) -> Metadata:
    return (StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),)


def slug(max_length: int) -> Metadata:
    return (StringConstraints(pattern=SLUG_PATTERN, max_length=max_length),)


def url() -> Metadata:
    return (StringConstraints(pattern=URL_PATTERN),)


def _unique_lower(values: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for value in values:
        key = value.casefold()
        if key in seen:
            raise ValueError(f"{value!r} is listed twice")
        seen.add(key)
    return values


def unique() -> Metadata:
    """Names listed once each, ignoring case."""
    return (AfterValidator(_unique_lower),)


def between(low: float, high: float | None) -> Metadata:
    return (Field(ge=low, le=high),)


def not_empty() -> Metadata:
    return (Field(min_length=1),)


def described(description: str) -> Metadata:
    return (Field(description=description),)


_PATTERN_WORDS = {
    AS_OF_PATTERN: AS_OF_WORDS,
    SLUG_PATTERN: "must be lowercase letters and digits joined by single hyphens, "
    "such as mlops-engineer",
    URL_PATTERN: "must be a link starting with https:// (or http://)",
}


def plain_words(kind: str, context: dict[str, Any], message: str) -> str:
    """What an author reads for pydantic's error ``kind`` (its ``ctx`` in ``context``):
    what the field allows, in plain words, rather than a regex or pydantic's phrasing."""
    if kind == "string_pattern_mismatch":
        return _PATTERN_WORDS.get(str(context.get("pattern")), "is not in the expected form")
    if kind in {"greater_than_equal", "greater_than"}:
        return f"must be {_number(context.get('ge', context.get('gt')))} or more"
    if kind in {"less_than_equal", "less_than"}:
        return f"must be {_number(context.get('le', context.get('lt')))} or less"
    if kind == "string_too_long":
        return f"is too long: at most {context.get('max_length')} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in {"string_type", "str_type"}:
        return "must be text"
    if kind in {"int_type", "int_parsing", "float_type", "float_parsing"}:
        return "must be a number"
    if kind in {"list_type", "tuple_type"}:
        return "must be a list (one '- item' per line)"
    if kind in {"dict_type", "model_type", "dataclass_type"}:
        return "must be a group of fields (name: value lines, indented)"
    if kind == "bool_type" or kind == "bool_parsing":
        return "must be true or false"
    return message


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
