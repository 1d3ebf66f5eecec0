"""The platform object the server runs: routes, settings checks, editing pinned cards."""

from __future__ import annotations

import pytest

from careerbot_chat import CareerBot, Chat, PlatformError, load_catalog
from careerbot_chat.answering._answer import help_reply
from careerbot_chat.service._settings import Settings, SettingsError
from careerbot_slack import create_platform, run_dev
from tests.slack import builders as b
from tests.slack.conftest import SlackClient

CHAT = Chat("slack", b.CHANNEL, is_group=True)


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
