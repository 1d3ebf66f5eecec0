"""Questions in words on Slack: @mentions and direct messages, answered in the thread; /ask."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from careerbot_chat import Catalog
from tests.fakes.slack_api import BOT_USER_ID
from tests.slack import builders as b
from tests.slack.conftest import SlackClient, StartSlack


def _text(posted: dict[str, Any]) -> str:
    return str(posted.get("text", "")) + str(posted.get("blocks", ""))


async def test_app_mention_is_answered_in_its_thread(slack: SlackClient) -> None:
    """ "@careerbot how much does a senior make?" gets the senior band in the thread."""
    mention = f"<@{BOT_USER_ID}> how much does a senior make?"
    response = await slack.event(b.message_event(mention, ts="1700000200.000001"))
    assert response.status_code == 200
    [posted] = slack.fake.to("chat.postMessage")
    assert posted["channel"] == b.CHANNEL
    assert posted["thread_ts"] == "1700000200.000001"
    assert "₹45–80 LPA" in _text(posted)
    assert "No role called" not in _text(posted)


@pytest.mark.parametrize("replicas", [1, 2])
async def test_a_follow_up_in_the_thread_is_about_its_card(
    start_slack: StartSlack, staff_in_two_roles: Catalog, replicas: int
) -> None:
    """With two roles, "and staff?" in the thread of the MLOps senior card is MLOps staff,
    also when the follow-up lands on another replica (the store holds the thread's card)."""
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(start_slack(catalog=staff_in_two_roles))
            for _ in range(replicas)
        ]
        first, last = clients[0], clients[-1]
        mention = f"<@{BOT_USER_ID}> senior mlops salary"
        await first.event(b.message_event(mention, ts="1700000300.000001", event_id="Ev0A"))
        again = f"<@{BOT_USER_ID}> and staff?"
        in_thread = b.message_event(
            again, ts="1700000301.000001", thread_ts="1700000300.000001", event_id="Ev0B"
        )
        await last.event(in_thread)
        # Another member, outside the thread: nothing of this conversation carries over
        # (the member who asked would continue their own last card: tests/core).
        elsewhere = b.message_event(again, ts="1700000302.000001", event_id="Ev0C", user="U0OTHER")
        await last.event(elsewhere)
        _, follow_up, unrelated = first.fake.to("chat.postMessage")
    assert follow_up["thread_ts"] == "1700000300.000001"
    assert "₹1.2 Cr+" in _text(follow_up)
    assert "₹70–90 LPA" not in _text(follow_up)
    assert "₹70–90 LPA" in _text(unrelated)  # no thread, no memory: staff across both roles


async def test_direct_message_is_answered_in_its_thread(slack: SlackClient) -> None:
    """A DM in Hinglish is read as a question and answered in its thread."""
    dm = b.message_event(
        "senior mlops ka salary kitna hai", kind="message", channel=b.DM, ts="1700000400.000001"
    )
    assert (await slack.event(dm)).status_code == 200
    [posted] = slack.fake.to("chat.postMessage")
    assert (posted["channel"], posted["thread_ts"]) == (b.DM, "1700000400.000001")
    assert "₹45–80 LPA" in _text(posted)


async def test_bots_edits_and_channel_chatter_are_left_alone(slack: SlackClient) -> None:
    """A bot's DM, an edited message and a plain channel message get no answer."""
    await slack.event(
        b.message_event("senior salary", kind="message", channel=b.DM, bot_id="B0OTHER")
    )
    await slack.event(
        b.message_event(
            "senior salary", kind="message", channel=b.DM, subtype="message_changed", event_id="E2"
        )
    )
    await slack.event(b.message_event("senior salary", kind="message", event_id="E3"))
    await slack.event(
        b.message_event(f"<@{BOT_USER_ID}> hi", bot_id="B0OTHER", event_id="E4"),
    )
    assert slack.fake.to("chat.postMessage") == []


async def test_ask_slash_command_and_umbrella(slack: SlackClient) -> None:
    """/ask and /careerbot ask answer a question in words as the HTTP response."""
    asked = (await slack.command("/ask", "sr mlops ctc?")).json()
    umbrella = (await slack.command("/careerbot", "ask mlops interview tips")).json()
    assert "₹45–80 LPA" in _text(asked)
    assert "DevOps plus scripts" in _text(umbrella)
