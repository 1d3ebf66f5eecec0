"""``careerbot run telegram`` (long polling) as a production mode, run as a process.

SIGINT and SIGTERM stop it with status 0 once the answer in hand is sent and the
polling offset confirmed; a missing token is one line and status 2; a poll that
fails is one line per retry, never a traceback. As under ``serve``: pinned cards are
refreshed at start and after a content reload (SIGHUP), and ``--internal-port``
serves health, readiness and metrics.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bench.load import free_port
from careerbot_chat import PinnedCard, SQLiteStore
from tests.fakes.telegram_api import FakeTelegram
from tests.server.running import environment, lines_until, start_run, stop_with
from tests.servers import serve_asgi
from tests.telegram.builders import text_update
from tests.telegram.conftest import TOKEN

pytestmark = pytest.mark.slow


async def start(tmp_path: Path, env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await start_run(tmp_path, env, "telegram", *args)


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


CONTENT = Path(__file__).parents[2] / "content"


async def test_pinned_cards_are_refreshed_at_start_and_after_sighup(
    polled: FakeTelegram, tmp_path: Path
) -> None:
    """A pin recorded with an outdated hash is edited once polling starts; a SIGHUP after
    the role's title changed reloads the content and edits it again, with the new title."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    store = SQLiteStore(tmp_path / "db.sqlite3")
    await store.open()
    pin = PinnedCard(
        "telegram", "-100123", "55", "mlops-engineer", "role", "old", "5151", time.time()
    )
    await store.save_pin(pin)
    await store.close()
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=polled.url)
    process = await start(tmp_path, env, "--content", str(content))
    try:
        (first,) = await polled.wait_for("editMessageText", within=30)
        assert (first.params["chat_id"], first.params["message_id"]) == (-100123, 55)
        assert "MLOps Engineer" in first.params["text"]
        role = content / "roles" / "mlops-engineer.yaml"
        text = role.read_text(encoding="utf-8")
        role.write_text(text.replace("title: MLOps Engineer", "title: MLOps Platform Engineer"))
        process.send_signal(signal.SIGHUP)
        edits = await polled.wait_for("editMessageText", count=2, within=30)
    finally:
        err = await stop_with(process)
    assert process.returncode == 0, err
    assert "MLOps Platform Engineer" in edits[1].params["text"]
    assert "content reloaded" in err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_the_internal_port_serves_health_readiness_and_metrics(
    sig: signal.Signals, polled: FakeTelegram, tmp_path: Path
) -> None:
    """``--internal-port P``: /healthz, /readyz (ready, with the roles) and /metrics
    (counting the command just answered) on P while polling; the signal still stops
    it with status 0 (uvicorn takes it while serving, and gives it back)."""
    port = free_port()
    polled.queue_update(text_update("/role mlops"))
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=polled.url)
    process = await start(tmp_path, env, "--internal-port", str(port))
    assert process.stderr is not None
    try:
        seen = await lines_until(process.stderr, "health, readiness and metrics on")
        await polled.wait_for("sendMessage", within=30)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            health = await http.get("/healthz")
            ready = await http.get("/readyz")
            metrics = await http.get("/metrics")
            elsewhere = await http.get("/charts/mlops-engineer-1.png")
    finally:
        err = "".join(seen) + await stop_with(process, sig)
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
    assert health.status_code == 200
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"
    assert ready.json()["roles"] >= 1
    line = 'careerbot_commands_total{command="role",outcome="answered",platform="telegram"} 1.0'
    assert line in metrics.text
    assert elsewhere.status_code == 404  # only health, readiness and metrics on that port
