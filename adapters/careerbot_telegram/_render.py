"""Render a core ``Reply`` as Telegram HTML messages and an inline keyboard. Pure.

Structure becomes emphasis: the title and field labels are bold, the footer italic.
Every piece of text from content or users is escaped with ``html.escape``, so the
only tags in the output are the ones written here (``b`` and ``i``, both accepted
by Telegram's HTML parse mode).

A reply longer than ``MessageLimit.MAX_TEXT_LENGTH`` is split into several messages:
between blocks where possible, else between the lines of a block, else between
words. Telegram counts a message in UTF-16 code units after entity parsing (an
emoji or a mathematical letter outside the Basic Multilingual Plane is two), so
lengths here are ``utf16_units`` of the HTML as sent: never less than what Telegram
counts, since tags and entities only add to it, and the same as Python's ``len``
for text without astral characters. Text is split *before* it is escaped and each piece is wrapped in its own
tags, so a cut never lands inside a tag or an entity such as ``&amp;``; a single
"word" longer than a whole message is the only thing ever cut mid-word.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from careerbot_chat.adapter import (
    Action,
    Bullets,
    Divider,
    Fields,
    Paragraph,
    Reply,
    label_separator,
)
from careerbot_chat.adapter import messages as msg

__all__ = [
    "BLOCK_GAP",
    "BULLET",
    "CHART_COMMAND",
    "DIVIDER",
    "Line",
    "Rendered",
    "Segment",
    "TelegramRenderer",
    "actions",
    "fits_callback_data",
    "format_reply",
    "render",
    "render_line",
    "sends_photo",
    "utf16_units",
]

Segment = tuple[str, str | None]
"""Plain text and the tag that wraps it (``None``: no tag)."""
Line = tuple[Segment, ...]

CHART_COMMAND = "/chart"
"""A card with a picture gets a button running this, which sends the chart as a photo."""
BULLET = "•"
DIVIDER = "—"
BLOCK_GAP = "\n\n"
_WORDS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True, slots=True)
class Rendered:
    """The messages to send, the keyboard for the last one, and buttons left out."""

    chunks: tuple[str, ...]
    keyboard: InlineKeyboardMarkup | None
    dropped: tuple[Action, ...] = ()
    """Actions whose command exceeds Telegram's 64-byte ``callback_data`` limit."""
    markup: dict[str, Any] | None = field(init=False, repr=False, compare=False)
    """``keyboard.to_dict()``, built once: the form a webhook answer carries it in."""

    def __post_init__(self) -> None:
        markup = self.keyboard.to_dict() if self.keyboard is not None else None
        object.__setattr__(self, "markup", markup)


