"""Rupee amounts: parse what authors write, format the way Indian readers expect.

Amounts are whole rupees (``int``). Authors may write ``22L``, ``45 LPA``, ``1.2Cr``,
``₹12,50,000`` or a plain number. Display follows Indian conventions: ``₹22–45 LPA``
for a range of lakhs, ``₹1.2 Cr+`` for an open-ended crore band, ``₹12,50,000`` for an
exact figure (3-2-2 grouping). Rounding is half up, to at most one decimal.

Hand-written rather than Babel: Babel's ``en_IN`` compact form rounds half-even and
its long form still said "million" in 2.18; the tests pin every case below.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "CRORE",
    "LAKH",
    "format_amount",
    "format_band",
    "format_rupees",
    "group_indian",
    "parse_rupees",
]

LAKH = 100_000
CRORE = 10_000_000

_UNITS = {
    "": 1,
    "l": LAKH,
    "lakh": LAKH,
    "lakhs": LAKH,
    "lac": LAKH,
    "lacs": LAKH,
    "lpa": LAKH,
    "cr": CRORE,
    "crore": CRORE,
    "crores": CRORE,
    "k": 1_000,
}
_AMOUNT = re.compile(r"^(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[a-z]*)$")


def parse_rupees(value: object) -> int:
    """Return whole rupees for ``value``; raise ``ValueError`` with a readable reason."""
    if isinstance(value, bool):
        raise ValueError("expected an amount such as 22L, 45 LPA, 1.2Cr or 1250000")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("an amount cannot be negative")
        return value
    if isinstance(value, float):
        return parse_rupees(repr(value))
    if not isinstance(value, str):
        raise ValueError("expected an amount such as 22L, 45 LPA, 1.2Cr or 1250000")
    text = value.strip().lower().replace("₹", "").replace("rs.", "").replace(",", "")
    text = text.replace("per annum", "").replace("p.a.", "").strip()
    match = _AMOUNT.match(text)
    if match is None or match["unit"] not in _UNITS:
        raise ValueError(
            f"cannot read {value!r} as an amount; write e.g. 22L, 45 LPA, 1.2Cr or 1250000"
        )
    try:
        rupees = Decimal(match["num"]) * _UNITS[match["unit"]]
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise ValueError(f"cannot read {value!r} as an amount") from exc
    return int(rupees.to_integral_value(ROUND_HALF_UP))


def group_indian(rupees: int) -> str:
    """``1250000`` → ``12,50,000``: the last three digits, then pairs."""
    digits = str(rupees)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *pairs, tail])


def _scaled(rupees: int, unit: int) -> str:
    """Rupees in ``unit``, half up to one decimal, without a trailing ``.0``."""
    value = (Decimal(rupees) / unit).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = format(value, "f")
    return text[:-2] if text.endswith(".0") else text


def _unit_for(rupees: int) -> tuple[int, str]:
    return (CRORE, "Cr") if rupees >= CRORE else (LAKH, "LPA")


def format_rupees(rupees: int) -> str:
    """An exact figure: ``₹12,50,000``."""
    return "₹" + group_indian(rupees)


def format_amount(rupees: int) -> str:
    """A single yearly amount: ``₹45 LPA``, ``₹1.2 Cr``, or ``₹85,000`` below a lakh."""
    if rupees < LAKH:
        return format_rupees(rupees)
    unit, name = _unit_for(rupees)
    return f"₹{_scaled(rupees, unit)} {name}"


def format_band(low: int, high: int | None) -> str:
    """A pay band with one unit: ``₹22–45 LPA``, ``₹1.2 Cr+``, ``₹80 LPA–₹1.5 Cr``."""
    if high is None:
        return format_amount(low) + "+"
    if low < LAKH or high < LAKH:
        return f"{format_amount(low)}–{format_amount(high)}"
    low_unit, _ = _unit_for(low)
    high_unit, high_name = _unit_for(high)
    if low_unit != high_unit:
        return f"{format_amount(low)}–{format_amount(high)}"
    return f"₹{_scaled(low, low_unit)}–{_scaled(high, high_unit)} {high_name}"
