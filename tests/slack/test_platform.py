"""The platform object the server runs: routes, settings checks, editing pinned cards."""

from __future__ import annotations

import logging

import pytest

from careerbot_chat import (
    CareerBot,
    Chat,
    PlatformError,
    Reply,
    Settings,
    SettingsError,
    SQLiteStore,
    answer,
    load_catalog,
    parse,
)
from careerbot_chat.adapter import Backoff
from careerbot_slack import SlackPlatform, create_platform, run_dev
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackApi
from tests.slack import builders as b
from tests.slack.conftest import SlackClient

CHAT = Chat("slack", b.CHANNEL, is_group=True)


def help_reply() -> Reply:
    """The answer to ``/help``: a card to edit a pinned message into."""
    command = parse("/help")
    assert command is not None
    return answer(command, load_catalog())


async def test_edit_card_updates_message(slack: SlackClient) -> None:
    """edit_card rewrites the posted message with chat.update, without Share or Pin."""
    await slack.platform.edit_card(CHAT, "1700000000.000042", help_reply())
    [update] = slack.fake.to("chat.update")
    assert (update["channel"], update["ts"]) == (b.CHANNEL, "1700000000.000042")
    assert update["blocks"][0]["text"]["text"] == help_reply().title
    assert "careerbot_share" not in str(update["blocks"])


async def test_edit_card_failure_raises_platform_error(slack: SlackClient) -> None:
    """A refused chat.update raises PlatformError naming the method and Slack's reason."""
    slack.fake.fail("chat.update", "message_not_found")
    with pytest.raises(PlatformError) as caught:
        await slack.platform.edit_card(CHAT, "1700000000.000042", help_reply())
    assert (caught.value.method, caught.value.reason) == ("chat.update", "message_not_found")


def test_routes_mount_events_path(slack: SlackClient) -> None:
    """The platform is named slack and mounts POST /slack/events."""
    [route] = slack.platform.routes()
    assert slack.platform.name == "slack"
    assert (route.path, route.methods) == ("/slack/events", {"POST"})


def test_create_platform_needs_signing_secret() -> None:
    """Without SLACK_SIGNING_SECRET the platform refuses to start, naming the setting."""
    settings = Settings(_env_file=None, slack_bot_token=b.TOKEN, slack_signing_secret=None)
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        create_platform(settings, CareerBot(load_catalog()))


async def test_run_dev_needs_app_token() -> None:
    """Socket Mode without SLACK_APP_TOKEN stops with the setting's name."""
    settings = Settings(_env_file=None, slack_bot_token=b.TOKEN, slack_app_token=None)
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        await run_dev(settings, CareerBot(load_catalog()))


def _platform(fake: FakeSlackApi, store: SQLiteStore) -> SlackPlatform:
    """A platform whose auth.test retries do not pause."""
    settings = Settings(
        _env_file=None,
        slack_bot_token=b.TOKEN,
        slack_signing_secret=b.SECRET,
        slack_api_base_url=f"{fake.base}/api/",
    )
    return SlackPlatform(settings, CareerBot(load_catalog(), store), learn_pauses=Backoff(0.0, 0.0))


async def test_auth_test_is_retried_until_it_answers(
    fake_slack: FakeSlackApi, sqlite_store: SQLiteStore, caplog: pytest.LogCaptureFixture
) -> None:
    """auth.test failing twice (503) is tried a third time, and the bot's ids are learned."""
    fake_slack.fail("auth.test", status=503, times=2)
    platform = _platform(fake_slack, sqlite_store)
    await platform.start()
    await platform.identified()
    await platform.stop()
    assert len(fake_slack.to("auth.test")) == 3
    assert platform.identity.bot_user_id == BOT_USER_ID
    retried = [r for r in caplog.records if "auth.test failed" in r.getMessage()]
    assert [r.levelno for r in retried] == [logging.WARNING] * 2


async def test_a_rejected_token_is_not_retried(
    fake_slack: FakeSlackApi, sqlite_store: SQLiteStore, caplog: pytest.LogCaptureFixture
) -> None:
    """auth.test answering ``invalid_auth`` is not tried again; the log says the token is bad."""
    fake_slack.fail("auth.test", "invalid_auth", times=3)
    platform = _platform(fake_slack, sqlite_store)
    await platform.start()
    await platform.identified()
    await platform.stop()
    assert len(fake_slack.to("auth.test")) == 1
    assert platform.identity.bot_user_id is None
    assert "SLACK_BOT_TOKEN was rejected (invalid_auth)" in caplog.text
