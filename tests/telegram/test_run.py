"""``careerbot run telegram`` (long polling) as a production mode, run as a process.

SIGINT and SIGTERM stop it with status 0 once the answer in hand is sent and the
polling offset confirmed; a missing token is one line and status 2; a poll that
fails is one line per retry, never a traceback.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi
from tests.telegram.builders import text_update
from tests.telegram.conftest import TOKEN

pytestmark = pytest.mark.slow


def environment(tmp_path: Path, **values: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("CAREERBOT_", "TELEGRAM_"))}
    return {
        **kept,
        "CAREERBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CAREERBOT_LOG_LEVEL": "INFO",
        **values,
    }


async def start(tmp_path: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "careerbot_chat.cli",
        "run",
        "telegram",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def lines_until(stream: asyncio.StreamReader, text: str, count: int = 1) -> list[str]:
    """Lines read from ``stream`` until ``count`` of them hold ``text``."""
    seen: list[str] = []
    async with asyncio.timeout(30):
        while sum(text in line for line in seen) < count:
            line = (await stream.readline()).decode()
            assert line, f"the stream ended before {text!r}: {seen}"
            seen.append(line)
    return seen


@pytest.fixture
async def polled() -> AsyncIterator[FakeTelegram]:
    api = FakeTelegram(TOKEN)
    async with serve_asgi(api.app, lifespan="off") as url:
        api.url = url
        yield api
    assert not api.refused, api.refused


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_stops_polling_with_status_0(
    sig: signal.Signals, polled: FakeTelegram, tmp_path: Path
) -> None:
    """An update is answered; then the signal: status 0, the offset past it confirmed."""
    update = text_update("/role mlops")
    polled.queue_update(update)
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=polled.url)
    process = await start(tmp_path, env)
    try:
        await polled.wait_for("sendMessage", within=30)
        process.send_signal(sig)
        async with asyncio.timeout(30):
            _, err = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()
    assert "Traceback" not in err.decode(), err.decode()
    offsets = [int(c.params.get("offset") or 0) for c in polled.called("getUpdates")]
    assert max(offsets) == update["update_id"] + 1


async def test_a_missing_token_is_one_line_and_status_2(tmp_path: Path) -> None:
    process = await start(tmp_path, environment(tmp_path))
    async with asyncio.timeout(30):
        _, err = await process.communicate()
    assert process.returncode == 2
    assert err.decode().strip().splitlines() == [
        "careerbot: TELEGRAM_BOT_TOKEN: required for Telegram"
    ]


async def test_a_failing_poll_is_one_line_per_retry(polled: FakeTelegram, tmp_path: Path) -> None:
    """getUpdates failing (502) while polling: a line per retry, then answers again."""
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=polled.url)
    process = await start(tmp_path, env)
    assert process.stderr is not None
    try:
        await polled.wait_for("getUpdates", within=30)
        polled.fail("getUpdates", 502, times=2)
        seen = await lines_until(process.stderr, "polling Telegram failed", count=2)
        polled.queue_update(text_update("/role mlops"))
        await polled.wait_for("sendMessage", within=30)
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            _, rest = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    err = "".join(seen) + rest.decode()
    assert process.returncode == 0, err
    assert "Traceback" not in err
