"""The whole `careerbot serve` process against both fakes: shared by server tests."""

from __future__ import annotations

from typing import Any

from bench.load import server_env
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegram


class Stack:
    def __init__(self, telegram: FakeTelegram, slack: FakeSlackApi, url: str, process: Any) -> None:
        self.telegram, self.slack, self.url, self.process = telegram, slack, url, process


def env_for(tg_url: str, slack_url: str, database_url: str) -> dict[str, str]:
    """The server's environment against the fakes, with JSON logs and INFO level."""
    env = server_env(tg_url, slack_url, database_url)
    env.update(CAREERBOT_LOG_FORMAT="json", CAREERBOT_LOG_LEVEL="INFO")
    return env
