"""The platform's lifecycle and failure handling: menu, webhook, edits, 429, 500, blocked users."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from careerbot_chat import (
    COMMANDS,
    CareerBot,
    Chat,
    PlatformError,
    Reply,
    member_commands,
    messages,
)
from careerbot_telegram import TelegramPlatform, run_dev
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi
from tests.telegram.builders import GROUP_ID, MEMBER_ID, as_update, group_update, text_update
from tests.telegram.clock import VirtualClock
from tests.telegram.conftest import SECRET, TEST_LIMITS, make_settings

Process = Callable[[dict[str, Any]], Awaitable[None]]
WEBHOOK_URL = "https://bot.example.com/telegram/webhook"


async def test_start_publishes_the_menu_and_sets_the_webhook(
    fake: FakeTelegram, careerbot: CareerBot
) -> None:
    """start(): getMe, member commands for all, every command for admins, then setWebhook."""
    platform = TelegramPlatform(
        make_settings(fake.url, telegram_webhook_url=WEBHOOK_URL), careerbot, limits=TEST_LIMITS
    )
    await platform.start()
    try:
        assert [c.method for c in fake.calls] == [
            "getMe",
            "setMyCommands",
            "setMyCommands",
            "setWebhook",
        ]
        everyone, admins = fake.called("setMyCommands")
        assert "scope" not in everyone.params
        assert [c["command"] for c in everyone.params["commands"]] == [
            s.name for s in member_commands()
        ]
        assert admins.params["scope"] == {"type": "all_chat_administrators"}
        assert [c["command"] for c in admins.params["commands"]] == [s.name for s in COMMANDS]
        (webhook,) = fake.called("setWebhook")
        assert webhook.params["url"] == WEBHOOK_URL
        assert webhook.params["secret_token"] == SECRET
        assert set(webhook.params["allowed_updates"]) == {
            "message",
            "callback_query",
            "inline_query",
        }
    finally:
        await platform.stop()


async def test_without_webhook_url_no_webhook_is_set(
    fake: FakeTelegram, careerbot: CareerBot
) -> None:
    """Without TELEGRAM_WEBHOOK_URL the webhook is left to whoever manages it: not set, not
    deleted, on start or on stop."""
    platform = TelegramPlatform(make_settings(fake.url), careerbot, limits=TEST_LIMITS)
    await platform.start()
    try:
        assert [c.method for c in fake.calls] == ["getMe", "setMyCommands", "setMyCommands"]
    finally:
        await platform.stop()
    assert fake.called("setWebhook") == fake.called("deleteWebhook") == []


async def test_failing_menu_does_not_stop_the_bot(
    fake: FakeTelegram, careerbot: CareerBot, caplog: pytest.LogCaptureFixture
) -> None:
    """If setMyCommands fails the bot still starts, with a warning."""
    fake.fail("setMyCommands", 500)
    platform = TelegramPlatform(make_settings(fake.url), careerbot, limits=TEST_LIMITS)
    await platform.start()
    await platform.stop()
    assert any(
        "command menu" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
    )


async def test_failing_set_webhook_fails_start(fake: FakeTelegram, careerbot: CareerBot) -> None:
    """A webhook Telegram refused is a start-up error, not a silent one."""
    fake.fail("setWebhook", 400, description="Bad Request: bad webhook: HTTPS url must be provided")
    platform = TelegramPlatform(
        make_settings(fake.url, telegram_webhook_url=WEBHOOK_URL), careerbot, limits=TEST_LIMITS
    )
    with pytest.raises(PlatformError, match=r"(?i)bad webhook") as raised:
        await platform.start()
    await platform.stop()
    assert raised.value.method == "setWebhook"


async def test_edit_card_edits_in_place(fake: FakeTelegram, platform: TelegramPlatform) -> None:
    """edit_card rewrites a posted card; the same content again ("not modified") is success."""
    chat = Chat("telegram", str(GROUP_ID), is_group=True)
    await platform.edit_card(chat, "42", Reply("Fresh card"))
    await platform.edit_card(chat, "42", Reply("Fresh card"))
    first, second = fake.called("editMessageText")
    assert second.params == first.params
    assert (first.params["chat_id"], first.params["message_id"]) == (GROUP_ID, 42)
    assert first.params["text"] == "<b>Fresh card</b>"


async def test_edit_card_failure_raises_platform_error(
    fake: FakeTelegram, platform: TelegramPlatform
) -> None:
    """Any other edit failure (the card was deleted) raises PlatformError naming the method."""
    fake.fail("editMessageText", 400, description="Bad Request: message to edit not found")
    chat = Chat("telegram", str(GROUP_ID), is_group=True)
    with pytest.raises(PlatformError) as raised:
        await platform.edit_card(chat, "42", Reply("Fresh card"))
    assert raised.value.method == "editMessageText"
    assert "not found" in raised.value.reason


async def test_flood_limit_is_honoured_then_retried(
    fake: FakeTelegram, process: Process, clock: VirtualClock
) -> None:
    """A 429 with retry_after is waited out and the same message sent again, successfully."""
    fake.fail("sendMessage", 429, retry_after=1)
    await process(text_update("/role mlops"))
    first, second = fake.called("sendMessage")
    assert first.params == second.params
    assert clock.sleeps == [pytest.approx(1.0)]
    assert messages.SORRY not in fake.sent_texts()


async def test_flood_limit_past_the_retries_is_logged_not_apologised(
    fake: FakeTelegram, process: Process, clock: VirtualClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Still 429 after the retries (two here): a warning, and no apology into the flood."""
    fake.fail("sendMessage", 429, retry_after=3, times=3)
    update = text_update("/role mlops")
    await process(update)
    assert len(fake.called("sendMessage")) == 3
    assert clock.sleeps == [pytest.approx(3.0), pytest.approx(3.0)]
    (warning,) = [r for r in caplog.records if "flood-limited after retries" in r.getMessage()]
    assert str(update["update_id"]) in warning.getMessage()


