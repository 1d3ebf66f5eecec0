"""Background work (refreshing pinned cards) takes only the budget member answers leave.

In process and shared (PostgreSQL, Redis): asks made inside ``background_work()`` take
at most two thirds of every window, so answers, on this replica or another, find the
last third free (and answers that need less leave the background its two thirds); a background ask waits while an answer of this process waits, and never
queues in a group's line ahead of an answer.
"""

from __future__ import annotations

import asyncio

import pytest

from careerbot_chat.service._budget import Rate, background_work
from careerbot_telegram import LocalBudget, SharedBudget
from tests.telegram.builders import GROUP_ID
from tests.telegram.clock import VirtualClock
from tests.telegram.shared import KINDS, limiters


async def granted_now(budget: LocalBudget | SharedBudget, chats: list[int]) -> int:
    return [await budget.acquire(chat, wait=False) for chat in chats].count(True)


def test_a_spare_rate_leaves_a_third() -> None:
    assert Rate("bot", 30, 1.0).spare().limit == 20
    assert Rate("group:1", 20, 60.0).spare().limit == 13
    assert Rate("slow", 0.5, 1.0).spare().limit == 1  # one a window: taken when free


async def test_background_asks_leave_a_third_of_the_bot_rate_in_process() -> None:
    """30 a second: background work gets 20 of a second, answers the 10 left at once."""
    clock = VirtualClock()
    budget = LocalBudget(30, 0, clock=clock, sleep=clock.sleep)
    with background_work():
        assert await granted_now(budget, list(range(4000, 4030))) == 20
    assert await granted_now(budget, list(range(5000, 5010))) == 10


async def test_answers_under_their_third_leave_the_background_its_share_in_process() -> None:
    """In process as shared: 5 answers, then 20 background calls, then 5 more answers in
    one second of 30."""
    clock = VirtualClock()
    budget = LocalBudget(30, 0, clock=clock, sleep=clock.sleep)
    assert await granted_now(budget, list(range(5000, 5005))) == 5
    with background_work():
        assert await granted_now(budget, list(range(4000, 4030))) == 20
    assert await granted_now(budget, list(range(5100, 5110))) == 5


@pytest.mark.parametrize("kind", KINDS)
async def test_answers_under_their_third_take_nothing_from_the_background_share(
    kind: str,
) -> None:
    """Answers that use less than their third leave background work its two thirds: 5
    answers, then 20 background calls, in one second of 30 (each counted in the whole
    second, background also in its own share)."""
    async with limiters(kind) as (one, two):
        answering, refreshing = SharedBudget(one, 30, 0), SharedBudget(two, 30, 0)
        assert await granted_now(answering, list(range(5000, 5005))) == 5
        with background_work():
            assert await granted_now(refreshing, list(range(4000, 4030))) == 20
        assert await granted_now(answering, list(range(5100, 5110))) == 5  # 30 in the second


@pytest.mark.parametrize("kind", KINDS)
async def test_background_on_one_replica_leaves_room_for_answers_on_another(kind: str) -> None:
    """Shared: replica one refreshing as fast as it may still leaves replica two a third
    of the bot's second and of a group's minute."""
    async with limiters(kind) as (one, two):
        refreshing, answering = SharedBudget(one, 30, 6), SharedBudget(two, 30, 6)
        with background_work():
            assert await granted_now(refreshing, list(range(4000, 4030))) == 20
            assert await granted_now(refreshing, [GROUP_ID] * 6) == 0  # the second is spent
        assert await granted_now(answering, list(range(5000, 5008))) == 8
        await asyncio.sleep(1.05)  # the second is over; the group's minute is not
        with background_work():
            assert await granted_now(refreshing, [GROUP_ID] * 6) == 4
        assert await granted_now(answering, [GROUP_ID] * 6) == 2


async def test_a_background_ask_waits_while_an_answer_waits() -> None:
    """An answer waiting for the bot's rate holds every background ask back: once the
    second is over, the answer goes first."""
    clock = VirtualClock()
    budget = LocalBudget(3, 0, clock=clock, sleep=clock.sleep)
    assert await granted_now(budget, [4000, 4001, 4002]) == 3  # the second's three calls
    order: list[str] = []
    clock.hold()

    async def answer() -> None:
        await budget.acquire(5000)
        order.append("answer")

    async def edit() -> None:
        with background_work():
            await budget.acquire(4242)
        order.append("edit")

    answering = asyncio.ensure_future(answer())
    await clock.sleepers(1)
    editing = asyncio.ensure_future(edit())
    await asyncio.sleep(0.05)
    assert order == []
    assert len(clock.sleeps) == 1  # the edit asks nothing while the answer waits
    clock.release()
    await asyncio.gather(answering, editing)
    assert order == ["answer", "edit"]


async def test_background_calls_that_wait_are_spread_evenly() -> None:
    """30 a second: background calls go one every 1/20 s (the spare rate), not in a burst
    of 20 at the start of each second."""
    clock = VirtualClock()
    budget = LocalBudget(30, 0, clock=clock, sleep=clock.sleep)
    start = clock()
    with background_work():
        for chat in range(4000, 4005):
            assert await budget.acquire(chat)
    assert clock() - start == pytest.approx(4 / 20)
    assert clock.sleeps == [pytest.approx(1 / 20)] * 4


async def test_an_answer_waiting_for_its_group_minute_does_not_hold_background_asks() -> None:
    """A burst into one group waits up to a minute for that group: an edit into another
    group goes on meanwhile, and never joins the busy group's line either."""
    clock = VirtualClock()
    budget = LocalBudget(30, 1, clock=clock, sleep=clock.sleep)
    assert await budget.acquire(GROUP_ID)  # the group's minute is spent
    clock.hold()
    answering = asyncio.ensure_future(budget.acquire(GROUP_ID))
    await clock.sleepers(1)
    with background_work():
        assert await asyncio.wait_for(budget.acquire(GROUP_ID - 1), 1.0)
    assert not answering.done()
    clock.release()
    assert await answering