class TelegramRenderer:
    """Configured once; calling it turns a ``Reply`` into ``Rendered`` without side effects."""

    def __init__(
        self,
        *,
        limit: int = MessageLimit.MAX_TEXT_LENGTH,
        buttons_per_row: int = 3,
        cache_size: int = 256,
    ) -> None:
        if limit < 64:
            raise ValueError("limit must leave room for a tagged word")
        self.limit = limit
        self.buttons_per_row = buttons_per_row
        # Replies are frozen and the same cards are asked again and again: remember the
        # last few renderings (the output is immutable too, so sharing it is safe).
        self._cached = functools.lru_cache(maxsize=cache_size)(self._render)

    def __call__(self, reply: Reply) -> Rendered:
        try:
            return self._cached(reply)
        except TypeError:  # an unhashable reply (a list inside): render it uncached
            return self._render(reply)

    def _render(self, reply: Reply) -> Rendered:
        blocks = [block for block in _blocks(reply) if block]
        keyboard, dropped = self.keyboard(actions(reply))
        return Rendered(tuple(self._pack(blocks)) or ("…",), keyboard, dropped)

    def keyboard(
        self, actions: Sequence[Action]
    ) -> tuple[InlineKeyboardMarkup | None, tuple[Action, ...]]:
        """Buttons in rows; a command over 64 bytes cannot be callback data and is left out."""
        fits = [a for a in actions if fits_callback_data(a.command)]
        dropped = tuple(a for a in actions if not fits_callback_data(a.command))
        if not fits:
            return None, dropped
        buttons = [InlineKeyboardButton(a.label, callback_data=a.command) for a in fits]
        rows_needed = -(-len(buttons) // self.buttons_per_row)
        size = -(-len(buttons) // rows_needed)  # balanced rows: 4 buttons as 2 + 2, not 3 + 1
        rows = [buttons[i : i + size] for i in range(0, len(buttons), size)]
        return InlineKeyboardMarkup(rows), dropped

    def _pack(self, blocks: list[list[Line]]) -> Iterator[str]:
        """Fill messages up to the limit, cutting between blocks, then lines, then words."""
        current = ""
        for block in blocks:
            text = "\n".join(render_line(line) for line in block)
            if utf16_units(text) <= self.limit:
                joined = current + BLOCK_GAP + text if current else text
                if utf16_units(joined) <= self.limit:
                    current = joined
                    continue
                yield current
                current = text
                continue
            for line in block:
                for piece in self._fit_line(line):
                    sep = BLOCK_GAP if current and line is block[0] else "\n"
                    joined = current + sep + piece if current else piece
                    if utf16_units(joined) <= self.limit:
                        current = joined
                    else:
                        if current:
                            yield current
                        current = piece
        if current:
            yield current

    def _fit_line(self, line: Line) -> Iterator[str]:
        """One line as one or more rendered pieces, each within the limit."""
        rendered = render_line(line)
        if utf16_units(rendered) <= self.limit:
            yield rendered
            return
        piece: list[Segment] = []
        for token, tag in _tokens(line, self.limit - 16):
            candidate = _merge(piece, token, tag)
            if piece and utf16_units(render_line(tuple(candidate))) > self.limit:
                yield from _nonblank(piece)
                candidate = [(token, tag)]
            piece = candidate
        yield from _nonblank(piece)


def utf16_units(text: str) -> int:
    """``text``'s length as Telegram counts it: UTF-16 code units (astral characters are 2)."""
    return len(text.encode("utf-16-le")) // 2


def actions(reply: Reply) -> tuple[Action, ...]:
    """The reply's buttons, plus "Chart" on a card that has a picture but is not one."""
    if reply.picture is None or reply.role is None or reply.card == "chart":
        return reply.actions
    return (*reply.actions, Action(msg.CHART_LABEL, f"{CHART_COMMAND} {reply.role}"))


def sends_photo(reply: Reply) -> bool:
    """Whether ``reply`` is a chart, sent as a photo rather than a text message."""
    return reply.picture is not None and reply.card == "chart"


def fits_callback_data(data: str) -> bool:
    """Whether ``data`` is valid ``callback_data``: 1–64 bytes of UTF-8."""
    size = len(data.encode("utf-8"))
    return (
        InlineKeyboardButtonLimit.MIN_CALLBACK_DATA
        <= size
        <= (InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)
    )


def render_line(line: Line) -> str:
    """Escape each segment and wrap it in its tag."""
    return "".join(_wrap(html.escape(text, quote=False), tag) for text, tag in line)


def _nonblank(piece: list[Segment]) -> Iterator[str]:
    if any(text.strip() for text, _ in piece):
        yield render_line(tuple(piece)).rstrip()


def _wrap(text: str, tag: str | None) -> str:
    if tag is None or not text:
        return text
    return f"<{tag}>{text}</{tag}>"


def _merge(piece: list[Segment], token: str, tag: str | None) -> list[Segment]:
    if piece and piece[-1][1] == tag:
        return [*piece[:-1], (piece[-1][0] + token, tag)]
    return [*piece, (token, tag)]


def _tokens(line: Line, budget: int) -> Iterator[Segment]:
    """Words with their trailing space; a word longer than ``budget`` escaped is cut."""
    for text, tag in line:
        for word in _WORDS.findall(text):
            yield from ((part, tag) for part in _cut(word, budget))


def _cut(word: str, budget: int) -> Iterator[str]:
    part = ""
    for char in word:
        if utf16_units(html.escape(part + char, quote=False)) > budget:
            yield part
            part = ""
        part += char
    if part:
        yield part


def _blocks(reply: Reply) -> Iterator[list[Line]]:
    """Each block of the reply as lines of tagged plain text."""
    yield [((reply.title, "b"),)] if reply.title else []
    for block in reply.blocks:
        if isinstance(block, Paragraph):
            yield [((line, None),) for line in block.text.splitlines() if line.strip()]
        elif isinstance(block, Fields):
            yield [
                ((label, "b"), (label_separator(label) + value, None))
                for label, value in block.items
            ]
        elif isinstance(block, Bullets):
            head: list[Line] = [((block.title, "b"),)] if block.title else []
            yield head + [((f"{BULLET} {item}", None),) for item in block.items]
        elif isinstance(block, Divider):
            yield [((DIVIDER, None),)]
    if reply.footer:
        yield [((reply.footer, "i"),)]


render = TelegramRenderer()


def format_reply(reply: Reply) -> str:
    """What ``careerbot ask --format telegram`` prints.

    Each message's HTML exactly as sent; several messages are separated by a
    ``--- next message ---`` line, and the keyboard (attached to the last message)
    follows a ``--- keyboard ---`` line, one row per line as ``[label → command]``.
    """
    rendered = render(reply)
    parts = ["\n--- next message ---\n".join(rendered.chunks)]
    if rendered.keyboard is not None:
        rows = [
            "  ".join(f"[{b.text} → {b.callback_data}]" for b in row)
            for row in rendered.keyboard.inline_keyboard
        ]
        parts.append("--- keyboard ---\n" + "\n".join(rows))
    return "\n".join(parts)
