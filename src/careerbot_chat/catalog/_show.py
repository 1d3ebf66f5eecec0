"""How content values read in an answer: bands, experience, percentages, premiums.

Presentation lives here, not on the content models: the models hold data, and the
words around it come from ``messages``. It sits in ``catalog`` (beside ``_money``,
which writes amounts) so that both ``answering`` and ``chart`` read values the same
way without one importing the other.
"""

from __future__ import annotations

from .. import messages as msg
from ..catalog._content import Band, Percent, Premium, Years
from ..catalog._money import format_band

__all__ = ["band", "percent", "premium", "premium_noted", "years"]


def band(value: Band) -> str:
    """``₹22–45 LPA``, ``₹1.2 Cr+``."""
    return format_band(value.min, value.max)


def years(value: Years) -> str:
    """``3–6 yrs``, ``10+ yrs``."""
    if value.max is None:
        return msg.YEARS_FROM.format(min=value.min)
    return msg.YEARS_RANGE.format(min=value.min, max=value.max)


def percent(value: Percent) -> str:
    """``15–25%``."""
    return msg.PERCENT_RANGE.format(min=value.min, max=value.max)


def premium(value: Premium) -> str:
    """``₹5–10 LPA over Backend and SRE``: the measure, then whom it is over."""
    if value.amount is not None:
        measure = band(value.amount)
    else:
        assert value.percent is not None, "a premium has an amount or a percent"
        measure = percent(value.percent)
    return msg.PREMIUM.format(measure=measure, roles=msg.join_names(value.over, "and"))


def premium_noted(value: Premium) -> str:
    """``premium`` with the source's note on it: ``₹6–12 LPA over DevOps (typical)``."""
    return f"{premium(value)} ({value.note})" if value.note else premium(value)
