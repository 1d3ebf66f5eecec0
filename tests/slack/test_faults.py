"""Faults of the Slack Web API: slow past the timeout, errors, 429s. Nothing half-done is kept."""

from __future__ import annotations

from careerbot_chat import load_catalog, messages
from careerbot_slack import _words as words
from tests.slack import builders as b
from tests.slack.conftest import StartSlack

ROLE = load_catalog().roles[0]


async def test_slow_post_times_out_and_records_nothing(start_slack: StartSlack) -> None:
    """chat.postMessage slower than the timeout: the moderator is told, nothing is recorded."""
    async with start_slack(options={"api_timeout": 0.3}) as slack:
        slack.fake.delay("chat.postMessage", 1.0, times=3)
        response = await slack.command("/careerbot", f"pin {ROLE.slug}", user=b.ADMIN)
        assert response.status_code == 200
        assert "couldn't pin" in response.json()["text"]
        assert slack.fake.to("pins.add") == []
        assert await slack.bot.store.pins() == []  # type: ignore[union-attr]
        other = await slack.command("/salary", "senior", channel="C0OTHER")
        assert "45–80 LPA" in other.json()["text"]


async def test_slow_slack_answers_in_time_then_follows_up(start_slack: StartSlack) -> None:
    """Pinning slower than the budget: Slack hears "on it" at once; the result follows."""
    async with start_slack(options={"answer_budget": 0.2}) as slack:
        slack.fake.delay("chat.postMessage", 0.8)
        response = await slack.command("/careerbot", f"pin {ROLE.slug}", user=b.ADMIN)
        assert response.json()["text"] == words.STILL_WORKING
        (follow_up,) = await slack.fake.wait_for_responses(1)
        assert follow_up.params["text"] == messages.PINNED.format(role=ROLE.title)
        assert len(await slack.bot.store.pins()) == 1  # type: ignore[union-attr]
