"""Faults of the Bot API: slow past the timeout, connection refused. The bot keeps serving."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from careerbot_chat import CareerBot
from careerbot_telegram import TelegramPlatform
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi
from tests.telegram.builders import (
    GROUP_ID,
    as_update,
    group_update,
    private_chat,
    text_update,
    user,
)
from tests.telegram.conftest import TEST_LIMITS, TOKEN, make_settings


@pytest.fixture
async def quick_timeout(
    fake: FakeTelegram, careerbot: CareerBot
) -> AsyncIterator[TelegramPlatform]:
    """A platform whose Bot API calls time out after 0.3 s."""
    platform = TelegramPlatform(
        make_settings(fake.url), careerbot, limits=TEST_LIMITS, api_timeout=0.3
    )
    await platform.start()
    fake.reset()
    yield platform
    await platform.stop()


def errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_slow_api_times_out_and_other_chats_are_served(
    fake: FakeTelegram, quick_timeout: TelegramPlatform, caplog: pytest.LogCaptureFixture
) -> None:
    """A sendMessage slower than the timeout is logged (update, chat), not retried twice."""
    fake.delay("sendMessage", 1.0)
    slow = group_update("/role mlops")
    await quick_timeout.application.process_update(as_update(slow, quick_timeout.application.bot))
    (logged,) = [r for r in errors(caplog) if str(slow["update_id"]) in r.getMessage()]
    assert str(GROUP_ID) in logged.getMessage()
    assert "sendMessage" in logged.getMessage()
    # A timed-out send may have been delivered: it is not sent again (nor an apology).
    assert [c.params["chat_id"] for c in fake.called("sendMessage")] == [GROUP_ID]
    other = text_update("/salary senior", chat=private_chat(77), sender=user(77))
    await quick_timeout.application.process_update(as_update(other, quick_timeout.application.bot))
    answered = [c for c in fake.called("sendMessage") if c.params["chat_id"] == 77]
    assert len(answered) == 1
    assert "45–80 LPA" in answered[0].params["text"]


async def test_connection_refused_then_recovered(
    careerbot: CareerBot, caplog: pytest.LogCaptureFixture
) -> None:
    """The Bot API goes away: the failure is logged; when it returns, answers resume."""
    first = FakeTelegram(TOKEN)
    async with serve_asgi(first.app, lifespan="off") as url:
        first.url = url
        platform = TelegramPlatform(make_settings(url), careerbot, limits=TEST_LIMITS)
        await platform.start()
    port = int(url.rsplit(":", 1)[1])
    try:
        lost = text_update("/role mlops", chat=private_chat(5), sender=user(5))
        await platform.application.process_update(as_update(lost, platform.application.bot))
        assert any(str(lost["update_id"]) in r.getMessage() for r in errors(caplog))
        second = FakeTelegram(TOKEN)
        async with serve_asgi(second.app, lifespan="off", port=port):
            back = text_update("/role mlops", chat=private_chat(6), sender=user(6))
            await platform.application.process_update(as_update(back, platform.application.bot))
            (sent,) = second.called("sendMessage")
            assert sent.params["chat_id"] == 6
    finally:
        second_stop = FakeTelegram(TOKEN)
        async with serve_asgi(second_stop.app, lifespan="off", port=port):
            await platform.stop()


def test_apology_only_when_the_answer_surely_failed() -> None:
    """Timeouts and dropped connections may have delivered the card: no apology then."""
    from telegram.error import BadRequest, NetworkError, TimedOut

    from careerbot_telegram._app import delivery_unknown

    assert delivery_unknown(TimedOut())
    assert delivery_unknown(NetworkError("httpx.ReadError: "))
    assert not delivery_unknown(NetworkError("Internal Server Error"))
    assert not delivery_unknown(BadRequest("Message is too long"))
