"""A conversation's context: in the store (any replica); written through a memory in
front of a SQLite store (one process); in memory only without a store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from careerbot_chat import SQLiteStore, Store, StoreUnavailable, open_store
from careerbot_chat.service._conversations import (
    CONTEXT_TTL,
    REMEMBERED,
    WRITTEN_THROUGH,
    Conversations,
)
from careerbot_chat.store._guard import GuardedStore
from tests.conftest import POSTGRES_URL, _postgres_reachable, _postgres_store


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


class CountedSQLite(SQLiteStore):
    """A SQLite store counting the context reads and writes that reach the file."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self.reads = self.writes = 0

    async def get_context(self, platform: str, key: str) -> str | None:
        self.reads += 1
        return await super().get_context(platform, key)

    async def set_context(self, platform: str, key: str, command: str, ttl: float) -> None:
        self.writes += 1
        await super().set_context(platform, key, command, ttl)


@pytest.fixture
async def counted(tmp_path: Path) -> AsyncIterator[CountedSQLite]:
    opened = CountedSQLite(tmp_path / "counted.sqlite3")
    await opened.open()
    yield opened
    await opened.close()


async def test_with_sqlite_contexts_are_answered_from_memory(counted: CountedSQLite) -> None:
    """One process uses a SQLite file, and writes through the memory: what it remembered,
    and what the file did not have, are not read again (guarded as ``serve`` runs it)."""
    conversations = Conversations(GuardedStore(counted))
    assert await conversations.recall("slack", "member:C1:U1") is None
    assert await conversations.recall("slack", "member:C1:U1") is None
    assert counted.reads == 1
    await conversations.remember("slack", "member:C1:U1", "last=/salary senior mlops")
    for _ in range(3):
        assert await conversations.recall("slack", "member:C1:U1") == "last=/salary senior mlops"
    assert counted.reads == 1
    assert counted.writes == 1
    stored = await counted.get_context("slack", "member:C1:U1")
    assert stored == "last=/salary senior mlops"  # written through


async def test_with_sqlite_after_a_restart_the_file_is_read(counted: CountedSQLite) -> None:
    """A new connection (the process restarted) has no memory yet: the file answers."""
    await Conversations(counted).remember("telegram", "-100:7", "/pitfalls mlops")
    again = CountedSQLite(counted.path)
    await again.open()
    try:
        assert await Conversations(again).recall("telegram", "-100:7") == "/pitfalls mlops"
        assert again.reads == 1
    finally:
        await again.close()


async def test_with_sqlite_a_context_leaves_memory_with_its_time(counted: CountedSQLite) -> None:
    """A context remembered for ``ttl`` seconds is read from the file after that."""
    now = [0.0]
    conversations = Conversations(counted, clock=lambda: now[0])
    await conversations.remember("slack", "member:C1:U1", "years=4", ttl=100)
    now[0] = 99
    assert await conversations.recall("slack", "member:C1:U1") == "years=4"
    assert counted.reads == 0
    now[0] = 100
    await conversations.recall("slack", "member:C1:U1")
    assert counted.reads == 1


async def test_with_sqlite_memory_is_bounded(counted: CountedSQLite) -> None:
    """Past ``WRITTEN_THROUGH`` contexts the least recently used leave memory (the file
    still has them)."""
    conversations = Conversations(counted)
    for n in range(WRITTEN_THROUGH + 1):
        await conversations.remember("telegram", f"member:{n}:{n}", "years=4")
    assert len(conversations.memory) == WRITTEN_THROUGH
    assert await conversations.recall("telegram", "member:0:0") == "years=4"
    assert counted.reads == 1


class LandsThenFails(CountedSQLite):
    """A write that reaches the file but whose answer is lost (a timeout after it landed)."""

    async def set_context(self, platform: str, key: str, command: str, ttl: float) -> None:
        await super().set_context(platform, key, command, ttl)
        if command.startswith("lost"):
            raise StoreUnavailable("write timed out")


async def test_with_sqlite_a_failed_write_is_read_back_from_the_file(tmp_path: Path) -> None:
    """After a write whose outcome is unknown, memory does not answer for the file."""
    store = LandsThenFails(tmp_path / "lands.sqlite3")
    await store.open()
    try:
        conversations = Conversations(store)
        await conversations.remember("slack", "C1:1.0", "/salary senior mlops")
        await conversations.remember("slack", "C1:1.0", "lost /salary staff mlops")
        assert await conversations.recall("slack", "C1:1.0") == "lost /salary staff mlops"
        assert store.reads == 1
    finally:
        await store.close()


@pytest.mark.postgres
async def test_with_postgres_every_recall_reads_the_store() -> None:
    """Replicas share PostgreSQL: a context one replica changes is what the other reads,
    however often that one read it before."""
    reason = _postgres_reachable()
    if reason is not None:
        pytest.skip(reason)
    one, two = await _postgres_store(), open_store(POSTGRES_URL)
    await one.open()
    await two.open()
    try:
        first, second = Conversations(one), Conversations(two)
        await first.remember("slack", "member:C1:U1", "years=4")
        assert await second.recall("slack", "member:C1:U1") == "years=4"
        await first.remember("slack", "member:C1:U1", "years=5")
        assert await second.recall("slack", "member:C1:U1") == "years=5"
        assert await second.recall("slack", "member:C1:U2") is None
        await first.remember("slack", "member:C1:U2", "years=1")
        assert await second.recall("slack", "member:C1:U2") == "years=1"
    finally:
        await two.close()
        await one.close()
