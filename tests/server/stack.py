"""The whole `careerbot serve` process against both fakes: shared by server tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bench.load import SLACK_TOKEN, TELEGRAM_TOKEN, careerbot_serve, free_port, server_env
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi


class Stack:
    def __init__(self, telegram: FakeTelegram, slack: FakeSlackApi, url: str, process: Any) -> None:
        self.telegram, self.slack, self.url, self.process = telegram, slack, url, process


def env_for(tg_url: str, slack_url: str, database_url: str) -> dict[str, str]:
    """The server's environment against the fakes, with JSON logs and INFO level."""
    env = server_env(tg_url, slack_url, database_url)
    env.update(CAREERBOT_LOG_FORMAT="json", CAREERBOT_LOG_LEVEL="INFO")
    return env


@contextlib.asynccontextmanager
async def start_stack(folder: Path, **settings: str) -> AsyncIterator[Stack]:
    """Both fakes served, and `careerbot serve` aimed at them with its database in ``folder``
    (and any other ``settings``, by variable name)."""
    telegram, slack = FakeTelegram(TELEGRAM_TOKEN), FakeSlackApi(SLACK_TOKEN)
    async with serve_asgi(telegram.app) as tg_url, serve_asgi(slack.app) as slack_url:
        telegram.url, slack.base = tg_url, slack_url
        port = free_port()
        env = env_for(tg_url, slack_url, f"sqlite:///{folder}/db.sqlite3") | settings
        async with careerbot_serve(env, port, cwd=folder) as process:
            yield Stack(telegram, slack, f"http://127.0.0.1:{port}", process)
