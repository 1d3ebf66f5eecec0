"""Read whether a member asks a yes-or-no question, not how much or which.

Part of reading (read → decide → compose → render), beside ``_understand``, which
calls it. "So MLOps pays more?", "will it pay more?", "zyada milega kya?" ask yes or
no: when the source gives a premium over the role asked about, the answer opens with
"Yes", the premium next. "How much more?", "kitna zyada?" or "what more do I need?"
ask for a figure or a thing, and get it without a "Yes". Pure; one regular expression.
"""

from __future__ import annotations

import re

__all__ = ["asks_yes_no"]

_OPEN = re.compile(
    r"\b(how|howmuch|kitna|kitni|kitne|what|whats|which|who|where|when|why|kya\s+kya|by)\b"
)
"""Words that ask for a figure, a thing or a reason rather than yes or no."""


def asks_yes_no(folded: str) -> bool:
    """Whether ``folded`` (a case-folded message) asks a question answered yes or no."""
    return _OPEN.search(folded) is None
