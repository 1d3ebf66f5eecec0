"""Answers inside the webhook's HTTP response, and when they go out as normal calls instead."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from careerbot_chat import CareerBot
from careerbot_chat.service import _metrics as metrics
from careerbot_telegram import (
    FloodLimits,
    LocalBudget,
    TelegramPlatform,
    TelegramRenderer,
    webhook_route,
)
from tests.fakes.telegram_api import BOT_ID, FakeTelegram
from tests.servers import serve_asgi
from tests.telegram.builders import (
    ADMIN_ID,
    GROUP_ID,
    as_update,
    bot_message,
    callback_update,
    group_update,
    inline_update,
    reply_update,
    text_update,
)
from tests.telegram.clock import VirtualClock
from tests.telegram.conftest import SECRET, TEST_LIMITS, make_settings
from tests.telegram.html_check import visible_text

HEADERS = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}


class Webhook:
    """Posts updates to a started platform's route the way Telegram does, answers included."""

    def __init__(self, http: httpx.AsyncClient, platform: TelegramPlatform | None = None) -> None:
        self.http = http
        self.platform = platform

    async def post(self, update: dict[str, Any]) -> httpx.Response:
        response = await self.http.post("/telegram/webhook", json=update, headers=HEADERS)
        assert response.status_code == 200
        return response


async def webhook_for(
    fake: FakeTelegram, careerbot: CareerBot, **options: Any
) -> AsyncIterator[Webhook]:
    platform = TelegramPlatform(make_settings(fake.url), careerbot, **options)
    await platform.start()
    fake.reset()
    hooks = {"response": [fake.read_webhook_answer]}
    app = Starlette(routes=list(platform.routes()))
    try:
        async with (
            serve_asgi(app, lifespan="off") as url,
            httpx.AsyncClient(base_url=url, event_hooks=hooks) as http,
        ):
            yield Webhook(http, platform)
    finally:
        await platform.stop()


@pytest.fixture
async def webhook(fake: FakeTelegram, careerbot: CareerBot) -> AsyncIterator[Webhook]:
    """The platform (no flood limits) behind its route, served on loopback."""
    async for hook in webhook_for(fake, careerbot, limits=TEST_LIMITS):
        yield hook


