"""Read the figures a member types: their own yearly pay, and a band they quote back.

Part of reading (read → decide → compose → render), beside ``_understand``, which
calls it: "28 LPA", "50L", "1.5 cr", "₹40 lakh" and, with no unit, "18 ka package" or
"ctc 18" (lakhs, as members say a package) are the member's pay; "that 1 cr+ staff
number" and the ends of a range are the bot's own figures quoted back, not theirs.
Pure; regular expressions only.
"""

from __future__ import annotations

import re

__all__ = ["member_pay", "quoted_band"]

_PAY = re.compile(
    r"(?<![\d.\-–])(₹\s*)?(\d{1,3}(?:\.\d{1,2})?)\s*(lpa|lakhs?|lacs?|l|cr|crores?)(?![a-z])"
)
"""A yearly pay figure as members type it: ``28 LPA``, ``50L``, ``1.5 cr``, ``₹40 lakh``;
not the end of a range ("10-45L")."""
_BARE_PAY = re.compile(
    r"(?<![\d.,\-–₹])(\d{1,3}(?:\.\d{1,2})?)\s+(?:ka\s+|ki\s+|ke\s+)?(?:package|pkg|ctc)\b"
    r"|\b(?:package|pkg|ctc)\s+(?:is\s+|of\s+|hai\s+|=\s*)?(\d{1,3}(?:\.\d{1,2})?)(?![\d.%]|,\d)"
    r"(?!\s*(?:y|yrs?|years?|yoe|saal|months?|%|k\b))"
)
"""A package in lakhs with no unit, as members say it: "18 ka package", "ctc 18"; not
the first digits of a sum in rupees ("ctc 12,00,000")."""
_BARE_CUE = re.compile(r"package|pkg|ctc")
_QUOTED = re.compile(r"\b(?:that|this|ye|yeh|wo|woh|vo)\s+(?:₹\s*)?$")
_OF_BAND = re.compile(r"\+?\s*(?:\w+\s+)?(?:number|figure|band|wala|vala|waala)\b")
"""A figure quoted back from the bot's answer ("that 1 cr+ staff number"), not the
member's own pay."""
_UNIT = {"l": 100_000, "c": 10_000_000}
_RANGE = re.compile(
    r"(\d{1,3}(?:\.\d)?)\s*(?:l|lpa|lakhs?)?\s*(?:–|-|to)\s*(\d{1,3}(?:\.\d)?)(?![\d.]*\s*(?:y|cr))"
)
"""A band quoted in lakhs: ``22–45``, ``10L to 45L``, ``22-45 lpa`` (not years, not crores)."""


def member_pay(text: str) -> tuple[int | None, str]:
    """The one pay figure ``text`` states, in rupees, and as typed; none for a range
    ("the 10L to 45L band") or no figure."""
    folded = text.casefold()
    found = [m for m in _PAY.finditer(folded) if not _QUOTED.search(folded[: m.start()])]
    found = [m for m in found if not _OF_BAND.match(folded[m.end() :])]
    bare = _BARE_PAY.findall(folded) if not found and _BARE_CUE.search(folded) else []
    if len(bare) == 1:
        number = bare[0][0] or bare[0][1]  # "18 ka package": lakhs, the unit left out
        return round(float(number) * _UNIT["l"]), f"₹{number} LPA"
    if len(found) != 1:
        return None, ""
    _, number, unit = found[0].groups()
    return round(float(number) * _UNIT[unit[0]]), f"₹{number} {'Cr' if unit[0] == 'c' else 'LPA'}"


def quoted_band(text: str) -> tuple[float, float] | None:
    """The band ``text`` quotes, in lakhs ("ye 22–45 kis level ka hai?"), or none."""
    match = _RANGE.search(text.casefold())
    return (float(match[1]), float(match[2])) if match else None
