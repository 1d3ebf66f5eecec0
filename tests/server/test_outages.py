"""`careerbot serve` and `careerbot run` as processes, with a platform or the database failing."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from bench.load import (
    SLACK_TOKEN,
    TELEGRAM_TOKEN,
    WEBHOOK_SECRET,
    careerbot_serve,
    free_port,
    server_log,
)
from tests.conftest import POSTGRES_URL, _postgres_reachable, _postgres_store
from tests.fakes.hung_tcp import HangingProxy
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegram
from tests.server.stack import env_for
from tests.servers import serve_asgi
from tests.slack import builders as slack_builders
from tests.telegram import builders as tg_builders

pytestmark = pytest.mark.slow

EXIT_DEADLINE = 20.0
"""A process that cannot start must be gone by then (it exits within seconds; CI is slow)."""
SLACK_BUDGET = 3.0
"""Slack shows an error when a slash command is not answered within 3 s."""
PROBE_BUDGET = 2.0
"""`/readyz` answers within its probe's 2 s."""


def slash(fake: FakeSlackApi, command: str, text: str) -> dict[str, Any]:
    body = slack_builders.slash(command, text, response_url=fake.response_url())
    headers = {**slack_builders.sign(body), "Content-Type": "application/x-www-form-urlencoded"}
    return {"headers": headers, "content": body}


