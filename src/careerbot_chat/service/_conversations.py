"""The card each conversation was last answered with, so a follow-up there is about it;
and what each member said of themselves in a chat (``member_key``): their years, pay,
former role and the last card they were shown.

"and staff?" in a Slack thread, or in reply to a Telegram card, is read against the
card the bot answered there. The store keeps it, so a follow-up landing on another
replica knows it too. When the store fails, the follow-up is read without its card
(and a warning logged): a copy in one replica's memory would answer differently
depending on where the follow-up lands.

Reading the store on every message costs a database round trip per answer (with
SQLite, a hop to aiosqlite's thread and back). A SQLite file serves exactly one
process (several replicas need PostgreSQL), and every context that process writes
goes through its store, so in front of a SQLite store the contexts are also kept in
memory, written through: what was remembered, and what the store said it did not
have, are answered from memory; only a context not seen since the process started
(or forgotten from memory) is read from the file. The memory belongs to the store
connection, shared by every ``Conversations`` over it. With PostgreSQL (replicas)
every recall reads the store. A bot with no store at all (a library user's) keeps
the contexts in memory only. Either memory is bounded and expires as the store does.
"""

from __future__ import annotations

import logging
import math
import time
import weakref
from collections.abc import Callable

from cachetools import TLRUCache

from .._errors import StoreError
from ..store._contract import Store

__all__ = [
    "CONTEXT_TTL",
    "MEMBER_TTL",
    "REMEMBERED",
    "WRITTEN_THROUGH",
    "Conversations",
    "member_key",
]

log = logging.getLogger("careerbot")

CONTEXT_TTL = 7 * 24 * 3600.0
"""Seconds a conversation's context is kept after its last answer."""
MEMBER_TTL = 24 * 3600.0
"""Seconds what a member said of themselves (years, pay, last card) is kept."""
REMEMBERED = 10_000
"""Contexts a bot without a store keeps (the least recently used are forgotten first)."""
WRITTEN_THROUGH = 1_000
"""Contexts kept in memory in front of a SQLite store (the least recently used are
forgotten first, and read from the file when they come back): each costs about 300
bytes, and a server answering 10,000 members kept 6 MB more with 10,000 of them."""

Key = tuple[str, str]
Kept = tuple[str | None, float]
"""A context as memory keeps it: the command (``None``: the store has none) and its
seconds to live."""
Memory = TLRUCache[Key, Kept]

_by_store: weakref.WeakKeyDictionary[Store, Memory] = weakref.WeakKeyDictionary()
"""The written-through memory of each SQLite store (connection) in this process."""


def member_key(chat_id: str, sender: str) -> str:
    """The context key of what ``sender`` told the bot in ``chat_id``."""
    return f"member:{chat_id}:{sender}"


def _expires(_key: Key, kept: Kept, now: float) -> float:
    return now + kept[1]


def _memory(size: int, clock: Callable[[], float]) -> Memory:
    return TLRUCache(size, _expires, clock)


def one_process(store: Store) -> bool:
    """Whether ``store`` is used by this process alone: a SQLite file (guarded or not)."""
    from ..store._guard import GuardedStore  # not for a bot without a store (``ask``)
    from ..store._sqlite import SQLiteStore

    inner = store.inner if isinstance(store, GuardedStore) else store
    return isinstance(inner, SQLiteStore)


class Conversations:
    """``recall`` / ``remember`` a conversation's last card command, by platform and key.

    ``clock`` times the contexts kept in memory (those of a bot without a store, and
    those written through to a SQLite store the first time its memory is made).
    """

    def __init__(self, store: Store | None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.written_through = store is not None and one_process(store)
        """Whether the contexts are kept in memory in front of the store (SQLite)."""
        if store is not None and self.written_through:
            memory = _by_store.get(store)
            if memory is None:
                memory = _by_store[store] = _memory(WRITTEN_THROUGH, clock)
            self.memory = memory
        else:
            self.memory = _memory(REMEMBERED, clock)
        """The contexts kept in memory: without a store, or written through to SQLite."""

    async def recall(self, platform: str, key: str) -> str | None:
        """The command of the conversation's last card; ``None`` when there was none."""
        kept = self.memory.get((platform, key))
        if kept is not None or self.store is None:
            return None if kept is None else kept[0]
        try:
            command = await self.store.get_context(platform, key)
        except StoreError as exc:
            self._unavailable("reading", exc)
            return None
        if self.written_through and command is None:
            # Only this process writes the file, and it writes through the memory: none
            # stays none until it remembers one. (A context found is not kept: the
            # store does not say how long it has left.)
            self.memory.setdefault((platform, key), (None, math.inf))
        return command

    async def remember(
        self, platform: str, key: str, command: str, ttl: float = CONTEXT_TTL
    ) -> None:
        """Take ``command`` as the conversation's last card (or, under a member's key,
        what the conversation remembers of them), for ``ttl`` seconds."""
        if self.store is None:
            self.memory[(platform, key)] = (command, ttl)
            return
        try:
            await self.store.set_context(platform, key, command, ttl)
        except StoreError as exc:
            self._unavailable("saving", exc)
            self.memory.pop((platform, key), None)  # the store's, whatever it holds, is read
            return
        if self.written_through:
            self.memory[(platform, key)] = (command, ttl)

    def _unavailable(self, doing: str, error: StoreError) -> None:
        """One warning per failure, unless the store's guard has already said the database
        is away (its circuit open): then every message would repeat it."""
        away = getattr(self.store, "circuit_open", False)
        level = logging.DEBUG if away else logging.WARNING
        log.log(level, "store unavailable %s a conversation's context: %s", doing, error)
