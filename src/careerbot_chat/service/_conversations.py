"""The card each conversation was last answered with, so a follow-up there is about it;
and what each member said of themselves in a chat (``member_key``): their years, pay,
former role and the last card they were shown.

"and staff?" in a Slack thread, or in reply to a Telegram card, is read against the
card the bot answered there. The store keeps it, so a follow-up landing on another
replica knows it too. When the store fails, the follow-up is read without its card
(and a warning logged): a copy in one replica's memory would answer differently
depending on where the follow-up lands. Only a bot with no store at all (a library
user's) keeps the contexts in memory, bounded and expiring as the store's do.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from cachetools import TTLCache

from .._errors import StoreError
from ..store._contract import Store

__all__ = ["CONTEXT_TTL", "MEMBER_TTL", "REMEMBERED", "Conversations", "member_key"]

log = logging.getLogger("careerbot")

CONTEXT_TTL = 7 * 24 * 3600.0
"""Seconds a conversation's context is kept after its last answer."""
MEMBER_TTL = 24 * 3600.0
"""Seconds what a member said of themselves (years, pay, last card) is kept."""
REMEMBERED = 10_000
"""Conversations kept in memory when there is no store (the oldest are forgotten first)."""


def member_key(chat_id: str, sender: str) -> str:
    """The context key of what ``sender`` told the bot in ``chat_id``."""
    return f"member:{chat_id}:{sender}"


class Conversations:
    """``recall`` / ``remember`` a conversation's last card command, by platform and key.

    ``clock`` times the in-memory contexts of a bot without a store.
    """

    def __init__(self, store: Store | None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.memory: TTLCache[tuple[str, str], str] = TTLCache(REMEMBERED, CONTEXT_TTL, clock)
        """Used only without a store."""

    async def recall(self, platform: str, key: str) -> str | None:
        """The command of the conversation's last card; ``None`` when there was none."""
        if self.store is None:
            return self.memory.get((platform, key))
        try:
            return await self.store.get_context(platform, key)
        except StoreError as exc:
            log.warning("store unavailable reading a conversation's context: %s", exc)
            return None

    async def remember(
        self, platform: str, key: str, command: str, ttl: float = CONTEXT_TTL
    ) -> None:
        """Take ``command`` as the conversation's last card (or, under a member's key,
        what the conversation remembers of them), for ``ttl`` seconds."""
        if self.store is None:
            self.memory[(platform, key)] = command
            return
        try:
            await self.store.set_context(platform, key, command, ttl)
        except StoreError as exc:
            log.warning("store unavailable saving a conversation's context: %s", exc)
