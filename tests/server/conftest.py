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
from tests.server.running import DEADLINE
from tests.server.stack import Stack, env_for
from tests.servers import serve_asgi


@contextlib.asynccontextmanager
async def start_stack(
    folder: Path, *, open_files: int | None = None, **env: str
) -> AsyncIterator[Stack]:
    """Both fakes served, and `careerbot serve` aimed at them with its database in
    ``folder``, extra environment ``env``, and its log kept for the test to read."""
    telegram, slack = FakeTelegram(TELEGRAM_TOKEN), FakeSlackApi(SLACK_TOKEN)
    async with serve_asgi(telegram.app) as tg_url, serve_asgi(slack.app) as slack_url:
        telegram.url, slack.base = tg_url, slack_url
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        environment = {**env_for(tg_url, slack_url, f"sqlite:///{folder}/db.sqlite3"), **env}
        internal = environment.get("CAREERBOT_INTERNAL_PORT")
        with tempfile.TemporaryFile() as log_file:
            serving = careerbot_serve(
                environment,
                port,
                log_file=log_file,
                open_files=open_files,
                cwd=folder,
                probe_port=int(internal) if internal else None,
                ready_timeout=DEADLINE,  # a busy CI machine: 15 s was seen to run out
            )
            async with serving as process:
                yield Stack(telegram, slack, url, process, log_file)


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    """A fresh server for this test alone (for tests that stop it or count from zero)."""
    async with start_stack(tmp_path) as started:
        yield started


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    """One server for the whole module: for tests that leave it as they found it.

    Tests using it run in the module's event loop
    (``pytestmark = pytest.mark.asyncio(loop_scope="module")``); the fakes' records are
    cleared before each test by ``stack_for_test``.
    """
    async with start_stack(tmp_path_factory.mktemp("stack")) as started:
        yield started


@pytest.fixture
def stack_for_test(shared_stack: Stack) -> Stack:
    """The module's shared server, with the fakes' recorded calls cleared for this test."""
    shared_stack.telegram.reset()
    shared_stack.slack.reset()
    return shared_stack
