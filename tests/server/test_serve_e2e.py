"""`careerbot serve` as operators run it, with both platforms against their fakes."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.load import (
    SLACK_TOKEN,
    TELEGRAM_TOKEN,
    WEBHOOK_SECRET,
    careerbot_serve,
    free_port,
    telegram_requests,
)
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegram
from tests.server.stack import Stack, env_for
from tests.servers import serve_asgi
from tests.slack import builders as slack_builders
from tests.telegram import builders as tg_builders

pytestmark = pytest.mark.slow


def telegram_post(update: dict[str, Any]) -> dict[str, Any]:
    return {
        "headers": {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        "content": json.dumps(update).encode(),
    }


def as_telegram(stack: Stack) -> httpx.AsyncClient:
    """A client that, like Telegram, runs the Bot API call a webhook answer carries."""
    return httpx.AsyncClient(event_hooks={"response": [stack.telegram.read_webhook_answer]})


async def test_both_platforms_answer_through_one_server(stack: Stack) -> None:
    """A Slack slash command is answered in its HTTP body; a Telegram update in its webhook's."""
    body = slack_builders.slash("/salary", "senior mlops", response_url=stack.slack.response_url())
    headers = {**slack_builders.sign(body), "Content-Type": "application/x-www-form-urlencoded"}
    async with as_telegram(stack) as client:
        slack = await client.post(f"{stack.url}/slack/events", headers=headers, content=body)
        assert slack.status_code == 200
        assert "45–80 LPA" in slack.json()["text"]
        update = tg_builders.text_update("/role mlops")
        telegram = await client.post(f"{stack.url}/telegram/webhook", **telegram_post(update))
        assert telegram.status_code == 200
        (sent,) = await stack.telegram.wait_for("sendMessage", count=1)
        assert "MLOps Engineer" in sent.params["text"]
        metrics = (await client.get(f"{stack.url}/metrics")).text
    assert (
        'careerbot_commands_total{command="salary",outcome="answered",platform="slack"} 1.0'
        in metrics
    )
    assert (
        'careerbot_commands_total{command="role",outcome="answered",platform="telegram"} 1.0'
        in metrics
    )
    assert (
        'careerbot_platform_api_calls_total{method="sendMessage",platform="telegram",'
        'via="webhook_reply"} 1.0' in metrics
    )


async def test_same_update_twice_answered_once(stack: Stack) -> None:
    """A retried webhook delivery of one update id gets one answer."""
    update = tg_builders.text_update("/salary staff")
    async with as_telegram(stack) as client:
        for _ in range(3):
            response = await client.post(f"{stack.url}/telegram/webhook", **telegram_post(update))
            assert response.status_code == 200
    # The webhook decides before it answers 200: two deliveries were dropped, one queued.
    async with httpx.AsyncClient() as client:
        metrics = (await client.get(f"{stack.url}/metrics")).text
    assert 'careerbot_duplicate_updates_total{platform="telegram"} 2.0' in metrics
    (sent,) = await stack.telegram.wait_for("sendMessage", count=1)
    assert "₹1.2 Cr+" in sent.params["text"]
    stack.process.send_signal(signal.SIGTERM)  # drains what it accepted, then exits
    await asyncio.to_thread(stack.process.wait, 30)
    assert len(stack.telegram.called("sendMessage")) == 1


async def test_sigterm_finishes_accepted_updates(stack: Stack) -> None:
    """Updates accepted before SIGTERM are all answered; the process exits cleanly."""
    requests = telegram_requests(stack.url, 40)
    async with as_telegram(stack) as client:
        responses = await asyncio.gather(
            *(client.post(url, headers=headers, content=body) for url, headers, body in requests)
        )
    assert {r.status_code for r in responses} == {200}
    stack.process.send_signal(signal.SIGTERM)
    code = await asyncio.to_thread(stack.process.wait, 30)
    assert code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after a graceful stop
    answered = {call.params["chat_id"] for call in stack.telegram.called("sendMessage")}
    assert len(answered) == 40


async def test_database_down_is_not_ready_but_answers(tmp_path: Path) -> None:
    """PostgreSQL unreachable: /readyz is 503 naming the database; commands still answer."""
    telegram, slack = FakeTelegram(TELEGRAM_TOKEN), FakeSlackApi(SLACK_TOKEN)
    dead = f"postgresql://postgres@127.0.0.1:{free_port()}/test"
    async with serve_asgi(telegram.app) as tg_url, serve_asgi(slack.app) as slack_url:
        telegram.url, slack.base = tg_url, slack_url
        port = free_port()
        env = env_for(tg_url, slack_url, dead)
        async with careerbot_serve(env, port, wait_ready=False), httpx.AsyncClient() as client:
            ready = await client.get(f"http://127.0.0.1:{port}/readyz")
            assert ready.status_code == 503
            assert ready.json()["not_ready"] == ["database"]
            body = slack_builders.slash("/role", "mlops", response_url=slack.response_url())
            headers = {
                **slack_builders.sign(body),
                "Content-Type": "application/x-www-form-urlencoded",
            }
            answer = await client.post(
                f"http://127.0.0.1:{port}/slack/events", headers=headers, content=body
            )
            assert answer.status_code == 200
            assert "MLOps Engineer" in answer.json()["text"]


async def test_sigterm_writes_every_log_line(stack: Stack) -> None:
    """Every answer's request log line, and the lines of the graceful stop itself, are
    written before the process exits on SIGTERM, with status 0."""
    requests = telegram_requests(stack.url, 40)
    async with as_telegram(stack) as client:
        await asyncio.gather(
            *(client.post(url, headers=headers, content=body) for url, headers, body in requests)
        )
    stack.process.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(stack.process.wait, 30) == 0
    lines = [json.loads(line) for line in stack.log().splitlines() if line.startswith("{")]
    answered = [line for line in lines if line["logger"] == "careerbot.requests"]
    assert len(answered) == 40
    assert {line["platform"] for line in answered} == {"telegram"}
    assert lines[-1]["message"] == f"Finished server process [{stack.process.pid}]"
