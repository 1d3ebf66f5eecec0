"""The flood budget: Telegram's overall and per-group limits, and the pause after a 429."""

from __future__ import annotations

import asyncio

import pytest

from careerbot_telegram import LocalBudget
from tests.telegram.builders import GROUP_ID, OTHER_GROUP_ID
from tests.telegram.clock import VirtualClock

PRIVATE = 4242


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


def budget(clock: VirtualClock, overall: float = 0, group: float = 0) -> LocalBudget:
    return LocalBudget(overall, group, clock=clock, sleep=clock.sleep)


async def test_within_the_overall_rate_calls_go_now(clock: VirtualClock) -> None:
    """Two a second: two now, the third waits until the first is a second old."""
    flood = budget(clock, overall=2)
    assert await flood.acquire(PRIVATE, wait=False)
    clock.now += 0.25
    assert await flood.acquire(GROUP_ID, wait=False)
    assert not await flood.acquire(PRIVATE, wait=False)
    assert clock.sleeps == []
    assert await flood.acquire(PRIVATE)
    assert clock.sleeps == [pytest.approx(0.75)]
    assert not await flood.acquire(PRIVATE, wait=False)  # the wait took the share it made
    clock.now += 0.25
    assert await flood.acquire(PRIVATE, wait=False)  # the second call's second is over


async def test_a_declined_ask_takes_nothing(clock: VirtualClock) -> None:
    flood = budget(clock, overall=1)
    assert await flood.acquire(PRIVATE, wait=False)
    for _ in range(5):
        assert not await flood.acquire(PRIVATE, wait=False)
    clock.now += 1.0
    assert await flood.acquire(PRIVATE, wait=False)


async def test_each_group_has_its_own_minute(clock: VirtualClock) -> None:
    """20 a minute into a group: the 21st waits the minute out; other chats are not held."""
    flood = budget(clock, overall=0, group=20)
    for _ in range(20):
        assert await flood.acquire(GROUP_ID, wait=False)
    assert not await flood.acquire(GROUP_ID, wait=False)
    assert not await flood.acquire(str(GROUP_ID), wait=False)  # the same group, as text
    assert await flood.acquire(OTHER_GROUP_ID, wait=False)
    assert await flood.acquire(PRIVATE, wait=False)
    assert await flood.acquire("@somechannel", wait=False)
    assert await flood.acquire(GROUP_ID)
    assert clock.sleeps == [pytest.approx(60.0)]


async def test_no_minute_of_a_group_holds_more_than_its_limit(clock: VirtualClock) -> None:
    """A burst, then one call a second for two minutes: no 60 s window holds a 21st call."""
    flood = budget(clock, group=20)
    sent = []
    for _ in range(25):
        assert await flood.acquire(GROUP_ID)
        sent.append(clock.now)
    for _ in range(120):
        clock.now += 1.0
        if await flood.acquire(GROUP_ID, wait=False):
            sent.append(clock.now)
    assert max(sum(1 for t in sent if s <= t < s + 60) for s in sent) == 20
    assert len(sent) >= 60  # and every minute's twenty were used: three minutes, 60 calls


async def test_a_group_idle_a_minute_is_forgotten_with_its_budget_full(
    clock: VirtualClock,
) -> None:
    flood = budget(clock, group=2)
    assert await flood.acquire(GROUP_ID, wait=False)
    assert await flood.acquire(GROUP_ID, wait=False)
    clock.now += 30.0
    assert not await flood.acquire(GROUP_ID, wait=False)  # half a minute gives none back
    clock.now += 30.0
    assert f"group:{GROUP_ID}" not in flood.limiter.logs
    assert await flood.acquire(GROUP_ID, wait=False)
    assert await flood.acquire(GROUP_ID, wait=False)


async def test_calls_to_no_chat_are_not_counted(clock: VirtualClock) -> None:
    """answerCallbackQuery and friends: no chat limit counts them."""
    flood = budget(clock, overall=1, group=1)
    for _ in range(10):
        assert await flood.acquire(None, wait=False)
    assert await flood.acquire(GROUP_ID, wait=False)


async def test_a_pause_holds_every_call(clock: VirtualClock) -> None:
    """After a 429 with retry_after 7 nothing goes now, unlimited calls included."""
    flood = budget(clock)
    await flood.pause(7)
    await flood.pause(2)  # a shorter pause does not end the longer one
    assert not await flood.acquire(None, wait=False)
    assert not await flood.acquire(PRIVATE, wait=False)
    assert await flood.acquire(PRIVATE)
    assert clock.sleeps == [pytest.approx(7.0)]
    assert await flood.acquire(GROUP_ID, wait=False)


async def test_a_rate_under_one_a_period_still_lets_one_through(clock: VirtualClock) -> None:
    """Half a call a second: one call, then one every two seconds."""
    flood = budget(clock, overall=0.5)
    assert await flood.acquire(PRIVATE, wait=False)
    assert await flood.acquire(PRIVATE)
    assert clock.sleeps == [pytest.approx(2.0)]


async def test_a_group_in_use_keeps_its_budget_past_a_minute(clock: VirtualClock) -> None:
    """Two a minute, used at 0 s and 59 s: at 61 s one more fits, not two."""
    flood = budget(clock, group=2)
    assert await flood.acquire(GROUP_ID, wait=False)
    clock.now += 59.0
    assert await flood.acquire(GROUP_ID, wait=False)
    clock.now += 2.0
    assert await flood.acquire(GROUP_ID, wait=False)
    assert not await flood.acquire(GROUP_ID, wait=False)


async def test_an_ask_waiting_for_a_group_is_not_overtaken(clock: VirtualClock) -> None:
    """Once the group has room again, the ask that waited goes first, not a newcomer."""
    flood = budget(clock, group=1)
    assert await flood.acquire(GROUP_ID, wait=False)
    clock.hold()
    done: list[str] = []

    async def ask(name: str) -> bool:
        granted = await flood.acquire(GROUP_ID)
        done.append(name)
        return granted

    first = asyncio.create_task(ask("first"))
    await clock.sleepers(1)
    second = asyncio.create_task(ask("second"))
    clock.now += 60.0  # room for one, while the first still sleeps
    assert not await flood.acquire(GROUP_ID, wait=False)  # a webhook answer may not jump in
    assert await flood.acquire(OTHER_GROUP_ID, wait=False)  # another group is not held
    clock.release()
    assert await first
    assert await second
    assert done == ["first", "second"]
