"""Fixtures for the Telegram adapter: the fake Bot API over HTTP, a store, the platform."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from telegram import Update

from careerbot_chat import CareerBot, Catalog, Settings, SQLiteStore
from careerbot_telegram import FloodLimits, LocalBudget, TelegramPlatform
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi
from tests.telegram.builders import as_update
from tests.telegram.clock import VirtualClock

TOKEN = "7000001:AAFakeTokenForTestsOnly_abcdefghijklmnop"
SECRET = "webhook-secret_123"
# No flood limits against the fake (tests send dozens of messages to one group);
# one retry so that a 429 is retried.
TEST_LIMITS = FloodLimits(overall_per_second=0, group_per_minute=0, max_retries=2)


def make_settings(api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_webhook_secret": SECRET,
        "telegram_webhook_url": None,
        "telegram_api_base_url": api_url,
        **overrides,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API, served over HTTP; ``fake.url`` is its root.

    Every call is judged by the published Bot API spec; a test during which the bot
    made a call Telegram would refuse fails, whatever it asserted itself.
    """
    api = FakeTelegram(TOKEN)
    async with serve_asgi(api.app, lifespan="off") as url:
        api.url = url
        yield api
    assert not api.refused, f"calls the Bot API would refuse: {api.refused}"


@pytest.fixture
def careerbot(catalog: Catalog, sqlite_store: SQLiteStore) -> CareerBot:
    return CareerBot(catalog, sqlite_store)


@pytest.fixture
def clock() -> VirtualClock:
    """The flood budget's clock in ``platform``: a 429's pause takes no real time."""
    return VirtualClock()


@contextlib.asynccontextmanager
async def started_platform(
    fake: FakeTelegram, careerbot: CareerBot, budget: LocalBudget
) -> AsyncIterator[TelegramPlatform]:
    """A platform started against ``fake`` with ``budget``; the fake's start-up calls forgotten."""
    started = TelegramPlatform(
        make_settings(fake.url), careerbot, limits=TEST_LIMITS, budget=budget
    )
    await started.start()
    fake.reset()
    yield started
    await started.stop()


@pytest.fixture
async def platform(
    fake: FakeTelegram, careerbot: CareerBot, clock: VirtualClock
) -> AsyncIterator[TelegramPlatform]:
    """The started platform (Application initialised and running) against the fake."""
    async with started_platform(
        fake, careerbot, LocalBudget(0, 0, clock=clock, sleep=clock.sleep)
    ) as started:
        yield started


@pytest.fixture
async def client(
    platform: TelegramPlatform, fake: FakeTelegram
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client aimed at the platform's routes, served by uvicorn on loopback; like
    Telegram, it hands each webhook answer to the fake Bot API, which runs its call."""
    app = Starlette(routes=list(platform.routes()))
    hooks = {"response": [fake.read_webhook_answer]}
    async with (
        serve_asgi(app, lifespan="off") as url,
        httpx.AsyncClient(base_url=url, event_hooks=hooks) as http,
    ):
        yield http


@pytest.fixture
def process(platform: TelegramPlatform) -> Callable[[dict[str, Any]], Awaitable[None]]:
    """Run one update payload through the Application, as the update queue would."""

    async def run(payload: dict[str, Any]) -> None:
        update: Update = as_update(payload, platform.application.bot)
        await platform.application.process_update(update)

    return run
