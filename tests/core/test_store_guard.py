"""GuardedStore on the real PostgreSQL, and on one that hangs: deadlines, breaker, memory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from urllib.parse import urlparse

import pytest

from careerbot_chat import StoreUnavailable
from careerbot_chat.store._guard import GuardedStore
from careerbot_chat.store._postgres import PostgresStore
from tests.conftest import POSTGRES_URL, _postgres_reachable, _postgres_store
from tests.fakes.hung_tcp import HangingProxy

pytestmark = pytest.mark.postgres


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
            PostgresStore(proxy.url(POSTGRES_URL), timeout=2), answer_deadline=0.2, cooldown=60
        )
        await store.open()
        yield store, proxy
        proxy.resume()
        await asyncio.wait_for(store.close(), 10)


async def test_normal_path_reaches_postgres(proxied: tuple[GuardedStore, HangingProxy]) -> None:
    """With PostgreSQL answering, calls go through: defaults, claims, readiness."""
    store, _ = proxied
    await store.set_default_role("slack", "C1", "mlops-engineer", "U1")
    assert await store.get_default_role("slack", "C1") == "mlops-engineer"
    assert await store.claim_update("telegram:1", 60)
    assert not await store.claim_update("telegram:1", 60)
    await store.ping()
    assert not store.circuit_open


async def test_hung_database_answers_from_memory(
    proxied: tuple[GuardedStore, HangingProxy], caplog: pytest.LogCaptureFixture
) -> None:
    """A hung database: defaults and duplicate claims come from memory, the circuit opens once."""
    store, proxy = proxied
    await store.set_default_role("slack", "C1", "mlops-engineer", "U1")
    assert await store.claim_update("telegram:1", 60)
    proxy.hang()
    with caplog.at_level(logging.ERROR, "careerbot.store"):
        assert await store.get_default_role("slack", "C1") == "mlops-engineer"
        assert await store.get_default_role("slack", "C2") is None
        assert await store.claim_update("telegram:2", 60)  # first seen: answered
        assert store.circuit_open
        assert not await store.claim_update("telegram:2", 60)  # seen here: dropped
        assert not await store.claim_update("telegram:1", 60)
    opened = [r for r in caplog.records if "failures in a row" in r.getMessage()]
    assert len(opened) == 1
    assert "timed out" in opened[0].getMessage()
    with pytest.raises(StoreUnavailable, match="timed out"):
        await store.set_default_role("slack", "C1", "x", "U1")  # refused at once, says why


async def test_ping_has_a_deadline_and_a_reason(
    proxied: tuple[GuardedStore, HangingProxy],
) -> None:
    """Readiness's ping on a hung database fails within its deadline with a non-empty reason."""
    store, proxy = proxied
    proxy.hang()
    with pytest.raises(StoreUnavailable) as caught:
        await asyncio.wait_for(store.ping(), 2)
    assert str(caught.value).strip()


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
