"""Malformed and forged requests against the whole server: a 4xx or a quiet ignore, never a 5xx."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from bench.load import SLACK_SECRET, SLACK_TOKEN, TELEGRAM_TOKEN, WEBHOOK_SECRET
from tests.server.stack import Stack
from tests.slack import builders as slack_builders

# One server for the module: every request here is refused or ignored, and each test
# checks the server is still healthy afterwards.
pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]

FORM = "application/x-www-form-urlencoded"
TELEGRAM_BODIES = [
    b"not json",
    b"[]",
    b'"a string"',
    b"{}",
    b'{"update_id": "seven"}',
    b'{"update_id": 1, "message": "not an object"}',
    b'{"update_id": 2, "message": {"text": "/role"}}',
    b'{"update_id": 3, "chat_boost": {"chat": {"id": 1, "type": "private"}}}',
    b'{"update_id": 4, "some_future_kind": {"x": 1}}',
    json.dumps(
        {
            "update_id": 5,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 1, "type": "private"},
                "text": None,
            },
        }
    ).encode(),
]
SLACK_BODIES = [
    "",
    "command=/role",
    "payload=not-json",
    "payload=%7B%22type%22%3A%22block_actions%22%7D",
    '{"type": "event_callback", "event": {"type": "app_home_opened"}}',
    "command=%2Frole&text=" + "x" * 5000,
]


@pytest.fixture
def stack(stack_for_test: Stack) -> Stack:
    return stack_for_test


def no_secret(response: httpx.Response) -> None:
    for secret in (TELEGRAM_TOKEN, WEBHOOK_SECRET, SLACK_TOKEN, SLACK_SECRET):
        assert secret not in response.text


async def healthy(client: httpx.AsyncClient, stack: Stack) -> None:
    assert (await client.get(f"{stack.url}/healthz")).status_code == 200
    assert stack.process.poll() is None


@pytest.mark.parametrize("body", TELEGRAM_BODIES)
async def test_telegram_malformed_updates(stack: Stack, body: bytes) -> None:
    """Invalid JSON, wrong types, missing fields, unknown kinds: 4xx or 200, never 5xx."""
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{stack.url}/telegram/webhook",
            headers={
                "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
                "Content-Type": "application/json",
            },
            content=body,
        )
        assert response.status_code < 500
        no_secret(response)
        await healthy(client, stack)


@pytest.mark.parametrize("body", SLACK_BODIES)
async def test_slack_malformed_but_signed(stack: Stack, body: str) -> None:
    """Correctly signed nonsense is refused or ignored, never a 5xx."""
    async with httpx.AsyncClient() as client:
        headers = {**slack_builders.sign(body, secret=SLACK_SECRET), "Content-Type": FORM}
        response = await client.post(f"{stack.url}/slack/events", headers=headers, content=body)
        assert response.status_code < 500
        no_secret(response)
        await healthy(client, stack)


async def test_huge_bodies_refused(stack: Stack) -> None:
    """Bodies over the cap are refused with 413 on both routes, before any parsing."""
    huge = b"x" * (2 * 1024 * 1024)
    async with httpx.AsyncClient() as client:
        telegram = await client.post(
            f"{stack.url}/telegram/webhook",
            content=huge,
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        )
        slack = await client.post(
            f"{stack.url}/slack/events",
            content=huge,
            headers={**slack_builders.sign("x"), "Content-Type": FORM},
        )
        assert telegram.status_code == 413
        assert slack.status_code == 413
        await healthy(client, stack)


async def test_slack_signatures(stack: Stack) -> None:
    """Missing, wrong, stale or replayed-with-another-body signatures all get 401."""
    good = slack_builders.slash("/role", "mlops", response_url=stack.slack.response_url())
    other = slack_builders.slash("/careerbot", "setrole mlops", user=slack_builders.ADMIN)
    signed = slack_builders.sign(good, secret=SLACK_SECRET)
    cases = {
        "missing": {},
        "wrong": slack_builders.sign(good, secret="not-the-secret"),
        "stale": slack_builders.sign(good, secret=SLACK_SECRET, timestamp=int(time.time()) - 600),
        "replayed": signed,
    }
    async with httpx.AsyncClient() as client:
        for name, headers in cases.items():
            body = other if name == "replayed" else good
            response = await client.post(
                f"{stack.url}/slack/events", content=body, headers={**headers, "Content-Type": FORM}
            )
            assert response.status_code == 401, name
        accepted = await client.post(
            f"{stack.url}/slack/events", content=good, headers={**signed, "Content-Type": FORM}
        )
        assert accepted.status_code == 200
    assert stack.slack.to("chat.postMessage") == []
