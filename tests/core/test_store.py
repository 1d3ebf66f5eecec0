"""The Store contract, run against SQLite and (when reachable) PostgreSQL."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import time
from pathlib import Path

import pytest

from careerbot_chat import PinnedCard, SQLiteStore, Store, StoreUnavailable, open_store
from careerbot_chat.store._contract import EXPIRY_INDEXES, UsageRow, today
from tests.conftest import POSTGRES_URL


def pin(message_id: str = "m1", chat_id: str = "c1", **changes: object) -> PinnedCard:
    card = PinnedCard(
        "telegram", chat_id, message_id, "mlops-engineer", "role", "h1", "u1", time.time()
    )
    return card.updated(**changes)


async def test_default_roles(store: Store) -> None:
    """A chat's default role is set, replaced, and kept per platform and chat."""
    assert await store.get_default_role("telegram", "c1") is None
    await store.set_default_role("telegram", "c1", "mlops-engineer", "u1")
    await store.set_default_role("telegram", "c1", "data-engineer", "u2")
    await store.set_default_role("slack", "c1", "mlops-engineer", "u3")
    assert await store.get_default_role("telegram", "c1") == "data-engineer"
    assert await store.get_default_role("slack", "c1") == "mlops-engineer"


async def test_pins_round_trip(store: Store) -> None:
    """Pinned cards are recorded, listed by chat, updated and removed."""
    first, second = pin("m1", pinned_at=1.0), pin("m2", pinned_at=2.0)
    await store.save_pin(first)
    await store.save_pin(second)
    await store.save_pin(pin("m3", chat_id="c2"))
    assert [p.message_id for p in await store.pins("telegram", "c1")] == ["m1", "m2"]
    assert len(await store.pins()) == 3
    await store.save_pin(first.updated(content_hash="h2", status="failed", last_error="boom"))
    (saved,) = [p for p in await store.pins("telegram", "c1") if p.message_id == "m1"]
    assert (saved.content_hash, saved.status, saved.last_error) == ("h2", "failed", "boom")
    assert saved.pinned_at == pytest.approx(1.0)
    await store.remove_pin("telegram", "c1", "m1")
    assert [p.message_id for p in await store.pins("telegram", "c1")] == ["m2"]


async def test_claim_update_once(store: Store) -> None:
    """An update id is claimed once; after its expiry it may be claimed again."""
    assert await store.claim_update("telegram:1", ttl=60)
    assert not await store.claim_update("telegram:1", ttl=60)
    assert await store.claim_update("telegram:2", ttl=-1)
    assert await store.claim_update("telegram:2", ttl=60)


def second_connection(store: Store) -> Store:
    """Another store on the same database, as a second replica would open it."""
    if isinstance(store, SQLiteStore):
        return SQLiteStore(store.path)
    return open_store(POSTGRES_URL)  # the `store` fixture's other kind: its PostgreSQL


async def test_request_hash_claimed_once_across_replicas(store: Store) -> None:
    """Two replicas racing to claim one signed request's hash: exactly one wins."""
    other = second_connection(store)
    await other.open()
    try:
        key = "slack:command:" + hashlib.sha256(b"1700000000:v0=abc").hexdigest()
        claims = [s.claim_update(key, ttl=360) for s in (store, other, store, other)]
        assert sorted(await asyncio.gather(*claims)) == [False, False, False, True]
    finally:
        await other.close()


async def test_usage_counts_add_up(store: Store) -> None:
    """Usage rows with the same key add their counts."""
    day = today()
    row = UsageRow(day, "slack", "role", "mlops-engineer", "answered", "", 2)
    await store.add_usage([row])
    await store.add_usage([row, UsageRow(day, "slack", "role", "", "not_found", "mlop", 1)])
    rows = {(r.outcome, r.query): r.count for r in await store.usage(day)}
    assert rows == {("answered", ""): 4, ("not_found", "mlop"): 1}


async def test_uploaded_photos_by_platform_and_key(store: Store) -> None:
    """A photo's file id is remembered per platform and chart, and replaced on re-upload."""
    assert await store.get_photo("telegram", "mlops-engineer-0123456789") is None
    await store.set_photo("telegram", "mlops-engineer-0123456789", "AgAD-first")
    await store.set_photo("telegram", "mlops-engineer-0123456789", "AgAD-second")
    await store.set_photo("telegram", "data-engineer-0123456789", "AgAD-other")
    assert await store.get_photo("telegram", "mlops-engineer-0123456789") == "AgAD-second"
    assert await store.get_photo("slack", "mlops-engineer-0123456789") is None


