"""Fixtures for server tests: the whole `careerbot serve` process against both fakes."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bench.load import SLACK_TOKEN, TELEGRAM_TOKEN, careerbot_serve, free_port
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegram
from tests.server.stack import Stack, env_for
from tests.servers import serve_asgi


@contextlib.asynccontextmanager
async def running_stack(
    folder: Path, *, open_files: int | None = None, **env: str
) -> AsyncIterator[Stack]:
    """`careerbot serve` on a SQLite file in ``folder``, its log kept for the test to read."""
    telegram, slack = FakeTelegram(TELEGRAM_TOKEN), FakeSlackApi(SLACK_TOKEN)
    async with serve_asgi(telegram.app) as tg_url, serve_asgi(slack.app) as slack_url:
        telegram.url, slack.base = tg_url, slack_url
        port = free_port()
        environment = {**env_for(tg_url, slack_url, f"sqlite:///{folder}/db.sqlite3"), **env}
        with tempfile.TemporaryFile() as log_file:
            serving = careerbot_serve(environment, port, log_file=log_file, open_files=open_files)
            async with serving as process:
                yield Stack(telegram, slack, f"http://127.0.0.1:{port}", process, log_file)


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    async with running_stack(tmp_path) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    """One server for a whole module, for tests that leave it as they found it."""
    async with running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running