def carried(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/json"
    payload: dict[str, Any] = json.loads(response.content)
    return payload


async def test_a_command_is_answered_in_the_http_response(
    fake: FakeTelegram, webhook: Webhook
) -> None:
    """/role mlops: the card rides in the 200 answer as one sendMessage, no call is made."""
    response = await webhook.post(text_update("/role mlops"))
    payload = carried(response)
    assert payload["method"] == "sendMessage"
    assert visible_text(payload["text"]).startswith("MLOps Engineer")
    assert payload["parse_mode"] == "HTML"
    assert payload["link_preview_options"] == {"is_disabled": True}
    assert payload["reply_markup"]["inline_keyboard"]
    assert [call.method for call in fake.calls] == ["sendMessage"]
    assert fake.webhook_replies == fake.calls


async def test_the_carried_answer_is_the_one_a_normal_call_sends(
    fake: FakeTelegram, careerbot: CareerBot, webhook: Webhook
) -> None:
    """The same group command answered both ways sends the same text, keyboard and reply."""
    update = group_update("/salary senior mlops")
    await webhook.post(update)
    (carried_call,) = fake.called("sendMessage")
    fake.reset()
    polling = TelegramPlatform(make_settings(fake.url), careerbot, limits=TEST_LIMITS)
    await polling.start()
    try:
        await polling.application.process_update(
            as_update({**update, "update_id": update["update_id"] + 1}, polling.application.bot)
        )
    finally:
        await polling.stop()
    normal = next(call for call in fake.called("sendMessage"))
    assert fake.webhook_replies == []
    assert carried_call.params == normal.params


async def test_a_button_edits_in_the_answer_after_answering_the_query(
    fake: FakeTelegram, webhook: Webhook
) -> None:
    """A switcher press: the query is answered first (a call), the edit rides in the answer."""
    levels = ("/salary mid mlops-engineer", "/salary senior mlops-engineer")
    response = await webhook.post(callback_update(levels[1], buttons=levels))
    assert carried(response)["method"] == "editMessageText"
    assert [call.method for call in fake.calls] == ["answerCallbackQuery", "editMessageText"]
    (edit,) = fake.webhook_replies
    assert "Senior pay" in visible_text(edit.params["text"])


async def test_an_inline_query_is_answered_in_the_response(
    fake: FakeTelegram, webhook: Webhook
) -> None:
    """Inline results ride in the answer, each valid by the Bot API spec."""
    response = await webhook.post(inline_update("mlops"))
    payload = carried(response)
    assert payload["method"] == "answerInlineQuery"
    assert payload["results"]
    assert payload["cache_time"] == 60
    assert [call.method for call in fake.webhook_replies] == ["answerInlineQuery"]


async def test_an_answer_of_several_messages_goes_out_as_calls(
    fake: FakeTelegram, careerbot: CareerBot
) -> None:
    """A card split into several messages is sent in order by normal calls, the answer empty."""
    small = TelegramRenderer(limit=300)
    async for webhook in webhook_for(fake, careerbot, limits=TEST_LIMITS, renderer=small):
        response = await webhook.post(text_update("/role mlops"))
        assert response.content == b""
        sent = fake.called("sendMessage")
        assert len(sent) > 1
        assert fake.webhook_replies == []
        assert "reply_markup" in sent[-1].params
        assert all("reply_markup" not in call.params for call in sent[:-1])


async def test_a_call_that_would_wait_for_the_flood_budget_is_made_normally(
    fake: FakeTelegram, careerbot: CareerBot
) -> None:
    """One message a second: the second answer in that second is a call, made a second later."""
    clock = VirtualClock()
    limits = FloodLimits(overall_per_second=1, group_per_minute=0, max_retries=0)
    budget = LocalBudget(1, 0, clock=clock, sleep=clock.sleep)
    async for webhook in webhook_for(fake, careerbot, limits=limits, budget=budget):
        first = await webhook.post(text_update("/role mlops"))
        assert clock.sleeps == []
        second = await webhook.post(text_update("/roles"))
        assert carried(first)["method"] == "sendMessage"
        assert second.content == b""
        assert len(fake.called("sendMessage")) == 2
        assert len(fake.webhook_replies) == 1
        assert clock.sleeps == [pytest.approx(1.0)]  # the carried answer took its share


async def test_a_group_past_its_minute_is_answered_by_a_call_when_it_may(
    fake: FakeTelegram, careerbot: CareerBot
) -> None:
    """Two a minute into a group: the third answer waits its turn as a call; a DM still rides."""
    clock = VirtualClock()
    budget = LocalBudget(0, 2, clock=clock, sleep=clock.sleep)
    async for webhook in webhook_for(fake, careerbot, limits=TEST_LIMITS, budget=budget):
        answers = [await webhook.post(group_update("/role mlops")) for _ in range(3)]
        assert [bool(answer.content) for answer in answers] == [True, True, False]
        assert clock.sleeps == [pytest.approx(60.0)]
        assert carried(await webhook.post(text_update("/roles")))["method"] == "sendMessage"
        assert len(fake.called("sendMessage")) == 4
        assert len(fake.webhook_replies) == 3


async def test_a_429_pauses_every_send_and_no_answer_rides_meanwhile(
    fake: FakeTelegram, careerbot: CareerBot
) -> None:
    """retry_after 7: the refused call and an answer arriving meanwhile both go after 7 s."""
    clock = VirtualClock()
    budget = LocalBudget(0, 0, clock=clock, sleep=clock.sleep)
    async for webhook in webhook_for(fake, careerbot, limits=TEST_LIMITS, budget=budget):
        assert webhook.platform is not None
        bot = webhook.platform.application.bot
        clock.hold()
        fake.fail("sendMessage", 429, retry_after=7)
        refused = asyncio.create_task(bot.send_message(GROUP_ID, "Pinned soon"))
        await clock.sleepers(1)
        answer = asyncio.create_task(webhook.post(text_update("/role mlops")))
        await clock.sleepers(2)
        assert len(fake.called("sendMessage")) == 1  # nothing went out during the pause
        clock.release()
        await refused
        assert (await answer).content == b""
        assert clock.sleeps == [pytest.approx(7.0), pytest.approx(7.0)]
        assert fake.webhook_replies == []
        first, again, card = fake.called("sendMessage")
        assert first.params == again.params
        assert visible_text(card.params["text"]).startswith("MLOps Engineer")
        after = await webhook.post(text_update("/roles"))  # the pause is over: rides again
        assert carried(after)["method"] == "sendMessage"


async def test_the_card_to_pin_is_a_call_and_the_confirmation_rides(
    fake: FakeTelegram, webhook: Webhook
) -> None:
    """/pin: the card (its id is stored) is posted and pinned by calls; the confirmation rides."""
    fake.set_member(GROUP_ID, ADMIN_ID, "administrator", can_pin_messages=True)
    fake.set_member(GROUP_ID, BOT_ID, "administrator", can_pin_messages=True)
    response = await webhook.post(group_update("/pin mlops", sender_id=ADMIN_ID))
    methods = [call.method for call in fake.calls]
    assert methods == [
        "getChatMember",
        "getChatMember",
        "sendMessage",
        "pinChatMessage",
        "sendMessage",
    ]
    card = fake.calls[2]
    assert card not in fake.webhook_replies
    assert fake.calls[3].params["message_id"] > 0
    assert [call.method for call in fake.webhook_replies] == ["sendMessage"]
    assert carried(response)["reply_parameters"]["message_id"] > 0


async def test_a_webhook_reply_is_counted_as_sent(fake: FakeTelegram, webhook: Webhook) -> None:
    """The metrics count a call carried by the answer under via="webhook_reply"."""
    metrics.enable()
    labels = {"platform": "telegram", "method": "sendMessage", "via": "webhook_reply"}
    before = metrics.REGISTRY.get_sample_value("careerbot_platform_api_calls_total", labels) or 0
    await webhook.post(text_update("/role mlops"))
    after = metrics.REGISTRY.get_sample_value("careerbot_platform_api_calls_total", labels)
    assert after == before + 1


async def test_a_slow_update_is_answered_empty_and_finishes_with_calls(
    fake: FakeTelegram, careerbot: CareerBot
) -> None:
    """Past ``reply_within`` the route answers Telegram; the answer then goes as a call."""
    platform = TelegramPlatform(make_settings(fake.url), careerbot, limits=TEST_LIMITS)
    await platform.start()
    fake.reset()
    fake.set_member(GROUP_ID, ADMIN_ID, "member")
    fake.delay("getChatMember", 0.3)
    route = webhook_route(platform.application, careerbot, SECRET, reply_within=0.05)
    hooks = {"response": [fake.read_webhook_answer]}
    try:
        async with (
            serve_asgi(Starlette(routes=[route]), lifespan="off") as url,
            httpx.AsyncClient(base_url=url, event_hooks=hooks) as http,
        ):
            response = await Webhook(http).post(group_update("/pin mlops", sender_id=ADMIN_ID))
            assert response.content == b""
            (refusal,) = await fake.wait_for("sendMessage")
    finally:
        await platform.stop()
    assert fake.webhook_replies == []
    assert refusal.params["chat_id"] == GROUP_ID


async def test_a_reply_to_a_carried_card_is_a_follow_up_of_what_it_answered(
    fake: FakeTelegram, webhook: Webhook
) -> None:
    """A card carried by the webhook answer has no id we know; replies to it still follow up."""
    response = await webhook.post(group_update("/salary senior mlops"))
    buttons = [
        b["callback_data"]
        for row in carried(response)["reply_markup"]["inline_keyboard"]
        for b in row
    ]
    card = bot_message(424242, buttons=tuple(buttons))
    fake.reset()
    answer = carried(await webhook.post(reply_update("and staff?", card)))
    assert visible_text(answer["text"]).startswith("Staff (FAANG-tier) MLOps Engineer pay")
