"""Stopping drains: work a platform accepted is finished before the process exits."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx
import pytest

from careerbot_chat import PinnedCard, SQLiteStore
from careerbot_slack import _words as slack_words
from tests.server.stack import Stack
from tests.slack import builders as slack_builders

pytestmark = pytest.mark.slow


async def test_slow_pin_under_sigterm_is_posted_pinned_and_recorded(
    stack: Stack, tmp_path: Path
) -> None:
    """A Slack /pin still pinning when SIGTERM arrives ends posted, pinned and recorded."""
    stack.slack.add_user(slack_builders.ADMIN, admin=True)
    stack.slack.delay("pins.add", 3.5)  # past the 2.5 s answer budget
    body = slack_builders.slash(
        "/careerbot",
        "pin mlops",
        user=slack_builders.ADMIN,
        response_url=stack.slack.response_url("pin"),
    )
    headers = {**slack_builders.sign(body), "Content-Type": "application/x-www-form-urlencoded"}
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{stack.url}/slack/events", headers=headers, content=body)
    assert answer.json()["text"] == slack_words.STILL_WORKING
    assert await recorded_pins(tmp_path) == []  # pins.add is still in flight

    stack.process.send_signal(signal.SIGTERM)
    code = await asyncio.to_thread(stack.process.wait, 30)
    assert code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after a graceful stop

    [posted] = stack.slack.to("chat.postMessage")
    assert posted["channel"] == slack_builders.CHANNEL
    [pinned] = stack.slack.to("pins.add")
    [record] = await recorded_pins(tmp_path)
    assert record.message_id == pinned["timestamp"]
    assert record.role == "mlops-engineer"
    [follow_up] = stack.slack.responses
    assert "Pinned the MLOps Engineer card" in follow_up.params["text"]


async def recorded_pins(tmp_path: Path) -> list[PinnedCard]:
    """The pins the server's SQLite file holds now."""
    store = SQLiteStore(tmp_path / "db.sqlite3")
    await store.open()
    try:
        return await store.pins("slack", slack_builders.CHANNEL)
    finally:
        await store.close()
