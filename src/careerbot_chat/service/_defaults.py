"""Each group chat's default role, read from the store and remembered for a few seconds."""

from __future__ import annotations

import logging
import time

from .._errors import StoreError
from ..store._contract import Store
from ._inbound import Chat

__all__ = ["DEFAULT_ROLE_CACHE", "DEFAULT_ROLE_TTL", "DefaultRoles"]

log = logging.getLogger("careerbot")

DEFAULT_ROLE_TTL = 5.0
"""Seconds a chat's default role is remembered; other replicas see a change within this."""
DEFAULT_ROLE_CACHE = 10_000


class DefaultRoles:
    """A short-lived cache in front of ``Store.get_default_role``; private chats have none."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self._seen: dict[tuple[str, str], tuple[float, str | None]] = {}

    async def get(self, chat: Chat) -> str | None:
        """The chat's default role slug; ``None`` when unset or the store is down."""
        if self.store is None or not chat.is_group:
            return None
        key = (chat.platform, chat.chat_id)
        hit = self._seen.get(key)
        if hit is not None and time.monotonic() - hit[0] < DEFAULT_ROLE_TTL:
            return hit[1]
        try:
            role = await self.store.get_default_role(chat.platform, chat.chat_id)
        except StoreError as exc:
            # Answering needs no store: fall back to "no default" and keep serving.
            log.warning("store unavailable reading default role: %s", exc)
            return None
        self.remember(chat, role)
        return role

    def remember(self, chat: Chat, role: str | None) -> None:
        """Take ``role`` as the chat's default now (after this process set it)."""
        if len(self._seen) >= DEFAULT_ROLE_CACHE:
            self._seen.clear()
        self._seen[(chat.platform, chat.chat_id)] = (time.monotonic(), role)
