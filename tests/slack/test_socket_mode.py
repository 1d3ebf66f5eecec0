"""Socket Mode (``careerbot run slack``) end to end: slack_sdk's real client against the
fake Socket Mode server (a WebSocket on 127.0.0.1) and the fake Web API over HTTP."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable

import pytest

from careerbot_chat import (
    CareerBot,
    Settings,
    SettingsError,
    SQLiteStore,
    StartupError,
    load_catalog,
)
from careerbot_chat.adapter import Backoff
from careerbot_slack import SocketModePlatform
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackApi
from tests.fakes.slack_socket import FakeSocketMode
from tests.slack import builders as b

PING = 0.2
"""slack_sdk's ping interval here: how soon it notices a dropped link or retries one."""


async def until(condition: Callable[[], bool], within: float = 10.0) -> None:
    """Poll ``condition`` until it holds; fail after ``within`` seconds."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 - the client's state announces no event
            await asyncio.sleep(0.01)


@pytest.fixture
async def socket_mode(fake_slack: FakeSlackApi) -> AsyncIterator[FakeSocketMode]:
    server = FakeSocketMode()
    await server.start()
    fake_slack.socket_url = server.url
    yield server
    await server.stop()


def make_settings(fake: FakeSlackApi, *, app_token: str | None = None) -> Settings:
    return Settings(
        _env_file=None,
        slack_bot_token=b.TOKEN,
        slack_app_token=app_token or fake.app_token,
        slack_api_base_url=f"{fake.base}/api/",
    )


def make_platform(
    fake: FakeSlackApi, store: SQLiteStore, *, app_token: str | None = None
) -> SocketModePlatform:
    return SocketModePlatform(
        make_settings(fake, app_token=app_token),
        CareerBot(load_catalog(), store),
        learn_pauses=Backoff(0.0, 0.0),
        connect_pauses=Backoff(0.05, 0.2),
        ping_interval=PING,
    )


@pytest.fixture
async def platform(
    fake_slack: FakeSlackApi, socket_mode: FakeSocketMode, sqlite_store: SQLiteStore
) -> AsyncIterator[SocketModePlatform]:
    started = make_platform(fake_slack, sqlite_store)
    await started.start()
    try:
        yield started
    finally:
        await started.stop()


async def test_a_slash_command_is_acknowledged_with_its_answer(
    platform: SocketModePlatform, socket_mode: FakeSocketMode, fake_slack: FakeSlackApi
) -> None:
    """/role mlops over the link: the acknowledgement carries the card; nothing else is sent."""
    envelope = await socket_mode.send_command(b.slash("/role", "mlops"))
    ack = await socket_mode.acknowledged(envelope)
    assert "MLOps Engineer" in json.dumps(ack["payload"])
    assert ack["payload"]["blocks"]
    assert fake_slack.to("chat.postMessage") == []


async def test_an_app_mention_is_answered_in_its_thread(
    platform: SocketModePlatform, socket_mode: FakeSocketMode, fake_slack: FakeSlackApi
) -> None:
    """An ``app_mention`` is acknowledged and answered in its thread (chat.postMessage)."""
    mention = f"<@{BOT_USER_ID}> how much does a senior make?"
    envelope = await socket_mode.send_event(b.message_event(mention, ts="1700000200.000001"))
    ack = await socket_mode.acknowledged(envelope)
    assert "payload" not in ack
    [posted] = fake_slack.to("chat.postMessage")
    assert (posted["channel"], posted["thread_ts"]) == (b.CHANNEL, "1700000200.000001")
    assert "₹45–80 LPA" in str(posted.get("text", "")) + str(posted.get("blocks", ""))


async def test_a_dropped_link_is_reconnected(
    platform: SocketModePlatform, socket_mode: FakeSocketMode, fake_slack: FakeSlackApi
) -> None:
    """The server closes the link: a new one is opened (a fresh apps.connections.open)
    and the next command on it is answered."""
    await socket_mode.connected(1)
    await socket_mode.drop()
    await socket_mode.connected(2)
    envelope = await socket_mode.send_command(b.slash("/role", "mlops"))
    ack = await socket_mode.acknowledged(envelope)
    assert "MLOps Engineer" in json.dumps(ack["payload"])
    assert len(fake_slack.to("apps.connections.open")) == 2


async def test_stop_finishes_the_envelopes_in_hand(
    platform: SocketModePlatform, socket_mode: FakeSocketMode, fake_slack: FakeSlackApi
) -> None:
    """A mention still being answered when stop() is called is answered and acknowledged
    before the link closes."""
    fake_slack.delay("chat.postMessage", 0.5)
    mention = f"<@{BOT_USER_ID}> senior mlops salary"
    envelope = await socket_mode.send_event(b.message_event(mention))
    await until(lambda: bool(platform.handling))
    await platform.stop()
    assert envelope in socket_mode.acks
    assert len(fake_slack.to("chat.postMessage")) == 1


async def test_a_web_api_outage_at_start_is_one_line_per_retry(
    fake_slack: FakeSlackApi,
    socket_mode: FakeSocketMode,
    sqlite_store: SQLiteStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """apps.connections.open failing (500) twice: two WARNING lines with growing pauses,
    no traceback, then connected."""
    fake_slack.fail("apps.connections.open", status=500, times=2)
    platform = make_platform(fake_slack, sqlite_store)
    await platform.start()
    try:
        await socket_mode.connected(1)
    finally:
        await platform.stop()
    lines = [r for r in caplog.records if "apps.connections.open failed" in r.getMessage()]
    assert [r.levelno for r in lines] == [logging.WARNING] * 2
    pauses = [float(r.getMessage().rsplit("retrying in ", 1)[1].split()[0]) for r in lines]
    assert pauses[1] > pauses[0]
    assert not any(r.exc_info for r in caplog.records)


async def test_an_unreachable_socket_server_is_one_line_per_retry(
    fake_slack: FakeSlackApi,
    socket_mode: FakeSocketMode,
    sqlite_store: SQLiteStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The WebSocket cannot be opened (the server is down): slack_sdk retries, each a
    WARNING line without its traceback; once the server is back, commands are answered."""
    await socket_mode.stop()
    platform = make_platform(fake_slack, sqlite_store)
    starting = asyncio.create_task(platform.start())
    try:
        await until(lambda: sum("Failed to connect" in r.getMessage() for r in caplog.records) >= 2)
        await socket_mode.start()  # the same port
        await starting
        envelope = await socket_mode.send_command(b.slash("/role", "mlops"))
        assert "MLOps Engineer" in json.dumps((await socket_mode.acknowledged(envelope))["payload"])
    finally:
        starting.cancel()
        await platform.stop()
    failed = [r for r in caplog.records if "Failed to connect" in r.getMessage()]
    assert {r.levelno for r in failed} == {logging.WARNING}
    assert not any(r.exc_info for r in caplog.records)


async def test_a_rejected_app_token_cannot_start(
    fake_slack: FakeSlackApi, socket_mode: FakeSocketMode, sqlite_store: SQLiteStore
) -> None:
    """An app token Slack refuses (invalid_auth) is a ``StartupError``, not retried."""
    platform = make_platform(fake_slack, sqlite_store, app_token="xapp-1-not-this-one")
    with pytest.raises(StartupError, match="SLACK_APP_TOKEN was rejected"):
        await platform.start()
    await platform.stop()
    assert len(fake_slack.to("apps.connections.open")) == 1


async def test_the_registration_names_the_socket_mode_runner(fake_slack: FakeSlackApi) -> None:
    """What the core calls for `careerbot run slack`: the runner, and the bare run_dev."""
    from careerbot_slack import ADAPTER

    assert ADAPTER.create_runner is not None
    assert ADAPTER.run_dev is not None
    bot = CareerBot(load_catalog())
    settings = Settings(_env_file=None, slack_bot_token=b.TOKEN, slack_app_token=None)
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        await ADAPTER.run_dev(settings, bot)
    runner = ADAPTER.create_runner(make_settings(fake_slack), bot)
    assert isinstance(runner, SocketModePlatform)
    assert list(runner.routes()) == []
