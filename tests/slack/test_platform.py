"""The platform object the server runs: routes, settings checks, editing pinned cards."""

from __future__ import annotations

import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from careerbot_chat import CareerBot, Chat, PlatformError, SettingsError, load_catalog
from careerbot_chat.answering._compose import help_reply
from careerbot_chat.service._settings import Settings
from careerbot_slack import create_platform, run_dev
from tests.slack import builders as b
from tests.slack.conftest import FORM, SlackClient

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


async def test_each_request_gets_the_context_bolts_own_method_makes(slack: SlackClient) -> None:
    """``BoltApp`` copies the app's Web API client instead of building one: the context
    it makes is the one Bolt's own ``_init_context`` makes (a Bolt upgrade that changes
    it fails here), and each request's client is still its own."""
    app = slack.platform.app
    body = b.slash("/role", "mlops")
    ours, bolts = (AsyncBoltRequest(body=body, headers={"content-type": FORM}) for _ in "ab")
    assert ours.context.team_id == "T0CAREER"  # so the client's team_id is set per request
    app._init_context(ours)
    AsyncApp._init_context(app, bolts)
    assert ours.context.keys() == bolts.context.keys()
    for key in ("logger", "token", "listener_runner"):
        assert ours.context[key] is bolts.context[key], key
    mine, theirs = ours.context.client, bolts.context.client
    assert type(mine) is type(theirs)
    assert vars(mine) == vars(theirs)
    assert mine.default_params == {"team_id": "T0CAREER"}
    mine.token = "xoxb-changed-by-a-listener"
    mine.default_params["channel"] = "C9"
    mine.retry_handlers.clear()
    assert app.client.token != mine.token
    assert "channel" not in app.client.default_params
    assert app.client.retry_handlers
