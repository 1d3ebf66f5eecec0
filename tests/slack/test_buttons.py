"""Buttons end to end: run a command in place, share, stale cards."""

from __future__ import annotations

from careerbot_chat import load_catalog, messages
from careerbot_slack import _words as words
from tests.slack import builders as b
from tests.slack.conftest import SlackClient

ROLE = load_catalog().roles[0]
SENIOR = next(level for level in ROLE.ladder if level.id == "senior")


async def test_level_switch_replaces_private_card(slack: SlackClient) -> None:
    """A level button on a private salary card replaces that card in place."""
    response = await slack.press("careerbot_run_1", f"/salary {SENIOR.id} {ROLE.slug}")
    assert response.status_code == 200
    [reply] = slack.fake.responses
    assert reply.method == "action"
    assert reply.params["replace_original"] is True
    assert SENIOR.label in reply.params["blocks"][0]["text"]["text"]
    assert "careerbot_share" in str(reply.params["blocks"])


async def test_button_on_shared_card_answers_presser_privately(slack: SlackClient) -> None:
    """On a card everyone sees, a button answers only the presser and leaves the card alone."""
    await slack.press("careerbot_run_0", f"/skills {ROLE.slug}", ephemeral=False)
    [reply] = slack.fake.responses
    assert reply.params["replace_original"] is False
    assert reply.params["response_type"] == "ephemeral"
    assert "skills" in reply.params["blocks"][0]["text"]["text"]


async def test_stale_button_says_out_of_date(slack: SlackClient) -> None:
    """A button for a role no longer in the catalogue answers "this card is out of date"."""
    await slack.press("careerbot_run_0", "/salary senior quantum-plumber")
    [reply] = slack.fake.responses
    assert reply.params["text"] == messages.CARD_OUT_OF_DATE
    assert slack.fake.to("chat.postMessage") == []


async def test_share_posts_card_for_everyone(slack: SlackClient) -> None:
    """Share in channel posts the very card asked for (the member's words kept: a filtered
    FAQ stays filtered) with chat.postMessage, and drops the private copy."""
    private = (await slack.command("/faq", "mlops backend")).json()
    share = private["blocks"][-1]["elements"][-1]
    await slack.press(share["action_id"], share["value"])
    [posted] = slack.fake.to("chat.postMessage")
    assert posted["channel"] == b.CHANNEL
    assert posted["blocks"][:-1] == private["blocks"][:-1]
    assert posted["blocks"][-1]["elements"][-1]["action_id"] == "careerbot_pin"
    assert posted["text"] == private["text"]
    [cleanup] = slack.fake.responses
    assert cleanup.params["delete_original"] is True


async def test_share_without_membership_tells_to_invite(slack: SlackClient) -> None:
    """Sharing where the bot is not a member explains how to invite it."""
    slack.fake.fail("chat.postMessage", "not_in_channel")
    await slack.press("careerbot_share", f"/role {ROLE.slug}")
    [reply] = slack.fake.responses
    assert reply.params["text"] == words.NOT_IN_CHANNEL
    assert reply.params.get("delete_original") is not True


async def test_share_of_stale_card_posts_nothing(slack: SlackClient) -> None:
    """Sharing a card whose role is gone posts nothing and says the card is out of date."""
    await slack.press("careerbot_share", "/role quantum-plumber")
    assert slack.fake.to("chat.postMessage") == []
    [reply] = slack.fake.responses
    assert reply.params["text"] == messages.CARD_OUT_OF_DATE


async def test_moderator_command_in_button_is_refused(slack: SlackClient) -> None:
    """A forged run button carrying ``/setrole`` is treated as stale, not obeyed."""
    await slack.press("careerbot_run_0", f"/setrole {ROLE.slug}", user=b.ADMIN)
    [reply] = slack.fake.responses
    assert reply.params["text"] == messages.CARD_OUT_OF_DATE
    assert await slack.bot.store.get_default_role("slack", b.CHANNEL) is None  # type: ignore[union-attr]