async def test_server_error_is_logged_and_survived(
    fake: FakeTelegram, process: Process, caplog: pytest.LogCaptureFixture
) -> None:
    """A 500 is logged with the update id; the user gets a short apology; the next update works."""
    fake.fail("sendMessage", 500)
    update = group_update("/role mlops")
    await process(update)
    failed, apology = fake.called("sendMessage")
    assert failed.params["text"].startswith("<b>MLOps Engineer")
    assert apology.params == {
        "chat_id": GROUP_ID,
        "text": messages.SORRY,
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    errors = [
        r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "careerbot.telegram"
    ]
    assert len(errors) == 1
    assert str(update["update_id"]) in errors[0].getMessage()
    assert getattr(errors[0], "update_id", None) == update["update_id"]
    await process(group_update("/roles"))
    assert fake.called("sendMessage")[-1].params["text"].startswith("<b>Roles I know")


async def test_blocked_user_is_not_an_error(
    fake: FakeTelegram, process: Process, caplog: pytest.LogCaptureFixture
) -> None:
    """A user who blocked the bot (403) is noted, not logged as an error, and not retried."""
    fake.fail("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    await process(text_update("/role mlops"))
    assert len(fake.called("sendMessage")) == 1
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_token_never_appears_in_logs(
    careerbot: CareerBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Start, answers, failures and stop at DEBUG level: no log line holds the bot token."""
    # A token of an unusual shape, which the suite's generic token pattern does not
    # redact: only the adapter's own guard stands between it and the log.
    token = "4242:unusual-token"
    for name in ("", "httpx", "httpcore"):  # "": the root; the suite quiets httpx otherwise
        caplog.set_level(logging.DEBUG, logger=name or None)
    api = FakeTelegram(token)
    async with serve_asgi(api.app, lifespan="off") as url:
        settings = make_settings(url, telegram_bot_token=token)
        platform = TelegramPlatform(settings, careerbot, limits=TEST_LIMITS)
        await platform.start()
        try:
            api.fail("sendMessage", 500)
            for text in ("/role mlops", "/salary senior", "/pin"):
                update = as_update(group_update(text), platform.application.bot)
                await platform.application.process_update(update)
        finally:
            await platform.stop()
    assert len(api.called("sendMessage")) == 4  # three answers and one apology
    assert any(r.name == "httpx" for r in caplog.records)  # the logger that would leak it
    assert token not in caplog.text
    assert all(token not in r.getMessage() for r in caplog.records)


async def test_run_dev_polls_and_warns_about_the_webhook(
    fake: FakeTelegram, careerbot: CareerBot, caplog: pytest.LogCaptureFixture
) -> None:
    """careerbot run telegram: warns that polling drops the webhook, then answers polled updates."""
    fake.queue_update(text_update("/role mlops"))
    task = asyncio.create_task(run_dev(make_settings(fake.url), careerbot, limits=TEST_LIMITS))
    try:
        (sent,) = await fake.wait_for("sendMessage")
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert sent.params["chat_id"] == MEMBER_ID
    assert fake.called("deleteWebhook")
    assert len(fake.called("setMyCommands")) == 2
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("deletes any webhook" in w for w in warnings)


def test_flood_limits_from_settings() -> None:
    """Telegram's published limits by default; TELEGRAM_RATE_LIMIT=0 turns the overall one off."""
    from careerbot_telegram import FloodLimits

    default = FloodLimits.from_settings(make_settings("http://127.0.0.1:9"))
    assert (default.overall_per_second, default.group_per_minute) == (30, 20)
    off = FloodLimits.from_settings(make_settings("http://127.0.0.1:9", telegram_rate_limit=0))
    assert off.overall_per_second == 0
