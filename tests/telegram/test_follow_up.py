"""Replies to the bot's cards are follow-ups about that card's role (two roles loaded)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from careerbot_chat import CareerBot, Catalog, SQLiteStore, Store, open_store
from careerbot_telegram import TelegramPlatform
from tests.conftest import POSTGRES_URL
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi
from tests.telegram.builders import GROUP_ID, as_update, bot_message, group_update, reply_update
from tests.telegram.conftest import SECRET, TEST_LIMITS, make_settings
from tests.telegram.html_check import visible_text

Process = Callable[[dict[str, Any]], Awaitable[None]]


@pytest.fixture
def catalog(staff_in_two_roles: Catalog) -> Catalog:
    """Two roles with a Staff band, so the role must come from context."""
    return staff_in_two_roles


async def test_reply_to_the_bots_card_is_a_follow_up(fake: FakeTelegram, process: Process) -> None:
    """ "and staff?" replying to the senior band card answers the staff band of that role."""
    await process(group_update("/salary senior mlops"))
    (first,) = fake.called("sendMessage")
    card_id = max(mid for chat, mid in fake.texts if chat == GROUP_ID)
    fake.reset()
    await process(reply_update("and staff?", bot_message(card_id)))
    (text,) = fake.sent_texts()
    lines = [line for line in visible_text(text).splitlines() if line.strip()]
    assert lines[0].startswith("Staff (FAANG-tier) MLOps Engineer pay")
    assert "₹1.2 Cr+" in lines[0]
    assert "₹70–90 LPA" not in text
    assert first.params["text"] != text


async def test_reply_to_a_card_sent_before_a_restart(fake: FakeTelegram, process: Process) -> None:
    """A card the bot no longer remembers: its buttons still name the role."""
    card = bot_message(31337, buttons=("/salary mid mlops-engineer", "/salary mlops-engineer"))
    await process(reply_update("what about senior?", card))
    (text,) = fake.sent_texts()
    assert visible_text(text).startswith("Senior MLOps Engineer pay")


class Replica:
    """One ``careerbot serve`` replica: its own CareerBot, store connection and platform."""

    def __init__(self, platform: TelegramPlatform, http: httpx.AsyncClient) -> None:
        self.platform = platform
        self.http = http

    async def process(self, payload: dict[str, Any]) -> None:
        """Outside the route: every answer goes out as a call (its message id known)."""
        application = self.platform.application
        await application.process_update(as_update(payload, application.bot))

    async def post(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Through the route, as Telegram delivers: the call the answer carried."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        response = await self.http.post("/telegram/webhook", json=payload, headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        carried: dict[str, Any] = json.loads(response.content)
        return carried


@pytest.fixture
async def replicas(
    fake: FakeTelegram, catalog: Catalog, store: Store
) -> AsyncIterator[tuple[Replica, Replica]]:
    """Two replicas on one database (SQLite file or PostgreSQL), each its own connection."""
    other = SQLiteStore(store.path) if isinstance(store, SQLiteStore) else open_store(POSTGRES_URL)
    await other.open()
    platforms = [
        TelegramPlatform(make_settings(fake.url), CareerBot(catalog, db), limits=TEST_LIMITS)
        for db in (store, other)
    ]
    hooks = {"response": [fake.read_webhook_answer]}
    try:
        async with contextlib.AsyncExitStack() as stack:
            started = []
            for platform in platforms:
                await platform.start()
                stack.push_async_callback(platform.stop)
                url = await stack.enter_async_context(
                    serve_asgi(Starlette(routes=list(platform.routes())), lifespan="off")
                )
                http = httpx.AsyncClient(base_url=url, event_hooks=hooks)
                await stack.enter_async_context(http)
                started.append(Replica(platform, http))
            fake.reset()
            yield started[0], started[1]
    finally:
        await other.close()


async def test_a_reply_reaching_another_replica_follows_up_the_right_card(
    fake: FakeTelegram, replicas: tuple[Replica, Replica]
) -> None:
    """The card sent by one replica; "and staff?" replying to it lands on the other."""
    one, two = replicas
    await one.process(group_update("/salary senior mlops"))
    card_id = max(mid for chat, mid in fake.texts if chat == GROUP_ID)
    fake.reset()
    await two.process(reply_update("and staff?", bot_message(card_id)))  # no buttons to go by
    (text,) = fake.sent_texts()
    assert visible_text(text).startswith("Staff (FAANG-tier) MLOps Engineer pay")


async def test_a_reply_to_a_carried_card_on_another_replica_follows_up_what_it_asked(
    replicas: tuple[Replica, Replica],
) -> None:
    """A card carried by one replica's webhook answer, replied to through the other's.

    Its buttons alone name only the role ("and data engineer?" would then get Data
    Engineer's role card); the store knows the card was the senior pay band.
    """
    one, two = replicas
    card = await one.post(group_update("/salary senior mlops"))
    buttons = tuple(
        b["callback_data"] for row in card["reply_markup"]["inline_keyboard"] for b in row
    )
    answer = await two.post(reply_update("and data engineer?", bot_message(4242, buttons=buttons)))
    assert visible_text(answer["text"]).startswith("Senior Data Engineer pay")