async def test_conversation_context_is_kept_until_it_expires(store: Store) -> None:
    """A conversation's last card command is read back, replaced, per platform, until it ends."""
    assert await store.get_context("slack", "C1:1700000300.000001") is None
    await store.set_context("slack", "C1:1700000300.000001", "/salary senior mlops", 60)
    await store.set_context("slack", "C1:1700000300.000001", "/salary staff mlops", 60)
    await store.set_context("slack", "C1:1700000400.000001", "/role mlops", -1)  # already over
    assert await store.get_context("slack", "C1:1700000300.000001") == "/salary staff mlops"
    assert await store.get_context("telegram", "C1:1700000300.000001") is None
    assert await store.get_context("slack", "C1:1700000400.000001") is None


async def test_ping(store: Store) -> None:
    """A healthy store answers ping."""
    await store.ping()


async def test_sqlite_survives_restart(tmp_path: Path) -> None:
    """Records outlive the process: a new store on the same file sees them."""
    path = tmp_path / "db.sqlite3"
    first = SQLiteStore(path)
    await first.open()
    await first.set_default_role("slack", "C1", "mlops-engineer", "U1")
    await first.save_pin(pin())
    await first.close()
    second = SQLiteStore(path)
    await second.open()
    try:
        assert await second.get_default_role("slack", "C1") == "mlops-engineer"
        assert len(await second.pins()) == 1
    finally:
        await second.close()


async def test_sqlite_read_only_file_reports_unavailable(tmp_path: Path) -> None:
    """A read-only database answers reads but writes raise StoreUnavailable."""
    path = tmp_path / "db.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    await store.close()
    path.chmod(0o444)
    readonly = SQLiteStore(f"file:{path}?mode=ro")
    try:
        import aiosqlite

        readonly._db = await aiosqlite.connect(f"file:{path}?mode=ro", uri=True)
        assert await readonly.get_default_role("slack", "C1") is None
        with pytest.raises(StoreUnavailable):
            await readonly.set_default_role("slack", "C1", "mlops-engineer", "U1")
        with pytest.raises(StoreUnavailable):
            await readonly.ping()
    finally:
        await readonly.close()


def test_open_store_by_url(tmp_path: Path) -> None:
    """The URL scheme picks the implementation; others are refused clearly."""
    assert isinstance(open_store(f"sqlite:///{tmp_path}/x.db"), SQLiteStore)
    assert open_store(f"sqlite:///{tmp_path}/x.db").path == f"{tmp_path}/x.db"  # type: ignore[attr-defined]
    assert type(open_store("postgresql://u@h/db")).__name__ == "PostgresStore"
    with pytest.raises(ValueError, match="sqlite:// or postgresql://"):
        open_store("mysql://x")


async def test_lease_is_held_by_one_holder_until_it_expires(store: Store) -> None:
    """A lease is taken by one holder; others are refused until it is dropped or expires."""
    assert await store.take_lease("refresh", "a", ttl=60)
    assert not await store.take_lease("refresh", "b", ttl=60)
    assert await store.take_lease("refresh", "a", ttl=60)  # the holder renews
    await store.drop_lease("refresh", "b")  # not b's to drop
    assert not await store.take_lease("refresh", "b", ttl=60)
    await store.drop_lease("refresh", "a")
    assert await store.take_lease("refresh", "b", ttl=-1)  # taken, already expired
    assert await store.take_lease("refresh", "a", ttl=60)


async def test_expired_rows_are_deleted_through_an_index(store: Store) -> None:
    """Each table pruned by ``expires_at`` has an index on it, so the delete that runs
    on every readiness check reads the expired rows, not the whole table."""
    if isinstance(store, SQLiteStore):
        with sqlite3.connect(store.path) as db:
            for table, index in EXPIRY_INDEXES.items():
                plan = db.execute(
                    f"EXPLAIN QUERY PLAN DELETE FROM {table} WHERE expires_at < ?",  # noqa: S608 - our own names
                    (time.time(),),
                ).fetchall()
                assert any(index in str(step) for step in plan), plan
        return
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        for table, index in EXPIRY_INDEXES.items():
            definition = await conn.fetchval(
                "SELECT indexdef FROM pg_indexes WHERE tablename = $1 AND indexname = $2",
                table,
                index,
            )
            assert definition is not None, f"{table} has no {index}"
            assert "(expires_at)" in definition
    finally:
        await conn.close()
