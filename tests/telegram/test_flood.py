"""The flood budget: Telegram's overall and per-group limits, and the pause after a 429."""

from __future__ import annotations

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
    """Two a second: two now, the third not now; waiting for it takes half a second."""
    flood = budget(clock, overall=2)
    assert await flood.acquire(PRIVATE, wait=False)
    assert await flood.acquire(GROUP_ID, wait=False)
    assert not await flood.acquire(PRIVATE, wait=False)
    assert clock.sleeps == []
    assert await flood.acquire(PRIVATE)
    assert clock.sleeps == [pytest.approx(0.5)]
    assert not await flood.acquire(PRIVATE, wait=False)  # the wait took the share it made


async def test_a_declined_ask_takes_nothing(clock: VirtualClock) -> None:
    flood = budget(clock, overall=1)
    assert await flood.acquire(PRIVATE, wait=False)
    for _ in range(5):
        assert not await flood.acquire(PRIVATE, wait=False)
    clock.now += 1.0
    assert await flood.acquire(PRIVATE, wait=False)


async def test_each_group_has_its_own_minute(clock: VirtualClock) -> None:
    """20 a minute into a group: the 21st waits 3 s; other chats are not held by it."""
    flood = budget(clock, overall=0, group=20)
    for _ in range(20):
        assert await flood.acquire(GROUP_ID, wait=False)
    assert not await flood.acquire(GROUP_ID, wait=False)
    assert not await flood.acquire(str(GROUP_ID), wait=False)  # the same group, as text
    assert await flood.acquire(OTHER_GROUP_ID, wait=False)
    assert await flood.acquire(PRIVATE, wait=False)
    assert await flood.acquire("@somechannel", wait=False)
    assert await flood.acquire(GROUP_ID)
    assert clock.sleeps == [pytest.approx(3.0)]


async def test_a_group_idle_a_minute_is_forgotten_with_its_budget_full(
    clock: VirtualClock,
) -> None:
    flood = budget(clock, group=2)
    assert await flood.acquire(GROUP_ID, wait=False)
    assert await flood.acquire(GROUP_ID, wait=False)
    clock.now += 30.0
    assert await flood.acquire(GROUP_ID, wait=False)  # half a minute gave one back
    assert not await flood.acquire(GROUP_ID, wait=False)
    clock.now += 60.0
    assert len(flood.groups) == 0
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
    assert await flood.acquire(GROUP_ID, wait=False)
    clock.now += 59.0
    assert await flood.acquire(GROUP_ID, wait=False)
    clock.now += 2.0
    assert await flood.acquire(GROUP_ID, wait=False)
    assert not await flood.acquire(GROUP_ID, wait=False)
