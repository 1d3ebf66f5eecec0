"""Health, readiness and metrics on an internal port only; webhooks on the public one."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from bench.load import WEBHOOK_SECRET, free_port
from tests.server.conftest import start_stack
from tests.server.stack import Stack
from tests.telegram import builders as tg_builders

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def split_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[Stack, str]]:
    """One server for the module, with its internal port; no test here changes it."""
    port = free_port()
    folder = tmp_path_factory.mktemp("split")
    async with start_stack(folder, CAREERBOT_INTERNAL_PORT=str(port)) as stack:
        yield stack, f"http://127.0.0.1:{port}"


@pytest.fixture
def split(split_server: tuple[Stack, str]) -> tuple[Stack, str]:
    """The module's server, with the fakes' recorded calls cleared for this test."""
    split_server[0].telegram.reset()
    split_server[0].slack.reset()
    return split_server


async def test_internal_routes_only_on_the_internal_port(split: tuple[Stack, str]) -> None:
    """/healthz, /readyz, /metrics: 200 on the internal port, 404 on the public one."""
    stack, internal = split
    async with httpx.AsyncClient(timeout=10) as client:
        for path in ("/healthz", "/readyz", "/metrics"):
            assert (await client.get(f"{internal}{path}")).status_code == 200, path
            assert (await client.get(f"{stack.url}{path}")).status_code == 404, path


async def test_webhooks_only_on_the_public_port(split: tuple[Stack, str]) -> None:
    """A Telegram update is answered through the public port; the internal one has no
    webhook routes."""
    stack, internal = split
    update = json.dumps(tg_builders.text_update("/role mlops")).encode()
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    hooks = {"response": [stack.telegram.read_webhook_answer]}  # runs an answer's Bot API call
    async with httpx.AsyncClient(timeout=10, event_hooks=hooks) as client:
        refused = await client.post(f"{internal}/telegram/webhook", content=update, headers=headers)
        assert refused.status_code == 404
        assert (await client.post(f"{internal}/slack/events", content=b"x")).status_code == 404
        accepted = await client.post(
            f"{stack.url}/telegram/webhook", content=update, headers=headers
        )
        assert accepted.status_code == 200
    await stack.telegram.wait_for("sendMessage")
