"""The whole `careerbot serve` process against both fakes: shared by server tests."""

from __future__ import annotations

from typing import Any

from bench.load import SLACK_SECRET, SLACK_TOKEN, TELEGRAM_TOKEN, WEBHOOK_SECRET
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegram


class Stack:
    def __init__(self, telegram: FakeTelegram, slack: FakeSlackApi, url: str, process: Any) -> None:
        self.telegram, self.slack, self.url, self.process = telegram, slack, url, process


def env_for(tg_url: str, slack_url: str, database_url: str) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TELEGRAM_API_BASE_URL": tg_url,
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_API_BASE_URL": f"{slack_url}/api/",
        "CAREERBOT_DATABASE_URL": database_url,
        "CAREERBOT_LOG_FORMAT": "json",
    }
