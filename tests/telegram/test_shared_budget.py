"""The flood budget shared by replicas, on PostgreSQL and on Redis.

Two budgets on one store stand for two replicas: together they never pass the
bot's limits, a 429 seen by one pauses both, and over real HTTP a burst of members
spread over two replicas loses no answer against a Bot API that refuses sends past
its limit (webhook answers, whose refusal nobody would see, included).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from careerbot_chat import CareerBot
from careerbot_chat.adapter import Rate, shared_limiter
from careerbot_telegram import FloodLimits, LocalBudget, SharedBudget, TelegramPlatform
from careerbot_telegram._reply import FloodControl
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi
from tests.telegram.builders import GROUP_ID, private_chat, text_update, user
from tests.telegram.conftest import TOKEN, make_settings
from tests.telegram.shared import KINDS, limiters, store_url
from tests.telegram.test_webhook import post


@pytest.mark.parametrize("kind", KINDS)
async def test_two_replicas_share_a_group_minute(kind: str) -> None:
    """3 a minute into a group: of 10 asks now spread over two replicas, 3 are granted."""
    async with limiters(kind) as (one, two):
        budgets = [SharedBudget(one, 0, 3), SharedBudget(two, 0, 3)]
        granted = [await budgets[n % 2].acquire(GROUP_ID, wait=False) for n in range(10)]
        assert granted.count(True) == 3
        assert granted[:3] == [True, True, True]
        assert await budgets[0].acquire(-1001, wait=False)  # another group: its own minute


@pytest.mark.parametrize("kind", KINDS)
async def test_two_replicas_share_the_bot_rate(kind: str) -> None:
    """Waiting asks on two replicas: no 0.75 s holds more than a second's rate.

    (0.75 s, not 1 s: slack for a busy machine returning a grant late; a leaky
    bucket of the same rate would still put 35 into such a window.)
    """
    rate, asks = 20, 60
    async with limiters(kind) as (one, two):
        budgets = [SharedBudget(one, rate, 0), SharedBudget(two, rate, 0)]
        granted: list[float] = []

        async def ask(n: int) -> None:
            await budgets[n % 2].acquire(4000 + n)
            granted.append(time.monotonic())

        started = time.monotonic()
        await asyncio.gather(*(ask(n) for n in range(asks)))
    granted.sort()
    busiest = max(sum(1 for t in granted if start <= t < start + 0.75) for start in granted)
    assert busiest <= rate
    assert granted[-1] - started >= (asks - rate) / rate - 0.05


@pytest.mark.parametrize("kind", KINDS)
async def test_a_429_on_one_replica_pauses_the_other(kind: str) -> None:
    """Replica one is told to wait; replica two, asking now, is declined too."""
    async with limiters(kind) as (one, two):
        first, second = SharedBudget(one, 30, 20), SharedBudget(two, 30, 20)
        assert await second.acquire(4242, wait=False)
        await first.pause(2.0)
        assert not await second.acquire(4242, wait=False)
        assert not await second.acquire(GROUP_ID, wait=False)


@pytest.mark.parametrize("kind", KINDS)
async def test_a_take_is_all_or_nothing(kind: str) -> None:
    """A group call declined by its group's minute takes nothing from the bot's rate."""
    async with limiters(kind, 1) as (one,):
        bot, group = Rate("bot", 1, 1.0), Rate("group:1", 1, 60.0)
        assert await one.take([bot, group]) == 0.0
        await one.pause(0.0)
        assert await one.take([group]) > 1.0  # the group's minute is spent
        assert await one.take([bot]) > 0.0  # and the bot's second, once
        assert await one.take([bot, Rate("group:2", 1, 60.0)]) > 0.0
        assert await one.take([Rate("group:2", 1, 60.0)]) == 0.0  # untouched by the refusal


@pytest.mark.parametrize("kind", KINDS)
async def test_the_store_down_leaves_this_replicas_budget(kind: str) -> None:
    """A store nobody can reach: calls are paced by the replica's own budget."""
    url = "redis://127.0.0.1:9/0" if kind == "redis" else "postgresql://u@127.0.0.1:9/x"
    limiter = shared_limiter("sqlite://", url, namespace="down") if kind == "redis" else None
    if limiter is None:
        limiter = shared_limiter(url, None, namespace="down")
    assert limiter is not None
    budget = SharedBudget(limiter, 0, 2)
    assert [await budget.acquire(GROUP_ID, wait=False) for _ in range(3)] == [True, True, False]
    await budget.close()


