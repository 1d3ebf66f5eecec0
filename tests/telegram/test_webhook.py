"""POST /telegram/webhook over real HTTP: the secret, the body checks, queueing, duplicates."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from careerbot_chat import CareerBot, SettingsError
from careerbot_telegram import TelegramPlatform, webhook_route
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi
from tests.telegram.builders import GROUP_ID, callback_update, group_update, text_update
from tests.telegram.conftest import SECRET, TEST_LIMITS, make_settings
from tests.telegram.html_check import visible_text

HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def post(
    client: httpx.AsyncClient, payload: Any, secret: str | None = SECRET
) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[HEADER] = secret
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return await client.post("/telegram/webhook", content=body, headers=headers)


async def test_update_with_the_right_secret_is_answered(
    fake: FakeTelegram, client: httpx.AsyncClient
) -> None:
    """With the right secret: 200 at once, and the answer goes out through the Bot API."""
    response = await post(client, text_update("/role mlops"))
    assert response.status_code == 200
    (sent,) = await fake.wait_for("sendMessage")
    assert visible_text(sent.params["text"]).startswith("MLOps Engineer")


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x", SECRET[:-1]])
async def test_missing_or_wrong_secret_is_forbidden(
    secret: str | None, fake: FakeTelegram, client: httpx.AsyncClient
) -> None:
    """No secret header, or any other value: 403, and the update is not processed."""
    response = await post(client, text_update("/role mlops"), secret=secret)
    assert response.status_code == 403
    await post(client, text_update("/roles"))  # a valid update after it, as a marker
    (sent,) = await fake.wait_for("sendMessage")
    assert "Roles I know" in visible_text(sent.params["text"])


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'"text"',
        b"{}",
        b'{"update_id": "7"}',
        b'{"update_id": true}',
        b"\xff\xfe",
    ],
    ids=["empty", "not-json", "array", "string", "no-id", "string-id", "bool-id", "not-utf8"],
)
async def test_malformed_body_is_a_bad_request(body: bytes, client: httpx.AsyncClient) -> None:
    """A body that is not a JSON object update is refused with 400."""
    assert (await post(client, body)).status_code == 400


def _without(update: dict[str, Any], kind: str, field: str) -> dict[str, Any]:
    del update[kind][field]
    return update


def _with(update: dict[str, Any], kind: str, field: str, value: Any) -> dict[str, Any]:
    update[kind][field] = value
    return update


@pytest.mark.parametrize(
    "update",
    [
        _with(text_update("/role mlops"), "message", "text", 5),
        _with(text_update("/role mlops"), "message", "date", "yesterday"),
        _without(text_update("/role mlops"), "message", "chat"),
        _without(callback_update("/salary senior"), "callback_query", "from"),
        _with(callback_update("/salary senior"), "callback_query", "data", ["x"]),
    ],
    ids=["text-number", "date-text", "no-chat", "callback-no-from", "data-list"],
)
async def test_wrongly_typed_update_is_a_bad_request_and_never_an_apology(
    update: dict[str, Any],
    fake: FakeTelegram,
    client: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Fields with types Telegram never sends: 400 and one short line, nothing in the chat."""
    with caplog.at_level(logging.INFO):
        response = await post(client, update)
    assert response.status_code == 400
    lines = [
        r for r in caplog.records if r.levelno >= logging.INFO and r.name.startswith("careerbot")
    ]
    assert len(lines) <= 1
    assert all(r.exc_info is None for r in caplog.records)
    await post(client, text_update("/roles"))  # a valid update after it, as a marker
    (sent,) = await fake.wait_for("sendMessage")
    assert "Roles I know" in visible_text(sent.params["text"])


async def test_secret_is_checked_before_the_body(client: httpx.AsyncClient) -> None:
    """A stranger learns nothing about body checks: a wrong secret is 403 even for junk."""
    assert (await post(client, b"junk", secret="nope")).status_code == 403


async def test_duplicate_delivery_is_processed_once(
    fake: FakeTelegram, client: httpx.AsyncClient
) -> None:
    """Telegram redelivering an update (same update_id) gets 200 but no second answer."""
    update = group_update("/role mlops")
    assert (await post(client, update)).status_code == 200
    assert (await post(client, update)).status_code == 200
    await post(client, group_update("/roles"))  # processed after the duplicate
    await fake.wait_for("sendMessage", count=2)
    texts = [visible_text(t) for t in fake.sent_texts()]
    assert sum(t.startswith("MLOps Engineer") for t in texts) == 1


async def test_buttons_work_through_the_webhook(
    fake: FakeTelegram, client: httpx.AsyncClient
) -> None:
    """A callback query through the route is answered and edits the salary card."""
    levels = ("/salary mid mlops-engineer", "/salary senior mlops-engineer")
    await post(client, callback_update(levels[1], buttons=levels))
    await fake.wait_for("answerCallbackQuery")
    (edit,) = await fake.wait_for("editMessageText")
    assert "Senior pay" in visible_text(edit.params["text"])


async def test_many_updates_are_all_answered(fake: FakeTelegram, client: httpx.AsyncClient) -> None:
    """Fifty updates in a row through the route all get their answer."""
    for _ in range(50):
        assert (await post(client, group_update("/salary senior"))).status_code == 200
    calls = await fake.wait_for("sendMessage", count=50)
    assert {call.params["chat_id"] for call in calls} == {GROUP_ID}


async def test_not_running_application_answers_503(
    fake: FakeTelegram, careerbot: CareerBot
) -> None:
    """Before start() the route asks Telegram to retry later instead of dropping updates."""
    idle = TelegramPlatform(make_settings(fake.url), careerbot, limits=TEST_LIMITS)
    app = Starlette(routes=list(idle.routes()))
    async with serve_asgi(app, lifespan="off") as url, httpx.AsyncClient(base_url=url) as http:
        assert (await post(http, text_update("/role"))).status_code == 503


def test_webhook_mode_refuses_to_start_without_a_secret(
    fake: FakeTelegram, careerbot: CareerBot
) -> None:
    """No TELEGRAM_WEBHOOK_SECRET: the platform and the route refuse to be built."""
    with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET"):
        TelegramPlatform(make_settings(fake.url, telegram_webhook_secret=None), careerbot)
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
        webhook_route(object(), careerbot, "")  # type: ignore[arg-type]
