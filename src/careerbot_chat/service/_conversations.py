"""The card each conversation was last answered with, so a follow-up there is about it.

"and staff?" in a thread is read against the card the bot answered in that thread.
The store keeps it, so a follow-up landing on another replica knows it too; a bounded
memory serves when there is no store or the store fails (then only this replica knows).
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from .._errors import StoreError
from ..store._contract import Store

__all__ = ["CONTEXT_TTL", "REMEMBERED", "Conversations"]

log = logging.getLogger("careerbot")

CONTEXT_TTL = 7 * 24 * 3600.0
"""Seconds a conversation's context is kept after its last answer."""
REMEMBERED = 10_000
"""Conversations kept in memory (the oldest are forgotten first)."""


class Conversations:
    """``recall`` / ``remember`` a conversation's last card command, by platform and key."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self._recent: OrderedDict[tuple[str, str], str] = OrderedDict()

    async def recall(self, platform: str, key: str) -> str | None:
        """The command of the conversation's last card; ``None`` when there was none.

        The store is asked first: another replica may have answered there since.
        """
        if self.store is not None:
            try:
                return await self.store.get_context(platform, key)
            except StoreError as exc:
                log.warning("store unavailable reading a conversation's context: %s", exc)
        return self._recent.get((platform, key))

    async def remember(self, platform: str, key: str, command: str) -> None:
        """Take ``command`` as the conversation's last card (here, and in the store)."""
        self._recent[(platform, key)] = command
        self._recent.move_to_end((platform, key))
        while len(self._recent) > REMEMBERED:
            self._recent.popitem(last=False)
        if self.store is None:
            return
        try:
            await self.store.set_context(platform, key, command, CONTEXT_TTL)
        except StoreError as exc:
            log.warning("store unavailable saving a conversation's context: %s", exc)