@pytest.fixture
async def flooding() -> AsyncIterator[FakeTelegram]:
    """A Bot API refusing sends past 40 in any second (429, retry after 1)."""
    api = FakeTelegram(TOKEN, sends_per_second=40)
    async with serve_asgi(api.app, lifespan="off") as url:
        api.url = url
        yield api
    assert not api.refused, api.refused


@pytest.mark.parametrize("kind", KINDS)
async def test_a_burst_over_two_replicas_loses_no_answer(
    kind: str, flooding: FakeTelegram, careerbot: CareerBot
) -> None:
    """80 members at once over two replicas at 20 a second: 80 answers, Telegram refuses none."""
    members = 80
    limits = FloodLimits(overall_per_second=20, group_per_minute=20, max_retries=3)
    async with limiters(kind) as shared:
        replicas = [
            TelegramPlatform(
                make_settings(flooding.url),
                careerbot,
                limits=limits,
                budget=SharedBudget(limiter, 20, 20),
            )
            for limiter in shared
        ]
        for replica in replicas:
            await replica.start()
        flooding.reset()
        hooks = {"response": [flooding.read_webhook_answer]}
        try:
            async with (
                serve_asgi(Starlette(routes=list(replicas[0].routes())), lifespan="off") as a,
                serve_asgi(Starlette(routes=list(replicas[1].routes())), lifespan="off") as b,
                httpx.AsyncClient(base_url=a, event_hooks=hooks) as to_a,
                httpx.AsyncClient(base_url=b, event_hooks=hooks) as to_b,
            ):
                updates = [
                    text_update("/role mlops", chat=private_chat(9000 + n), sender=user(9000 + n))
                    for n in range(members)
                ]
                await asyncio.gather(
                    *(post(to_a if n % 2 else to_b, u) for n, u in enumerate(updates))
                )
                await flooding.wait_for("sendMessage", members, within=30)
        finally:
            for replica in replicas:
                await replica.stop()
    answered = {int(call.params["chat_id"]) for call in flooding.delivered("sendMessage")}
    assert answered == {9000 + n for n in range(members)}
    assert flooding.flooded == []


def test_one_replica_on_sqlite_keeps_its_budget_in_process() -> None:
    """No Redis and a SQLite database: the in-process budget; Redis wins over PostgreSQL."""
    limits = FloodLimits()
    settings = make_settings("http://127.0.0.1:9")
    assert isinstance(limits.shared_budget(settings, TOKEN), LocalBudget)
    settings = make_settings("http://127.0.0.1:9", database_url="postgresql://u@h/db")
    budget = limits.shared_budget(settings, TOKEN)
    assert isinstance(budget, SharedBudget)
    assert type(budget.limiter).__name__ == "PostgresLimiter"
    settings = make_settings(
        "http://127.0.0.1:9", database_url="postgresql://u@h/db", telegram_redis_url="redis://h"
    )
    budget = limits.shared_budget(settings, TOKEN)
    assert isinstance(budget, SharedBudget)
    assert type(budget.limiter).__name__ == "RedisLimiter"


@pytest.mark.parametrize("kind", KINDS)
async def test_a_platform_from_settings_paces_in_the_shared_store(
    kind: str, fake: FakeTelegram, careerbot: CareerBot
) -> None:
    """No budget given: the platform's sends take from the store the settings name."""
    url = store_url(kind)
    option = {"telegram_redis_url": url} if kind == "redis" else {"database_url": url}
    platform = TelegramPlatform(make_settings(fake.url, **option), careerbot)
    await platform.start()
    try:
        await platform.application.bot.send_message(4242, "hello")
        budget = platform.application.bot.rate_limiter
        assert isinstance(budget, FloodControl)
        assert isinstance(budget.budget, SharedBudget)
        wait = await budget.budget.limiter.take([Rate("bot", 1, 1.0)])
    finally:
        await platform.stop()
    assert wait > 0.0  # the send above took this second's one share
