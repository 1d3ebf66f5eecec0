"""GuardedStore: deadlines, breaker and memory, on a store that stalls (with an injected
clock) and on the real PostgreSQL behind a proxy that hangs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from careerbot_chat import Chat, SQLiteStore, StoreUnavailable
from careerbot_chat.service._defaults import DefaultRoles
from careerbot_chat.store._guard import GuardedStore
from careerbot_chat.store._postgres import PostgresStore
from tests.conftest import POSTGRES_URL, _postgres_reachable, _postgres_store
from tests.fakes.hung_tcp import HangingProxy

STATEMENT_TIMEOUT = 1.0
"""asyncpg's connect and statement timeout through the proxy: longer than the guard's
deadlines (so the guard is what times out), short so that a connection the hang left
behind is given up quickly when the test ends."""
WAIT = 10.0
"""The longest a test waits for what should take a fraction of a second."""


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class StallingStore(SQLiteStore):
    """A real SQLite store whose default-role reads can stall like a frozen server."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.stalled = False
        self.reads = 0

    async def get_default_role(self, platform: str, chat_id: str) -> str | None:
        self.reads += 1
        if self.stalled:
            await asyncio.Event().wait()  # never answers; cancelled at the guard's deadline
        return await super().get_default_role(platform, chat_id)


@pytest.fixture
async def stalling(tmp_path: Path) -> AsyncIterator[tuple[GuardedStore, StallingStore, Clock]]:
    inner, clock = StallingStore(tmp_path / "db.sqlite3"), Clock()
    store = GuardedStore(inner, answer_deadline=0.2, failures=3, cooldown=5.0, clock=clock)
    await store.open()
    yield store, inner, clock
    await store.close()


async def test_open_circuit_refuses_until_cooldown_then_one_trial_closes_it(
    stalling: tuple[GuardedStore, StallingStore, Clock], caplog: pytest.LogCaptureFixture
) -> None:
    """Three timeouts open the circuit: calls fail at once without asking the database until
    ``cooldown`` has passed on the clock; then one trial goes through and, answered, closes it."""
    store, inner, clock = stalling
    inner.stalled = True
    for _ in range(3):
        with pytest.raises(StoreUnavailable, match=r"read timed out after 0\.2 s"):
            await store.get_default_role("slack", "C1")
    assert store.circuit_open
    assert inner.reads == 3
    clock.now = 4.9
    with pytest.raises(StoreUnavailable, match=r"database unavailable \(read timed out"):
        await store.get_default_role("slack", "C1")
    assert inner.reads == 3  # refused without asking
    clock.now = 5.1
    inner.stalled = False
    assert await store.get_default_role("slack", "C1") is None  # the trial, answered
    assert inner.reads == 4
    assert not store.circuit_open
    opened = [r for r in caplog.records if "failures in a row" in r.getMessage()]
    assert len(opened) == 1
    assert "database is answering again" in caplog.text


async def test_a_failed_trial_keeps_the_circuit_open_for_another_cooldown(
    stalling: tuple[GuardedStore, StallingStore, Clock],
) -> None:
    """A trial that times out too opens the circuit again from that moment."""
    store, inner, clock = stalling
    inner.stalled = True
    for _ in range(3):
        with pytest.raises(StoreUnavailable):
            await store.get_default_role("slack", "C1")
    clock.now = 5.1
    with pytest.raises(StoreUnavailable, match="timed out"):
        await store.get_default_role("slack", "C1")  # the trial
    assert inner.reads == 4
    clock.now = 10.0  # within the cooldown that began at the failed trial
    with pytest.raises(StoreUnavailable):
        await store.get_default_role("slack", "C1")
    assert inner.reads == 4
    clock.now = 10.2
    inner.stalled = False
    assert await store.get_default_role("slack", "C1") is None
    assert not store.circuit_open


async def test_default_role_is_remembered_for_its_ttl_then_read_again(
    stalling: tuple[GuardedStore, StallingStore, Clock],
) -> None:
    """A default role is read once per ``ttl`` on the clock: another replica's change shows
    after it; while the store stalls, the last role read is the answer however old."""
    store, inner, clock = stalling
    defaults = DefaultRoles(store, ttl=5.0, clock=clock)
    chat = Chat("slack", "C1", is_group=True)
    await store.set_default_role("slack", "C1", "mlops-engineer", "U1")
    assert await defaults.get(chat) == "mlops-engineer"
    await inner.set_default_role("slack", "C1", "data-engineer", "U2")  # another replica
    clock.now = 4.9
    assert await defaults.get(chat) == "mlops-engineer"
    assert inner.reads == 1
    clock.now = 5.0
    assert await defaults.get(chat) == "data-engineer"
    assert inner.reads == 2
    inner.stalled = True
    clock.now = 60.0
    assert await defaults.get(chat) == "data-engineer"
    assert await defaults.get(Chat("slack", "C2", is_group=True)) is None
    assert await defaults.get(Chat("slack", "D1", is_group=False)) is None  # never asked
    assert inner.reads == 4


