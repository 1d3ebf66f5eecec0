"""``careerbot run slack`` (Socket Mode) as a production mode, run as a process against
the fake Web API and the fake Socket Mode server.

SIGINT and SIGTERM stop it with status 0 once the envelopes in hand are answered and
acknowledged; a missing token is one line and status 2; a Web API that cannot be
reached is one line per retry, with backoff, never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bench.load import free_port
from careerbot_chat import PinnedCard, SQLiteStore
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackApi
from tests.fakes.slack_socket import FakeSocketMode
from tests.server.running import environment, finished, lines_until, start_run, stop_with
from tests.servers import serve_asgi
from tests.slack import builders as b

pytestmark = pytest.mark.slow


async def until(condition: Callable[[], bool], within: float = 30.0) -> None:
    """Poll ``condition`` until it holds; fail after ``within`` seconds."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 - the fake announces no event
            await asyncio.sleep(0.01)


@pytest.fixture
async def slack() -> AsyncIterator[tuple[FakeSlackApi, FakeSocketMode]]:
    api, socket_mode = FakeSlackApi(b.TOKEN), FakeSocketMode()
    await socket_mode.start()
    async with serve_asgi(api.app, lifespan="off") as base:
        api.base, api.socket_url = base, socket_mode.url
        yield api, socket_mode
    await socket_mode.stop()
    assert not api.refused, api.refused


def slack_env(tmp_path: Path, api: FakeSlackApi) -> dict[str, str]:
    return environment(
        tmp_path,
        SLACK_BOT_TOKEN=b.TOKEN,
        SLACK_APP_TOKEN=api.app_token,
        SLACK_API_BASE_URL=f"{api.base}/api/",
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_stops_it_after_the_envelope_in_hand(
    sig: signal.Signals, slack: tuple[FakeSlackApi, FakeSocketMode], tmp_path: Path
) -> None:
    """A command is acknowledged with its card; a mention still being answered when the
    signal comes is answered and acknowledged; then status 0, no traceback."""
    api, socket_mode = slack
    process = await start_run(tmp_path, slack_env(tmp_path, api), "slack")
    try:
        await socket_mode.connected(within=30)
        command = await socket_mode.send_command(b.slash("/role", "mlops"))
        card = (await socket_mode.acknowledged(command, within=30))["payload"]
        assert "MLOps Engineer" in json.dumps(card)
        api.delay("chat.postMessage", 1.0)
        mention = f"<@{BOT_USER_ID}> senior mlops salary"
        event = await socket_mode.send_event(b.message_event(mention, ts="1700000300.000001"))
        await until(lambda: bool(api.to("chat.postMessage")))  # in hand: its reply is slow
    finally:
        err = await stop_with(process, sig)
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
    assert event in socket_mode.acks
    [posted] = api.to("chat.postMessage")
    assert posted["thread_ts"] == "1700000300.000001"


@pytest.mark.parametrize("missing", ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"])
async def test_a_missing_token_is_one_line_and_status_2(missing: str, tmp_path: Path) -> None:
    env = environment(tmp_path, SLACK_BOT_TOKEN=b.TOKEN, SLACK_APP_TOKEN="xapp-1-A0-1-token")
    del env[missing]
    err = await finished(await start_run(tmp_path, env, "slack"))
    assert err.strip().splitlines() == [f"careerbot: {missing}: required for Slack"]
    assert b.TOKEN not in err


def unreachable(tmp_path: Path) -> dict[str, str]:
    """The two Socket Mode tokens (no signing secret) and nothing listening at the Web API."""
    return environment(
        tmp_path,
        SLACK_BOT_TOKEN=b.TOKEN,
        SLACK_APP_TOKEN="xapp-1-A0-1-token",
        SLACK_API_BASE_URL=f"http://127.0.0.1:{free_port()}/api/",
    )


async def failures(tmp_path: Path, *args: str, count: int) -> tuple[list[str], int | None]:
    """``careerbot run ARGS`` on ``unreachable``: its first ``count`` failure lines, once
    SIGTERM has stopped it (whose status is the second item); no traceback on the way."""
    process = await start_run(tmp_path, unreachable(tmp_path), *args)
    assert process.stderr is not None
    try:
        seen = await lines_until(process.stderr, "apps.connections.open failed", count=count)
    finally:
        rest = await stop_with(process)
    err = "".join(seen) + rest
    assert "Traceback" not in err, err
    failed = [line for line in seen if "apps.connections.open failed" in line]
    assert all(" WARNING careerbot.slack: " in line for line in failed), err
    return failed, process.returncode


async def test_an_unreachable_web_api_is_one_line_per_retry(tmp_path: Path) -> None:
    """Nothing listens at the Web API's address: a WARNING line per attempt, each pause
    longer; SIGTERM while it waits stops it with status 0."""
    failed, status = await failures(tmp_path, "slack", count=2)
    assert status == 0
    pauses = [float(line.rsplit("retrying in ", 1)[1].split()[0]) for line in failed]
    assert pauses[1] > pauses[0]


async def test_plain_run_with_the_socket_mode_tokens_runs_slack(tmp_path: Path) -> None:
    """Plain `careerbot run` with the two Socket Mode tokens (no signing secret) runs
    Slack, not the console chat: it tries the Web API, and SIGTERM stops it with 0."""
    _, status = await failures(tmp_path, count=1)
    assert status == 0


async def test_pinned_cards_are_refreshed_once_connected(
    slack: tuple[FakeSlackApi, FakeSocketMode], tmp_path: Path
) -> None:
    """A pin recorded with an outdated hash is edited (chat.update) once the link is up."""
    api, _ = slack
    store = SQLiteStore(tmp_path / "db.sqlite3")
    await store.open()
    pin = PinnedCard(
        "slack", b.CHANNEL, "1700000000.000055", "mlops-engineer", "role", "old", "U1", time.time()
    )
    await store.save_pin(pin)
    await store.close()
    process = await start_run(tmp_path, slack_env(tmp_path, api), "slack")
    try:
        await until(lambda: bool(api.to("chat.update")))
    finally:
        err = await stop_with(process)
    assert process.returncode == 0, err
    [edit] = api.to("chat.update")
    assert (edit["channel"], edit["ts"]) == (b.CHANNEL, "1700000000.000055")
    assert "MLOps Engineer" in json.dumps(edit)
