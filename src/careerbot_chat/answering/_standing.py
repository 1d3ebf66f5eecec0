"""Read whether a member asks where they stand: their own figure placed against a band.

Part of reading (read → decide → compose → render), beside ``_understand``, which
calls it. Members ask it in many words: "where do I stand?", "how do I stack up vs
senior?", "where does that sit vs the mid range?", "where would my pay fall?", "how
does senior compare for me?", "kaha hu?". Said with a figure of their own (in the
message or remembered), each asks for that figure placed, first. Pure; one regular
expression.
"""

from __future__ import annotations

import re

__all__ = ["asks_standing"]

_STANDING = re.compile(
    r"\bstack(?:s|ing)?\s+up\b"  # "how do I stack up vs senior mlops?"
    r"|\bwhere\b(?:\W+\w+){0,5}?\W+(?:sit|sits|stand|fall|falls|land|lands|fit|fits)\b"
    r"|\b(?:do|would|will|does)\s+i\s+(?:stand|compare|measure\s+up|fit)\b"
    r"|\bcompares?\s+(?:for|to|with)\s+me\b"  # "how does senior compare for me?"
    r"|\b(?:that|this)\s+compares?\s+(?:with|to|against)\b"  # said after their figure
    r"|\b(?:kaha|kahan)\s+(?:hu|hoon|hun|khada)\b"
)


def asks_standing(folded: str) -> bool:
    """Whether ``folded`` (a case-folded message) asks where the member's figure falls."""
    return _STANDING.search(folded) is not None