@pytest.fixture
async def proxied() -> AsyncIterator[tuple[GuardedStore, HangingProxy]]:
    """A guarded PostgresStore reached through a proxy that can hang."""
    reason = _postgres_reachable()
    if reason is not None:
        pytest.skip(reason)
    await _postgres_store()  # a clean schema
    target = urlparse(POSTGRES_URL)
    async with HangingProxy((target.hostname or "127.0.0.1", target.port or 5432)) as proxy:
        store = GuardedStore(
            PostgresStore(proxy.url(POSTGRES_URL), timeout=STATEMENT_TIMEOUT),
            answer_deadline=0.5,
            cooldown=60,
        )
        await store.open()
        yield store, proxy
        proxy.resume()
        await asyncio.wait_for(store.close(), WAIT)


@pytest.mark.postgres
async def test_normal_path_reaches_postgres(proxied: tuple[GuardedStore, HangingProxy]) -> None:
    """With PostgreSQL answering, calls go through: defaults, claims, readiness."""
    store, _ = proxied
    await store.set_default_role("slack", "C1", "mlops-engineer", "U1")
    assert await store.get_default_role("slack", "C1") == "mlops-engineer"
    assert await store.claim_update("telegram:1", 60)
    assert not await store.claim_update("telegram:1", 60)
    await store.ping()
    assert not store.circuit_open


@pytest.mark.postgres
async def test_hung_database_answers_from_memory(
    proxied: tuple[GuardedStore, HangingProxy], caplog: pytest.LogCaptureFixture
) -> None:
    """A hung database: defaults (from the service's one memory of them) and duplicate claims
    are answered from memory, the circuit opens once."""
    store, proxy = proxied
    clock = Clock()
    defaults = DefaultRoles(store, clock=clock)
    c1, c2 = Chat("slack", "C1", is_group=True), Chat("slack", "C2", is_group=True)
    await store.set_default_role("slack", "C1", "mlops-engineer", "U1")
    assert await defaults.get(c1) == "mlops-engineer"
    assert await store.claim_update("telegram:1", 60)
    proxy.hang()
    clock.now = 3600.0  # long past the default role's time to live: the store is asked
    with caplog.at_level(logging.ERROR, "careerbot.store"):
        assert await defaults.get(c1) == "mlops-engineer"
        assert await defaults.get(c2) is None
        assert await store.claim_update("telegram:2", 60)  # first seen: answered
        assert store.circuit_open
        assert not await store.claim_update("telegram:2", 60)  # seen here: dropped
        assert not await store.claim_update("telegram:1", 60)
    opened = [r for r in caplog.records if "failures in a row" in r.getMessage()]
    assert len(opened) == 1
    assert "timed out" in opened[0].getMessage()
    with pytest.raises(StoreUnavailable, match="timed out"):
        await store.set_default_role("slack", "C1", "x", "U1")  # refused at once, says why


@pytest.mark.postgres
async def test_ping_has_a_deadline_and_a_reason(
    proxied: tuple[GuardedStore, HangingProxy],
) -> None:
    """Readiness's ping on a hung database fails within its deadline with a non-empty reason."""
    store, proxy = proxied
    proxy.hang()
    with pytest.raises(StoreUnavailable) as caught:
        await asyncio.wait_for(store.ping(), 2)
    assert str(caught.value).strip()


@pytest.mark.postgres
async def test_circuit_closes_when_the_database_answers_again(
    proxied: tuple[GuardedStore, HangingProxy],
) -> None:
    """After an outage, a successful call (here readiness's ping) closes the circuit."""
    store, proxy = proxied
    proxy.hang()
    for key in ("a", "b", "c"):
        await store.claim_update(key, 60)
    assert store.circuit_open
    proxy.resume()
    for _ in range(10):  # the pool replaces connections the outage left dead
        try:
            await store.ping()
            break
        except StoreUnavailable:
            continue
    assert not store.circuit_open
    assert await store.claim_update("d", 60)
