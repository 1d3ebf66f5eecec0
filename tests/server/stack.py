"""The whole `careerbot serve` process against both fakes: shared by server tests."""

from __future__ import annotations

from typing import Any

from bench.load import server_env, server_log
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegram


class Stack:
    def __init__(
        self,
        telegram: FakeTelegram,
        slack: FakeSlackApi,
        url: str,
        process: Any,
        log_file: Any = None,
    ) -> None:
        self.telegram, self.slack, self.url, self.process = telegram, slack, url, process
        self.log_file = log_file

    def log(self) -> str:
        """Everything the server has written to its log so far."""
        return server_log(self.log_file) if self.log_file is not None else ""


def env_for(tg_url: str, slack_url: str, database_url: str) -> dict[str, str]:
    """The server's environment against the fakes, with JSON logs and INFO level."""
    env = server_env(tg_url, slack_url, database_url)
    env.update(CAREERBOT_LOG_FORMAT="json", CAREERBOT_LOG_LEVEL="INFO")
    return env
