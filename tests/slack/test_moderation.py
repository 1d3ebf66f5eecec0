"""Moderator commands end to end: who may pin, posting and pinning, and Slack's refusals."""

from __future__ import annotations

import pytest

from careerbot_chat import load_catalog, messages
from careerbot_slack import _words as words
from tests.slack import builders as b
from tests.slack.conftest import SlackClient

ROLE = load_catalog().roles[0]
PINNED = messages.PINNED.format(role=ROLE.title)


async def _pin(slack: SlackClient, user: str) -> str:
    """``/careerbot pin ROLE`` as ``user``; the answer's fallback text."""
    response = await slack.command("/careerbot", f"pin {ROLE.slug}", user=user)
    assert response.status_code == 200
    assert response.json()["response_type"] == "ephemeral"
    return str(response.json()["text"])


async def test_admin_pins_and_it_is_recorded(slack: SlackClient) -> None:
    """A workspace admin's /careerbot pin posts the role card, pins it and records it."""
    assert await _pin(slack, b.ADMIN) == PINNED
    [posted] = slack.fake.to("chat.postMessage")
    [pinned] = slack.fake.to("pins.add")
    assert posted["channel"] == pinned["channel"] == b.CHANNEL
    assert "careerbot_share" not in str(posted["blocks"])
    assert "careerbot_pin" not in str(posted["blocks"])
    [record] = await slack.bot.store.pins("slack", b.CHANNEL)  # type: ignore[union-attr]
    assert record.message_id == pinned["timestamp"]
    assert record.role == ROLE.slug


async def test_listed_moderator_pins_without_lookup(slack: SlackClient) -> None:
    """A user listed in SLACK_MODERATOR_IDS may pin; users.info is not needed."""
    assert await _pin(slack, b.LISTED) == PINNED
    assert slack.fake.to("users.info") == []
    assert len(slack.fake.to("pins.add")) == 1


async def test_member_is_refused_politely(slack: SlackClient) -> None:
    """A member who is neither admin nor listed is refused, and nothing is posted."""
    text = await _pin(slack, b.MEMBER)
    assert text == messages.MODERATORS_ONLY.format(name="pin")
    assert slack.fake.to("users.info") == [{"user": b.MEMBER}]
    assert slack.fake.to("chat.postMessage") == []


async def test_pin_button_on_shared_card(slack: SlackClient) -> None:
    """The Pin button on a shared card runs the same flow and answers the presser privately."""
    await slack.press("careerbot_pin", f"/pin {ROLE.slug}", user=b.ADMIN, ephemeral=False)
    [reply] = slack.fake.responses
    assert reply.params["text"] == PINNED
    assert reply.params["response_type"] == "ephemeral"
    assert len(slack.fake.to("pins.add")) == 1


async def test_pin_button_refuses_member(slack: SlackClient) -> None:
    """A member pressing Pin is refused and nothing is pinned."""
    await slack.press("careerbot_pin", f"/pin {ROLE.slug}", ephemeral=False)
    [reply] = slack.fake.responses
    assert reply.params["text"] == messages.MODERATORS_ONLY.format(name="pin")
    assert slack.fake.to("pins.add") == []


@pytest.mark.parametrize(
    ("method", "error", "hint"),
    [
        ("chat.postMessage", "not_in_channel", words.NOT_IN_CHANNEL),
        ("pins.add", "not_in_channel", words.NOT_IN_CHANNEL),
        ("pins.add", "missing_scope", words.PIN_SCOPE),
    ],
)
async def test_missing_rights_explained(
    slack: SlackClient, method: str, error: str, hint: str
) -> None:
    """When Slack refuses for lack of membership or scope, the moderator is told the fix."""
    slack.fake.fail(method, error)
    assert await _pin(slack, b.ADMIN) == hint
    assert await slack.bot.store.pins("slack", b.CHANNEL) == []  # type: ignore[union-attr]


async def test_already_pinned_is_fine(slack: SlackClient) -> None:
    """``already_pinned`` from pins.add counts as pinned."""
    slack.fake.fail("pins.add", "already_pinned")
    assert await _pin(slack, b.ADMIN) == PINNED


async def test_rate_limit_is_retried(slack: SlackClient) -> None:
    """A 429 with Retry-After on pins.add is retried once, then the pin succeeds."""
    slack.fake.fail("pins.add", "ratelimited", status=429, retry_after=0)
    assert await _pin(slack, b.ADMIN) == PINNED
    assert len(slack.fake.to("pins.add")) == 2


async def test_server_error_reported_not_recorded(slack: SlackClient) -> None:
    """A 500 from Slack becomes "couldn't pin", and no pin is recorded."""
    slack.fake.fail("pins.add", status=500)
    text = await _pin(slack, b.ADMIN)
    assert text.startswith("I couldn't pin that card")
    assert await slack.bot.store.pins("slack", b.CHANNEL) == []  # type: ignore[union-attr]


async def test_unpin_removes_latest_pin(slack: SlackClient) -> None:
    """/careerbot unpin calls pins.remove on the recorded message and forgets it."""
    await _pin(slack, b.ADMIN)
    [pinned] = slack.fake.to("pins.add")
    response = await slack.command("/careerbot", "unpin", user=b.ADMIN)
    assert response.json()["text"] == messages.UNPINNED.format(role=ROLE.title)
    assert slack.fake.to("pins.remove") == [pinned]
    assert await slack.bot.store.pins("slack", b.CHANNEL) == []  # type: ignore[union-attr]


async def test_setrole_sets_channel_default(slack: SlackClient) -> None:
    """/careerbot setrole stores the channel's default role for an admin."""
    response = await slack.command("/careerbot", f"setrole {ROLE.slug}", user=b.ADMIN)
    assert response.json()["text"] == messages.DEFAULT_ROLE_SET.format(role=ROLE.title)
    assert await slack.bot.store.get_default_role("slack", b.CHANNEL) == ROLE.slug  # type: ignore[union-attr]


async def test_stats_for_moderators(slack: SlackClient) -> None:
    """/careerbot stats answers a listed moderator with usage counts."""
    await slack.command("/role", "mlops")
    response = await slack.command("/careerbot", "stats", user=b.LISTED)
    assert response.json()["blocks"][0]["text"]["text"] == messages.STATS_TITLE
    assert "careerbot_share" not in response.text


async def test_moderation_needs_a_channel(slack: SlackClient) -> None:
    """In a direct message with the app, /careerbot pin says it is for channels."""
    response = await slack.command("/careerbot", "pin", user=b.ADMIN, channel=b.DM)
    assert response.json()["text"] == messages.GROUPS_ONLY.format(name="pin")
