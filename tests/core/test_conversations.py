"""A conversation's context: in the store (any replica); in memory only without a store."""

from __future__ import annotations

import pytest

from careerbot_chat import SQLiteStore, Store, StoreUnavailable
from careerbot_chat.service._conversations import CONTEXT_TTL, REMEMBERED, Conversations


class DownStore:
    """A store whose every call fails as an unreachable database does."""

    async def get_context(self, platform: str, key: str) -> str | None:
        raise StoreUnavailable("database unreachable")

    async def set_context(self, platform: str, key: str, command: str, ttl: float) -> None:
        raise StoreUnavailable("database unreachable")


async def test_another_replica_reads_what_one_remembered(store: Store) -> None:
    one, two = Conversations(store), Conversations(store)
    await one.remember("slack", "C1:1.0", "/salary senior mlops")
    assert await two.recall("slack", "C1:1.0") == "/salary senior mlops"
    await two.remember("slack", "C1:1.0", "/salary staff mlops")
    assert await one.recall("slack", "C1:1.0") == "/salary staff mlops"  # not its own memory
    assert await one.recall("telegram", "C1:1.0") is None  # each platform its own


async def test_a_replica_on_its_own_connection_reads_it_too(sqlite_store: SQLiteStore) -> None:
    """Two processes on one SQLite file: each has its connection, both see one context."""
    other = SQLiteStore(sqlite_store.path)
    await other.open()
    try:
        await Conversations(sqlite_store).remember("telegram", "-100:7", "/pitfalls mlops")
        assert await Conversations(other).recall("telegram", "-100:7") == "/pitfalls mlops"
    finally:
        await other.close()


async def test_with_the_store_down_a_follow_up_has_no_context(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No replica's private copy: the follow-up is read on its own, with a warning."""
    conversations = Conversations(DownStore())  # type: ignore[arg-type]  # the two calls used
    await conversations.remember("slack", "C1:1.0", "/salary senior mlops")
    assert await conversations.recall("slack", "C1:1.0") is None
    assert len(conversations.memory) == 0
    assert all("database unreachable" in r.getMessage() for r in caplog.records)
    assert len(caplog.records) == 2  # one warning per failed call, no traceback
    assert not any(r.exc_info for r in caplog.records)


async def test_without_a_store_contexts_live_in_memory_for_their_time() -> None:
    now = [0.0]
    conversations = Conversations(None, clock=lambda: now[0])
    await conversations.remember("telegram", "-100:7", "/salary senior mlops")
    now[0] = CONTEXT_TTL - 1
    assert await conversations.recall("telegram", "-100:7") == "/salary senior mlops"
    now[0] = CONTEXT_TTL
    assert await conversations.recall("telegram", "-100:7") is None


async def test_without_a_store_the_oldest_are_forgotten_first() -> None:
    conversations = Conversations(None)
    for n in range(REMEMBERED + 1):
        await conversations.remember("slack", f"C1:{n}", f"/role r{n}")
    assert await conversations.recall("slack", "C1:0") is None
    assert await conversations.recall("slack", f"C1:{REMEMBERED}") == f"/role r{REMEMBERED}"
    assert len(conversations.memory) == REMEMBERED
