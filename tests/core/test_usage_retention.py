"""The text of unanswered questions is kept for a number of days; the counts for ever
(issue 23, item 14). Run against SQLite and (when reachable) PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import pytest

from careerbot_chat import CareerBot, Catalog, Chat, Inbound, SQLiteStore, Store
from careerbot_chat.service import _usage
from careerbot_chat.store._contract import UsageRow, days_ago
from tests.core.test_store import second_connection

CHAT = Chat("telegram", "p1", is_group=False)
OLD, RECENT = days_ago(40), days_ago(2)


def seeded() -> list[UsageRow]:
    """Forty days ago: two gaps and their row without text; two days ago: one gap."""
    return [
        UsageRow(OLD, "telegram", "role", "", "not_found", "astronaut", 3),
        UsageRow(OLD, "telegram", "role", "", "not_found", "plumber", 1),
        UsageRow(OLD, "telegram", "role", "", "not_found", "", 5),
        UsageRow(OLD, "telegram", "role", "mlops-engineer", "answered", "", 7),
        UsageRow(OLD, "slack", "salary", "", "not_found", "astronaut", 2),
        UsageRow(RECENT, "telegram", "role", "", "not_found", "astronaut", 4),
    ]


async def rows(store: Store) -> dict[tuple[str, str, str, str, str, str], int]:
    return {
        (r.day, r.platform, r.command, r.role, r.outcome, r.query): r.count
        for r in await store.usage(days_ago(60))
    }


EXPECTED = {
    (OLD, "telegram", "role", "", "not_found", ""): 9,
    (OLD, "telegram", "role", "mlops-engineer", "answered", ""): 7,
    (OLD, "slack", "salary", "", "not_found", ""): 2,
    (RECENT, "telegram", "role", "", "not_found", "astronaut"): 4,
}
"""``seeded()`` with the text older than 30 days forgotten: every count kept."""


async def test_forget_queries_blanks_old_text_and_keeps_counts(store: Store) -> None:
    """Text asked before the day given is blanked, its counts merged into the same day's
    row without text; later text stays; a second run changes nothing."""
    await store.add_usage(seeded())
    await store.forget_queries(days_ago(30))
    assert await rows(store) == EXPECTED
    await store.forget_queries(days_ago(30))
    assert await rows(store) == EXPECTED


async def test_two_replicas_forgetting_at_once_count_once(store: Store) -> None:
    """Two replicas forgetting the same rows at the same moment neither lose nor double a
    count."""
    other = second_connection(store)
    await other.open()
    try:
        await store.add_usage(seeded())
        await asyncio.gather(*(s.forget_queries(days_ago(30)) for s in (store, other) * 3))
        assert await rows(store) == EXPECTED
    finally:
        await other.close()


async def ask(bot: CareerBot, text: str) -> None:
    await bot.handle(Inbound(text, CHAT, "member", addressed=True))


async def test_the_service_forgets_once_a_utc_day(
    catalog: Catalog, sqlite_store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The usage log forgets old text when first asked (the runtime asks at start), then
    not again until the UTC day changes."""
    clock = [time.time()]
    monkeypatch.setattr(_usage, "time", SimpleNamespace(time=lambda: clock[0]))
    bot = CareerBot(catalog, sqlite_store)
    bot.usage.keep_query_days = 30
    await sqlite_store.add_usage(seeded())
    await bot.usage.forget_old_queries()
    assert await rows(sqlite_store) == EXPECTED

    late = UsageRow(OLD, "telegram", "role", "", "not_found", "welder", 1)
    await sqlite_store.add_usage([late])
    await bot.usage.forget_old_queries()  # the same day: already done
    assert (await rows(sqlite_store))[(OLD, "telegram", "role", "", "not_found", "welder")] == 1

    clock[0] += 24 * 3600
    await bot.usage.forget_old_queries()
    forgotten = await rows(sqlite_store)
    assert (OLD, "telegram", "role", "", "not_found", "welder") not in forgotten
    assert forgotten[(OLD, "telegram", "role", "", "not_found", "")] == 10


async def test_zero_days_keeps_no_text(catalog: Catalog, sqlite_store: SQLiteStore) -> None:
    """With 0 days, an unanswered question is counted without its text, and text already
    stored, today's too, is forgotten."""
    bot = CareerBot(catalog, sqlite_store)
    await sqlite_store.add_usage(seeded())
    bot.usage.keep_query_days = 0
    await ask(bot, "/role astronaut")
    await bot.flush_usage()
    await bot.usage.forget_old_queries()
    stored = await rows(sqlite_store)
    assert all(query == "" for (*_, query) in stored)
    assert sum(stored.values()) == sum(row.count for row in seeded()) + 1


async def test_text_is_kept_by_default(catalog: Catalog, sqlite_store: SQLiteStore) -> None:
    """A bot without the setting (a library user's) keeps the text it counts."""
    bot = CareerBot(catalog, sqlite_store)
    await ask(bot, "/role astronaut")
    await bot.flush_usage()
    await bot.usage.forget_old_queries()
    assert any(query == "astronaut" for (*_, query) in await rows(sqlite_store))
