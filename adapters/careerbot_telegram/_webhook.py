"""``POST /telegram/webhook``: a Starlette route that checks Telegram updates and answers them.

- 403 unless ``X-Telegram-Bot-Api-Secret-Token`` equals the secret (constant time);
- 413 for a body over ``max_body`` bytes, 400 for one that is not a JSON object
  update (an object with an integer ``update_id`` that python-telegram-bot can read);
- 503 while the Application is not running (Telegram retries later);
- 200 for a duplicate delivery (already claimed in the store), without processing;
- 200 once the Application has processed the update, with the answer's one Bot API
  call as the JSON body when it could ride there (see ``_reply``), else empty.

The update is processed in a task of the Application's (``create_task``, so
``Application.stop`` waits for it and PTB's ``concurrent_updates`` bounds it). An
update that takes longer than ``reply_within`` seconds (a slow Bot API under a
moderator command) gets its HTTP answer then, carrying whatever call is held, and
goes on in the background with normal calls.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot, Update
from telegram.ext import Application

from careerbot_chat.adapter import MAX_BODY, CareerBot, count_rejected, read_capped

from ._api import PLATFORM
from ._reply import forget_reply, open_reply
from ._shape import well_typed

__all__ = ["PATH", "SECRET_HEADER", "parse_update", "webhook_route"]

log = logging.getLogger("careerbot.telegram")
PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
REPLY_WITHIN_SECONDS = 2.0
"""How long the route waits for an update's answer before answering Telegram empty."""


def webhook_route(
    application: Application,  # type: ignore[type-arg]
    careerbot: CareerBot,
    secret: str,
    *,
    path: str = PATH,
    max_body: int = MAX_BODY,
    reply_within: float = REPLY_WITHIN_SECONDS,
) -> Route:
    """The route; refuses to exist without a secret, so a webhook is never left open."""
    if not secret:
        raise ValueError("a Telegram webhook needs TELEGRAM_WEBHOOK_SECRET")
    expected = secret.encode()

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, expected):
            count_rejected("bad_secret")
            return Response("wrong or missing secret token", status_code=403)
        body = await read_capped(request, max_body)
        if body is None:
            count_rejected("too_large")
            return Response("body too large", status_code=413)
        update = parse_update(body, application.bot)
        if update is None:
            count_rejected("malformed")
            return Response("not a Telegram update", status_code=400)
        if not application.running:
            return Response("not ready", status_code=503)
        if not await careerbot.first_delivery(PLATFORM, str(update.update_id)):
            return Response(status_code=200)
        return await answer_update(application, update, reply_within)

    return Route(path, telegram_webhook, methods=["POST"])


async def answer_update(
    application: Application,  # type: ignore[type-arg]
    update: Update,
    within: float,
) -> Response:
    """Process ``update`` now; the HTTP answer carries its one call when it can."""
    reply, token = open_reply(application.bot)
    try:  # the task copies this context, the open reply with it
        task = application.create_task(
            application.update_processor.process_update(update, application.process_update(update)),
            update=update,
        )
    finally:
        forget_reply(token)
    done, _ = await asyncio.wait((task,), timeout=within)
    if not done:
        log.info("update %s: answering Telegram before processing finished", update.update_id)
    body = reply.close()
    if not body:
        return Response(status_code=200)
    return Response(body, status_code=200, media_type="application/json")


def parse_update(body: bytes, bot: Bot) -> Update | None:
    """The ``Update`` in ``body``, or ``None`` when it is not a JSON object update."""
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested past Python's stack
        return None
    if not isinstance(data, dict):
        return None
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return None
    if not well_typed(data):
        log.info("update %s refused: a field does not have its Bot API type", update_id)
        return None
    try:
        return Update.de_json(data, bot)
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
        # Wrong types, dates past year 9999 (``"date": 1e20``), nesting past the stack.
        log.info("update %s could not be read: %s", update_id, type(exc).__name__)
        return None
