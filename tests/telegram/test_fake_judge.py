"""The fake Bot API refuses what the published Bot API 10.1 spec refuses, webhook answers too."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_spec import bot_api_spec
from tests.telegram.conftest import TOKEN

BUTTON = {"text": "Pay", "callback_data": "/salary senior mlops"}


def keyboard(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"inline_keyboard": [list(buttons)]}


@pytest.mark.parametrize(
    ("method", "params", "reason"),
    [
        ("sendMesage", {"chat_id": 1, "text": "hi"}, "unknown method"),
        ("sendMessage", {"chat_id": 1}, "text: required"),
        ("sendMessage", {"chat_id": 1, "text": "hi", "colour": "red"}, "colour: unknown field"),
        ("sendMessage", {"chat_id": 1.5, "text": "hi"}, "chat_id: expected"),
        ("sendMessage", {"chat_id": 1, "text": 42}, "text: expected String"),
        ("sendMessage", {"chat_id": 1, "text": "hi", "disable_notification": "yes"}, "Boolean"),
        (
            "sendMessage",
            {"chat_id": 1, "text": "hi", "reply_markup": keyboard({**BUTTON, "data": "x"})},
            "data: unknown field",
        ),
        (
            "sendMessage",
            {
                "chat_id": 1,
                "text": "hi",
                "reply_markup": keyboard({**BUTTON, "callback_data": "é" * 33}),
            },
            "66 bytes, over 64",
        ),
        ("answerCallbackQuery", {"callback_query_id": 7}, "expected String"),
        ("sendMessage", {"chat_id": 1, "text": "😀" * 2049}, "4098 UTF-16 code units, over 4096"),
        (
            "sendMessage",
            {"chat_id": 1, "text": f"<b>{'𝐀' * 2049}</b>", "parse_mode": "HTML"},
            "4098 UTF-16",
        ),
        ("sendPhoto", {"chat_id": 1, "photo": "id", "caption": "👩" * 513}, "1026 UTF-16"),
        (
            "answerInlineQuery",
            {
                "inline_query_id": "1",
                "results": [
                    {
                        "type": "article",
                        "id": "a",
                        "title": "t",
                        "input_message_content": {"message_text": "😀" * 2049},
                    }
                ],
            },
            "message_text: 4098 UTF-16",
        ),
        (
            "answerInlineQuery",
            {"inline_query_id": "1", "results": [{"type": "article", "id": "a"}]},
            "required",
        ),
    ],
)
def test_the_spec_refuses(method: str, params: dict[str, Any], reason: str) -> None:
    """Each kind of call Telegram would refuse is refused, with a reason naming the field."""
    reasons = bot_api_spec().check(method, params)
    assert any(reason in r for r in reasons), reasons


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("sendMessage", {"chat_id": -100123, "text": "hi", "reply_markup": keyboard(BUTTON)}),
        ("sendMessage", {"chat_id": "@channel", "text": "hi", "parse_mode": "HTML"}),
        (
            "sendMessage",
            {
                "chat_id": 1,
                "text": "x",
                "reply_markup": keyboard({**BUTTON, "callback_data": "a" * 64}),
            },
        ),
        ("answerCallbackQuery", {"callback_query_id": "7", "text": "Gone", "show_alert": True}),
        ("getMe", {}),
        ("sendMessage", {"chat_id": 1, "text": "😀" * 2048}),
        (
            "sendMessage",
            {"chat_id": 1, "text": "<b>&amp;</b>" * 4096, "parse_mode": "HTML"},
        ),
        ("sendPhoto", {"chat_id": 1, "photo": "id", "caption": "👩" * 512}),
    ],
)
def test_the_spec_accepts(method: str, params: dict[str, Any]) -> None:
    """Valid calls (64 bytes of callback data is still valid) pass."""
    assert bot_api_spec().check(method, params) == []


def test_form_fields_are_read_by_the_kinds_the_spec_allows() -> None:
    """A numeric text stays a string; a chat id, a flag and a keyboard are decoded."""
    form = [
        ("chat_id", "-5"),
        ("text", "42"),
        ("protect_content", "true"),
        ("reply_markup", '{"inline_keyboard": []}'),
    ]
    params = bot_api_spec().decode_form("sendMessage", form)
    assert params == {
        "chat_id": -5,
        "text": "42",
        "protect_content": True,
        "reply_markup": {"inline_keyboard": []},
    }


async def test_a_refused_call_is_answered_400_and_recorded() -> None:
    """Over HTTP: a bad call gets 400 with the reason, is not run, and lands in ``refused``."""
    fake = FakeTelegram(TOKEN)
    transport = httpx.ASGITransport(app=fake.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fake") as http:
        response = await http.post(f"/bot{TOKEN}/sendMessage", data={"chat_id": "1", "txt": "hi"})
    assert response.status_code == 400
    assert "txt: unknown field" in response.json()["description"]
    assert fake.calls == []
    ((call, reasons),) = fake.refused
    assert call.method == "sendMessage"
    assert "sendMessage.text: required" in reasons


async def test_a_webhook_answer_is_judged_like_a_call() -> None:
    """A webhook answer carrying oversized callback data is refused and not run."""
    fake = FakeTelegram(TOKEN)
    button = {"text": "Pay", "callback_data": "x" * 65}
    body = json.dumps(
        {"method": "sendMessage", "chat_id": 1, "text": "hi", "reply_markup": keyboard(button)}
    )
    await fake.run_webhook_reply(200, "application/json", body.encode())
    assert fake.calls == []
    assert fake.webhook_replies == []
    assert "over 64" in fake.refused[0][1][0]


async def test_a_good_webhook_answer_is_run() -> None:
    """A valid webhook answer is run like a call and recorded as carried by the answer."""
    fake = FakeTelegram(TOKEN)
    body = json.dumps({"method": "sendMessage", "chat_id": 1, "text": "hi"}).encode()
    await fake.run_webhook_reply(200, "application/json; charset=utf-8", body)
    assert [c.method for c in fake.webhook_replies] == ["sendMessage"]
    assert fake.texts[(1, 1000)] == "hi"
    assert await fake.run_webhook_reply(200, "application/json", b"") is None
    assert await fake.run_webhook_reply(403, "text/plain", b"forbidden") is None
