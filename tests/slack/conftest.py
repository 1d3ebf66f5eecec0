"""Fixtures for the Slack adapter: the fake Web API, a store, and the app served over HTTP."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from careerbot_chat import CareerBot, Catalog, Settings, SQLiteStore, load_catalog
from careerbot_slack import SlackPlatform, create_platform
from tests.fakes.slack_api import FakeSlackApi
from tests.servers import serve_asgi
from tests.slack import builders as b

FORM = "application/x-www-form-urlencoded"


@dataclass
class SlackClient:
    """Sends signed requests to ``POST /slack/events`` of a served app."""

    http: httpx.AsyncClient
    fake: FakeSlackApi
    platform: SlackPlatform
    bot: CareerBot

    async def send(
        self,
        body: str,
        *,
        content_type: str = FORM,
        timestamp: int | None = None,
        secret: str = b.SECRET,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        signed = {
            "Content-Type": content_type,
            **b.sign(body, secret, timestamp),
            **(headers or {}),
        }
        return await self.http.post("/slack/events", content=body, headers=signed)

    async def command(self, command: str, text: str = "", **fields: Any) -> httpx.Response:
        fields.setdefault("response_url", self.fake.response_url("command"))
        return await self.send(b.slash(command, text, **fields))

    async def press(self, action_id: str, value: str, **fields: Any) -> httpx.Response:
        fields.setdefault("response_url", self.fake.response_url("action"))
        return await self.send(b.block_action(action_id, value, **fields))

    async def event(self, body: str, **headers: str) -> httpx.Response:
        return await self.send(body, content_type="application/json", headers=headers)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackApi]:
    """The fake Slack Web API on 127.0.0.1, with an admin, a member and a listed moderator."""
    fake = FakeSlackApi(token=b.TOKEN)
    fake.add_user(b.ADMIN, admin=True)
    fake.add_user(b.MEMBER)
    fake.add_user(b.LISTED)
    async with serve_asgi(fake.app) as base:
        fake.base = base
        yield fake
    assert not fake.refused, f"calls the Web API would refuse: {fake.refused}"


StartSlack = Callable[..., contextlib.AbstractAsyncContextManager[SlackClient]]


@pytest.fixture
def start_slack(
    fake_slack: FakeSlackApi, sqlite_store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> StartSlack:
    """Start the Slack platform under uvicorn with settings overrides (and ``options`` for
    the platform, such as a short ``answer_budget``); yield a client."""
    monkeypatch.setenv("SLACK_MODERATOR_IDS", f"{b.LISTED}, U0SOMEONE")

    @contextlib.asynccontextmanager
    async def start(
        catalog: Catalog | None = None, options: dict[str, Any] | None = None, **overrides: Any
    ) -> AsyncIterator[SlackClient]:
        settings = Settings(
            _env_file=None,
            slack_bot_token=b.TOKEN,
            slack_signing_secret=b.SECRET,
            slack_api_base_url=f"{fake_slack.base}/api/",
            **overrides,
        )
        bot = CareerBot(catalog or load_catalog(), sqlite_store)
        platform = create_platform(settings, bot, **(options or {}))
        await platform.start()
        await platform.identified()  # auth.test, in the background, is done before the test
        try:
            app = Starlette(routes=list(platform.routes()))
            async with serve_asgi(app) as base, httpx.AsyncClient(base_url=base) as http:
                yield SlackClient(http, fake_slack, platform, bot)
        finally:
            await platform.stop()

    return start


@pytest.fixture
async def slack(start_slack: StartSlack) -> AsyncIterator[SlackClient]:
    """The app with default settings (ephemeral answers)."""
    async with start_slack() as client:
        yield client