def telegram_post(update: dict[str, Any]) -> dict[str, Any]:
    return {
        "headers": {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        "content": json.dumps(update).encode(),
    }


async def wait_ready(client: httpx.AsyncClient, url: str, within: float = 30.0) -> None:
    """Poll `/readyz` until every part is ready (the event), failing after ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (response := await client.get(f"{url}/readyz")).json().get("status") != "ready":
        assert loop.time() < deadline, response.text
        await asyncio.sleep(0.1)


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`careerbot ARGS` to its end; ``TimeoutExpired`` if it is still running at the deadline."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_"))}
    return subprocess.run(
        [sys.executable, "-m", "careerbot_chat.cli", *args],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=EXIT_DEADLINE,
        check=False,
    )


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTelegram, FakeSlackApi, str]]:
    """The fake Slack API served; the fake Telegram made but not served (its URL reserved)."""
    telegram, slack = FakeTelegram(TELEGRAM_TOKEN), FakeSlackApi(SLACK_TOKEN)
    telegram.url = f"http://127.0.0.1:{free_port()}"
    async with serve_asgi(slack.app) as slack_url:
        slack.base = slack_url
        yield telegram, slack, slack_url


async def test_telegram_unreachable_at_start_is_retried_while_slack_serves(
    fakes: tuple[FakeTelegram, FakeSlackApi, str], tmp_path: Path
) -> None:
    """Telegram down at start: Slack, health and metrics serve, /readyz is degraded naming telegram;
    when the Bot API comes up, Telegram is started in the background and answers."""
    telegram, slack, slack_url = fakes
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = env_for(telegram.url, slack_url, f"sqlite:///{tmp_path}/db.sqlite3")
    hooks = {"response": [telegram.read_webhook_answer]}  # as Telegram reads our answers
    async with (
        careerbot_serve(env, port, wait_ready=False),
        httpx.AsyncClient(event_hooks=hooks) as client,
    ):
        answer = await client.post(f"{url}/slack/events", **slash(slack, "/salary", "senior"))
        assert answer.status_code == 200
        assert "45–80 LPA" in answer.json()["text"]
        assert (await client.get(f"{url}/metrics")).status_code == 200
        ready = await client.get(f"{url}/readyz")
        assert ready.status_code == 200  # Slack serves: the replica stays in service
        assert ready.json()["status"] == "degraded"
        assert ready.json()["degraded"] == ["telegram"]
        update = tg_builders.text_update("/role mlops")
        early = await client.post(f"{url}/telegram/webhook", **telegram_post(update))
        assert early.status_code == 503  # Telegram delivers it again later

        port_of_telegram = urlparse(telegram.url).port
        async with serve_asgi(telegram.app, port=port_of_telegram or 0):
            await wait_ready(client, url)
            again = await client.post(f"{url}/telegram/webhook", **telegram_post(update))
            assert again.status_code == 200
            (sent,) = await telegram.wait_for("sendMessage", count=1)
    assert "MLOps Engineer" in sent.params["text"]


async def test_rejected_token_exits_at_once_with_one_line(
    fakes: tuple[FakeTelegram, FakeSlackApi, str], tmp_path: Path
) -> None:
    """A token the Bot API rejects cannot start by waiting: exit 1, one line, nothing left open."""
    telegram, _, slack_url = fakes
    telegram.fail("getMe", 401, times=100)
    async with serve_asgi(telegram.app) as tg_url:
        env = env_for(tg_url, slack_url, f"sqlite:///{tmp_path}/db.sqlite3")
        env["CAREERBOT_LOG_LEVEL"] = "CRITICAL"
        done = await asyncio.to_thread(
            run_cli, ["serve", "--port", str(free_port())], env, tmp_path
        )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "careerbot: cannot start: TELEGRAM_BOT_TOKEN was rejected by the Bot API "
        "(getMe: unauthorized)"
    ]
    assert TELEGRAM_TOKEN not in done.stderr


async def test_port_in_use_exits_with_the_cause(tmp_path: Path) -> None:
    """A port already taken: exit 1 naming the address; the store's thread does not hold it."""
    env = {"CAREERBOT_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    async with serve_asgi(FakeTelegram(TELEGRAM_TOKEN).app) as taken:
        port = str(urlparse(taken).port)
        done = await asyncio.to_thread(run_cli, ["serve", "--port", port], env, tmp_path)
    assert done.returncode == 1
    assert "address already in use" in done.stderr.lower()
    assert "Traceback" not in done.stderr


async def test_slack_answers_while_its_web_api_fails(
    fakes: tuple[FakeTelegram, FakeSlackApi, str], tmp_path: Path
) -> None:
    """auth.test answering 503: a signed /salary senior still gets its card (no API needed)."""
    telegram, slack, slack_url = fakes
    slack.fail("auth.test", status=503, times=1000)
    port = free_port()
    env = env_for(telegram.url, slack_url, f"sqlite:///{tmp_path}/db.sqlite3")
    del env["TELEGRAM_BOT_TOKEN"]
    async with careerbot_serve(env, port), httpx.AsyncClient() as client:
        answer = await client.post(
            f"http://127.0.0.1:{port}/slack/events", **slash(slack, "/salary", "senior")
        )
    assert answer.status_code == 200
    assert "45–80 LPA" in answer.json()["text"]
    assert slack.to("auth.test")  # tried, in the background


async def test_hung_postgres_keeps_answers_fast_and_readiness_honest(
    fakes: tuple[FakeTelegram, FakeSlackApi, str],
) -> None:
    """PostgreSQL freezes (accepts, never answers): Slack answers within its 3 s, /readyz
    within 2 s naming the database, and a duplicate Telegram update is answered once.
    The outage is logged once, not per message; stopping then drops the hung
    connections: one line each, no traceback."""
    reason = _postgres_reachable()
    if reason is not None:
        pytest.skip(reason)
    await _postgres_store()  # a clean schema
    telegram, slack, slack_url = fakes
    target = urlparse(POSTGRES_URL)
    proxy = HangingProxy((target.hostname or "127.0.0.1", target.port or 5432))
    async with proxy, serve_asgi(telegram.app, port=urlparse(telegram.url).port or 0):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = env_for(telegram.url, slack_url, proxy.url(POSTGRES_URL))
        hooks = {"response": [telegram.read_webhook_answer]}  # as Telegram reads our answers
        log_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
        serving = careerbot_serve(env, port, log_file=log_file)
        async with serving, httpx.AsyncClient(event_hooks=hooks) as client:
            proxy.hang()
            update = tg_builders.text_update("/salary staff")
            for _ in range(3):
                delivered = await client.post(
                    f"{url}/telegram/webhook", timeout=SLACK_BUDGET, **telegram_post(update)
                )
                assert delivered.status_code == 200
            for text in ("senior", "staff", "senior mlops", "5 years"):
                answer = await client.post(
                    f"{url}/slack/events", timeout=SLACK_BUDGET, **slash(slack, "/salary", text)
                )
                assert answer.status_code == 200
                assert "LPA" in answer.json()["text"] or "Cr" in answer.json()["text"]
            ready = await client.get(f"{url}/readyz", timeout=PROBE_BUDGET)
            assert ready.status_code == 503
            assert ready.json()["not_ready"] == ["database"]
            await telegram.wait_for("sendMessage", count=1)
            later = await client.post(f"{url}/telegram/webhook", **telegram_post(update))
            assert later.status_code == 200
        proxy.resume()
    assert len(telegram.called("sendMessage")) == 1
    with log_file:
        logged = server_log(log_file)
    assert "Traceback" not in logged, logged
    # the guard says once that the database is away; each message does not repeat it
    assert logged.count("a conversation's context") <= 4, logged
    assert "PostgreSQL did not close within" in logged, logged


async def test_run_telegram_without_network_is_one_line(tmp_path: Path) -> None:
    """`careerbot run` with a token and no reachable Bot API: one line, exit 1 (no traceback,
    no "no platform configured")."""
    env = {
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}",
        "CAREERBOT_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    done = await asyncio.to_thread(run_cli, ["run"], env, tmp_path)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("careerbot: cannot start telegram: cannot reach the Bot API at ")
    assert TELEGRAM_TOKEN not in done.stderr


async def test_unknown_database_scheme_is_one_line(tmp_path: Path) -> None:
    """`CAREERBOT_DATABASE_URL=mysql://…`: one line naming the variable, exit 2 (a setting)."""
    env = {"CAREERBOT_DATABASE_URL": "mysql://root@127.0.0.1/careerbot"}
    done = await asyncio.to_thread(run_cli, ["serve", "--port", str(free_port())], env, tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "careerbot: configuration error: CAREERBOT_DATABASE_URL: "
        "must start with sqlite:// or postgresql://"
    ]
