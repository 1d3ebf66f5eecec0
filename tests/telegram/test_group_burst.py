"""A group asking faster than its budget: every answer goes, in order, none refused.

The fake Bot API refuses a fourth message a minute into a group (as Telegram does
past its limit), on the same virtual clock as the budget, so waits take no time.
Members who ask the same thing while its answer waits are served by that answer,
which mentions them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from careerbot_chat import CareerBot
from careerbot_telegram import LocalBudget, TelegramPlatform
from careerbot_telegram._app import Handlers
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi
from tests.telegram.builders import GROUP_ID, as_update, group_update
from tests.telegram.clock import VirtualClock
from tests.telegram.conftest import TOKEN, started_platform
from tests.telegram.html_check import telegram_html_problems, visible_text

PER_MINUTE = 3


@pytest.fixture
async def group_limited(clock: VirtualClock) -> AsyncIterator[FakeTelegram]:
    api = FakeTelegram(TOKEN, group_sends_per_minute=PER_MINUTE, clock=clock)
    async with serve_asgi(api.app, lifespan="off") as url:
        api.url = url
        yield api
    assert not api.refused, api.refused


@pytest.fixture
async def paced(
    group_limited: FakeTelegram, careerbot: CareerBot, clock: VirtualClock
) -> AsyncIterator[TelegramPlatform]:
    budget = LocalBudget(0, PER_MINUTE, clock=clock, sleep=clock.sleep)
    async with started_platform(group_limited, careerbot, budget) as started:
        yield started


def handlers_of(platform: TelegramPlatform) -> Handlers:
    found = {
        handler.callback.__self__
        for group in platform.application.handlers.values()
        for handler in group
        if isinstance(getattr(handler.callback, "__self__", None), Handlers)
    }
    (handlers,) = found
    assert isinstance(handlers, Handlers)
    return handlers


async def until(condition: Callable[[], bool], within: float = 5.0) -> None:
    """Poll ``condition`` until it holds; fail after ``within`` seconds."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 - the handlers' state announces no event
            await asyncio.sleep(0.001)


async def test_a_burst_waits_in_order_and_identical_questions_share_an_answer(
    paced: TelegramPlatform, group_limited: FakeTelegram, clock: VirtualClock
) -> None:
    """3 a minute: 3 go now; of 6 more, the 4 asking /role get one answer, mentioning 3."""
    bot = paced.application.bot
    waiting = handlers_of(paced).bursts.waiting

    def run(text: str, member: int) -> Callable[[], Awaitable[None]]:
        payload: dict[str, Any] = group_update(text, sender_id=member)
        return lambda: paced.application.process_update(as_update(payload, bot))

    for text, member in [("/role mlops", 1), ("/salary senior mlops", 5), ("/pitfalls", 6)]:
        await run(text, member)()
    assert len(group_limited.delivered("sendMessage")) == 3
    clock.hold()
    role = ("/role mlops",)
    later = [
        ("/role mlops", 2, lambda: any(k[2] in role for k in waiting)),
        ("/role mlops", 3, lambda: len(next(v for k, v in waiting.items() if k[2] in role)) == 1),
        ("/skills mlops", 8, lambda: len(waiting) == 2),
        ("/role mlops", 4, lambda: len(next(v for k, v in waiting.items() if k[2] in role)) == 2),
        ("/faq mlops", 7, lambda: len(waiting) == 3),
        ("/role mlops", 10, lambda: len(next(v for k, v in waiting.items() if k[2] in role)) == 3),
    ]
    tasks = []
    started = clock.now
    try:
        for text, member, queued in later:
            tasks.append(asyncio.create_task(run(text, member)()))
            await until(queued)
        assert len(group_limited.delivered("sendMessage")) == 3  # the group's minute is spent
    finally:
        clock.release()  # even when failing: the waiting updates must end for the teardown
        await asyncio.gather(*tasks)

    sent = group_limited.delivered("sendMessage")[3:]
    assert group_limited.flooded == []
    assert len(sent) == 3  # role (for 4 members), skills, faq
    first, skills, faq = (visible_text(call.params["text"]) for call in sent)
    assert first.startswith("MLOps Engineer")
    assert "skills and toolchains" in skills
    assert "common questions" in faq
    text = sent[0].params["text"]
    assert telegram_html_problems(text) == []
    for member in (3, 4, 10):
        assert f'href="tg://user?id={member}"' in text
    assert 'href="tg://user?id=2"' not in text  # the answer replies to member 2 instead
    assert sent[0].params["reply_parameters"]["message_id"] > 0
    assert clock.now - started == pytest.approx(60.0)  # the worst wait: one minute
    assert all(int(call.params["chat_id"]) == GROUP_ID for call in sent)
