"""mrkdwn text helpers: escape, clip and split without breaking an ``&amp;`` entity.

Slack treats ``&``, ``<`` and ``>`` as control characters (``<!channel>`` pings
everyone, ``<https://x|y>`` is a link), so every piece of content or user text is
escaped to ``&amp; &lt; &gt;`` — and nothing else is entity-encoded. Limits count the
escaped text, because that is what Slack counts.
"""

from __future__ import annotations

__all__ = ["ELLIPSIS", "clip", "escape", "split"]

ELLIPSIS = "…"
_ENTITY_MAX = len("&amp;")


def escape(text: str) -> str:
    """Escape exactly ``& < >`` for mrkdwn and plain_text fields."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _safe_cut(text: str, at: int) -> int:
    """An index ≤ ``at`` that does not fall inside an ``&…;`` entity."""
    amp = text.rfind("&", max(0, at - _ENTITY_MAX + 1), at)
    if amp != -1 and text.find(";", amp, amp + _ENTITY_MAX) >= at:
        return amp
    return at


def clip(text: str, limit: int) -> str:
    """``text`` (already escaped) cut to ``limit`` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    cut = _safe_cut(text, limit - len(ELLIPSIS))
    return text[:cut].rstrip() + ELLIPSIS


def _break_at(text: str, limit: int) -> int:
    """Where to split ``text`` (longer than ``limit``): a line end, a space, or hard."""
    for separator in ("\n", " "):
        index = text.rfind(separator, 1, limit + 1)
        if index > 0:
            return index
    return _safe_cut(text, limit) or limit


def split(text: str, limit: int) -> list[str]:
    """Split escaped ``text`` into pieces ≤ ``limit``, on line or word boundaries."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        at = _break_at(rest, limit)
        head = rest[:at].rstrip()
        if head:
            pieces.append(head)
        rest = rest[at:].strip()
    if rest:
        pieces.append(rest)
    return pieces
