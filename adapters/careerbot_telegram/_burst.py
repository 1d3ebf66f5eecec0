"""Group bursts: answers into a group past its budget wait in order, identical ones merged.

Telegram takes about 20 messages a minute into one group. When members ask faster
than that, every answer still goes out, in the order asked, when the group's budget
has room (``Turns`` in ``_flood``): none is refused with 429, none is dropped.

While an answer waits for its turn, members asking the very same thing (the same
canonical command, ``Reply.asked``, in the same chat and topic) do not queue answers
of their own: the waiting answer serves them all. It still replies to the first
asker's message, and ends with "Also asked by" and a mention of each of the others,
so Telegram notifies them. One message instead of many keeps the queue short for the
members who asked something else. An answer that can go at once is never held back
to collect others.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from ._flood import ChatId, FloodBudget
from ._render import Rendered, utf16_units
from ._words import ALSO_ASKED

__all__ = ["MENTIONS", "Asker", "GroupAnswers", "Turn", "addressed_to"]


@dataclass(frozen=True, slots=True)
class Asker:
    """A member who asked: their user id and the name to mention them by."""

    user_id: int
    name: str


MENTIONS = 30
"""Members mentioned by name at most (the rest counted): the line stays a line."""


@dataclass(frozen=True, slots=True)
class Turn:
    """An answer's turn: the other members it serves, and whether it waited for it."""

    others: list[Asker]
    waited: bool


_Key = tuple[ChatId, int | None, str]


class GroupAnswers:
    """The answers of one process waiting for their groups' budget, by what they answer."""

    def __init__(self) -> None:
        self.waiting: dict[_Key, list[Asker]] = {}

    async def turn(
        self, budget: FloodBudget, chat_id: ChatId, thread_id: int | None, asked: str, asker: Asker
    ) -> Turn | None:
        """Wait for the group's budget and take a share; the members to address too.

        ``None``: an identical answer already waits and will address ``asker``; send
        nothing. Otherwise the share is taken (``prepay`` it) and the turn lists the
        members who asked the same meanwhile, and whether it had to wait.
        """
        key = (chat_id, thread_id, asked)
        joined = self.waiting.get(key)
        if joined is not None:
            joined.append(asker)
            return None
        if await budget.acquire(chat_id, wait=False):
            return Turn([], waited=False)
        self.waiting[key] = joined = []
        try:
            await budget.acquire(chat_id)
        finally:
            del self.waiting[key]
        return Turn(joined, waited=True)


def addressed_to(rendered: Rendered, askers: list[Asker], limit: int) -> Rendered:
    """``rendered`` ending with "Also asked by" and a mention of each of ``askers``."""
    if not askers:
        return rendered
    mentions = ", ".join(
        f'<a href="tg://user?id={a.user_id}">{html.escape(a.name, quote=False)}</a>' for a in askers
    )
    line = f"<i>{ALSO_ASKED}</i> {mentions}"
    *head, last = rendered.chunks
    joined = f"{last}\n\n{line}"
    chunks = [*head, joined] if utf16_units(joined) <= limit else [*head, last, line]
    return replace(rendered, chunks=tuple(chunks))
