"""``POST /telegram/webhook``: a Starlette route that checks and queues Telegram updates.

The route answers at once and the Application processes the update afterwards:

- 403 unless ``X-Telegram-Bot-Api-Secret-Token`` equals the secret (constant time);
- 413 for a body over ``max_body`` bytes, 400 for one that is not a JSON object
  update (an object with an integer ``update_id``);
- 503 while the Application is not running (Telegram retries later);
- 200 for a duplicate delivery (already claimed in the store), without processing;
- 200 after putting the update on ``application.update_queue``.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot, Update
from telegram.ext import Application

from careerbot_chat import CareerBot
from careerbot_chat.adapter import MAX_BODY, read_capped

from ._api import PLATFORM

log = logging.getLogger("careerbot.telegram")
PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret


def webhook_route(
    application: Application,  # type: ignore[type-arg]
    careerbot: CareerBot,
    secret: str,
    *,
    path: str = PATH,
    max_body: int = MAX_BODY,
) -> Route:
    """The route; refuses to exist without a secret, so a webhook is never left open."""
    if not secret:
        raise ValueError("a Telegram webhook needs TELEGRAM_WEBHOOK_SECRET")
    expected = secret.encode()

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, expected):
            return Response("wrong or missing secret token", status_code=403)
        body = await read_capped(request, max_body)
        if body is None:
            return Response("body too large", status_code=413)
        update = parse_update(body, application.bot)
        if update is None:
            return Response("not a Telegram update", status_code=400)
        if not application.running:
            return Response("not ready", status_code=503)
        if await careerbot.first_delivery(PLATFORM, str(update.update_id)):
            await application.update_queue.put(update)
        return Response(status_code=200)

    return Route(path, telegram_webhook, methods=["POST"])


def parse_update(body: bytes, bot: Bot) -> Update | None:
    """The ``Update`` in ``body``, or ``None`` when it is not a JSON object update."""
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return None
    try:
        return Update.de_json(data, bot)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        log.info("update %s could not be read: %s", update_id, exc)
        return None
