"""Each group chat's default role: the one place it is remembered between store reads.

A role read or set here is used for ``ttl`` seconds, then read again, so a change
made on another replica shows within that. While the store cannot answer, the last
role this replica read or set is used however old it is (else none): a moderator's
``/setrole`` keeps working through an outage. The store keeps no memory of its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from cachetools import LRUCache

from .._errors import StoreError, StoreUnavailable
from ..store._contract import Store
from ._inbound import Chat

__all__ = ["DEFAULT_ROLE_CACHE", "DEFAULT_ROLE_TTL", "DefaultRoles"]

log = logging.getLogger("careerbot")

DEFAULT_ROLE_TTL = 5.0
"""Seconds a chat's default role is used before it is read again."""
DEFAULT_ROLE_CACHE = 50_000
"""Chats whose default role is remembered (the least recently used go first)."""


class DefaultRoles:
    """The default role of each group chat, remembered in front of ``Store.get_default_role``.

    Not a ``TTLCache``: an entry past its ``ttl`` is still the answer while the store
    is down, so each keeps the time it was read and the least recently used are dropped.
    Private chats have no default role.
    """

    def __init__(
        self,
        store: Store | None,
        *,
        ttl: float = DEFAULT_ROLE_TTL,
        size: int = DEFAULT_ROLE_CACHE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.ttl = ttl
        self._clock = clock
        self._seen: LRUCache[tuple[str, str], tuple[float, str | None]] = LRUCache(size)

    async def get(self, chat: Chat) -> str | None:
        """The chat's default role slug; ``None`` when unset (or unknown while the store is down)."""
        if self.store is None or not chat.is_group:
            return None
        key = (chat.platform, chat.chat_id)
        seen = self._seen.get(key)
        if seen is not None and self._clock() - seen[0] < self.ttl:
            return seen[1]
        try:
            role = await self.store.get_default_role(chat.platform, chat.chat_id)
        except StoreUnavailable:  # an outage: the store's guard logs it once, not each read
            return None if seen is None else seen[1]
        except StoreError as exc:  # answering needs no store: keep serving
            log.warning("store failed reading default role: %s", exc)
            return None if seen is None else seen[1]
        self.remember(chat, role)
        return role

    def remember(self, chat: Chat, role: str | None) -> None:
        """Take ``role`` as the chat's default now (after this process set it)."""
        self._seen[(chat.platform, chat.chat_id)] = (self._clock(), role)
