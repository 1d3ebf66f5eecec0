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

from ._money import parse_rupees

__all__ = [
    "as_of",
    "between",
    "described",
    "not_empty",
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


def rupees() -> Metadata:
    return (BeforeValidator(parse_rupees), WithJsonSchema(_AMOUNT_SCHEMA))


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


def as_of() -> Metadata:
    return (
        BeforeValidator(_as_of_text),
        StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
        AfterValidator(_calendar_date),
        WithJsonSchema(_AS_OF_SCHEMA),
    )


def text(max_length: int) -> Metadata:
    return (StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),)


def slug(max_length: int) -> Metadata:
    return (StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=max_length),)


def url() -> Metadata:
    return (StringConstraints(pattern=r"^https?://\S+$"),)


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
