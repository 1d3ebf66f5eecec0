"""`careerbot refresh-pins`: edits the pinned cards whose content changed, and says so."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest

from bench.load import SLACK_TOKEN, TELEGRAM_TOKEN
from careerbot_chat import PinnedCard, SQLiteStore
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegram
from tests.server.stack import env_for
from tests.servers import serve_asgi

pytestmark = pytest.mark.slow


async def refresh_pins(env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "careerbot_chat.cli",
        "refresh-pins",
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_refresh_pins_edits_changed_cards_once(tmp_path: Path) -> None:
    """A pin recorded with an old hash is edited and reported; a second run changes nothing."""
    db = tmp_path / "db.sqlite3"
    store = SQLiteStore(db)
    await store.open()
    await store.save_pin(
        PinnedCard(
            "telegram", "-100123", "55", "mlops-engineer", "role", "old", "5151", time.time()
        )
    )
    await store.close()
    telegram, slack = FakeTelegram(TELEGRAM_TOKEN), FakeSlackApi(SLACK_TOKEN)
    async with serve_asgi(telegram.app) as tg_url, serve_asgi(slack.app) as slack_url:
        telegram.url, slack.base = tg_url, slack_url
        env = env_for(tg_url, slack_url, f"sqlite:///{db}")
        code, out = await refresh_pins(env)
        assert code == 0, out
        assert "edited   telegram:-100123 message 55 (mlops-engineer, role)" in out
        assert "1 edited, 0 unchanged" in out
        (edit,) = telegram.called("editMessageText")
        assert (edit.params["chat_id"], edit.params["message_id"]) == (-100123, 55)
        assert "MLOps Engineer" in edit.params["text"]
        code, out = await refresh_pins(env)
        assert code == 0
        assert "0 edited, 1 unchanged" in out
        assert len(telegram.called("editMessageText")) == 1
