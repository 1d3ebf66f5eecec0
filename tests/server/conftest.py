"""Fixtures for server tests: the whole `careerbot serve` process against both fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.load import SLACK_TOKEN, TELEGRAM_TOKEN, careerbot_serve, free_port
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegram
from tests.server.stack import Stack, env_for
from tests.servers import serve_asgi


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    telegram, slack = FakeTelegram(TELEGRAM_TOKEN), FakeSlackApi(SLACK_TOKEN)
    async with serve_asgi(telegram.app) as tg_url, serve_asgi(slack.app) as slack_url:
        telegram.url, slack.base = tg_url, slack_url
        port = free_port()
        env = env_for(tg_url, slack_url, f"sqlite:///{tmp_path}/db.sqlite3")
        async with careerbot_serve(env, port) as process:
            yield Stack(telegram, slack, f"http://127.0.0.1:{port}", process)
