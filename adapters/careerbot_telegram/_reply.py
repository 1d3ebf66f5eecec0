"""Answering inside the webhook's HTTP response ("reply into webhook").

The Bot API lets the HTTP answer to a webhook delivery carry one method call as
JSON (``{"method": "sendMessage", ...}``, status 200, ``application/json``):
Telegram runs it and tells no one the result. That saves the bot a whole HTTPS
round trip for the common case, one answer per update. python-telegram-bot has no
such mode, so the webhook route opens a ``WebhookReply`` for the update it is
processing (a context variable, so it follows the update through PTB's handlers)
and the send path *offers* its call to it:

- an offer is taken only while the route still waits for the update (``open``),
  and only when the flood budget has room now (``FloodControl.try_reserve``): a
  call that would have to wait for Telegram's limits goes out as a normal call and
  waits there, so ``TELEGRAM_RATE_LIMIT`` and ``..._GROUP_RATE_LIMIT`` keep their
  meaning;
- callers offer only calls whose result nobody needs (never a card about to be
  pinned, never a message whose id is stored) and only single-message answers;
- one call fits. When another Bot API call is made while one is held, the held one
  is sent first as a normal call (``FloodControl.process_request``), so Telegram
  sees the calls in the order the bot made them.

In polling mode, or for an update processed outside the route, there is no open
reply and every offer is declined.
"""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter

from careerbot_chat.adapter import count_api_call, count_api_error

__all__ = [
    "PLATFORM",
    "Callback",
    "Fallback",
    "FloodControl",
    "Params",
    "WebhookReply",
    "forget_reply",
    "offer",
    "open_reply",
]

PLATFORM = "telegram"
log = logging.getLogger("careerbot.telegram")

Params = dict[str, Any]
Fallback = Callable[[], Awaitable[object]]


class WebhookReply:
    """The one Bot API call the webhook's HTTP answer may still carry."""

    __slots__ = ("bot", "fallback", "method", "open", "params")

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.open = True
        self.method: str | None = None
        self.params: Params = {}
        self.fallback: Fallback | None = None

    def hold(self, method: str, params: Params, fallback: Fallback) -> None:
        self.method, self.params, self.fallback = method, params, fallback

    def take(self) -> tuple[str, Params, Fallback] | None:
        """The held call, removed (``None`` when nothing is held)."""
        if self.method is None or self.fallback is None:
            return None
        call = (self.method, self.params, self.fallback)
        self.method, self.params, self.fallback = None, {}, None
        return call

    def close(self) -> bytes:
        """Close for offers; the HTTP answer's body (empty when no call is held)."""
        self.open = False
        call = self.take()
        if call is None:
            return b""
        method, params, _ = call
        count_api_call(PLATFORM, method, "webhook_reply")
        return json.dumps({"method": method, **params}, separators=(",", ":")).encode()

    async def flush(self) -> None:
        """Send the held call now, as a normal call (a later call must not overtake it)."""
        call = self.take()
        if call is None:
            return
        method, _, fallback = call
        try:
            await fallback()
        except TelegramError as exc:
            count_api_error(PLATFORM, method)
            log.warning("%s (held for the webhook answer, sent early) failed: %s", method, exc)
        else:
            count_api_call(PLATFORM, method, "call")


_CURRENT: contextvars.ContextVar[WebhookReply | None] = contextvars.ContextVar(
    "careerbot_telegram_webhook_reply", default=None
)


def open_reply(bot: Bot) -> tuple[WebhookReply, contextvars.Token[WebhookReply | None]]:
    """Open a reply for the update about to be processed in this context."""
    reply = WebhookReply(bot)
    return reply, _CURRENT.set(reply)


def forget_reply(token: contextvars.Token[WebhookReply | None]) -> None:
    _CURRENT.reset(token)


async def offer(
    bot: Bot, method: str, params: Params, fallback: Fallback, *, chat_id: int | None = None
) -> bool:
    """Put the call into the webhook answer if one is open and the budget has room now.

    ``fallback`` makes the same call normally, should a later call need it sent first.
    ``chat_id`` is the chat the flood limits count the call against (``None`` for
    calls Telegram does not limit, such as answerCallbackQuery). False: the caller
    makes the call normally.
    """
    reply = _CURRENT.get()
    if reply is None or not reply.open or reply.bot is not bot:
        return False
    limiter = getattr(bot, "rate_limiter", None)
    if isinstance(limiter, FloodControl) and not await limiter.try_reserve(chat_id):
        return False
    await reply.flush()
    reply.hold(method, params, fallback)
    return True


Callback = Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]]


class FloodControl(AIORateLimiter):
    """PTB's ``AIORateLimiter`` that also budgets calls sent inside webhook answers.

    Telegram counts a call carried by a webhook answer against the same flood limits
    as any other, so such a call takes its share of the budget here, but only when
    the share is there now: ``try_reserve`` never waits. PTB offers no public way to
    ask whether a call would wait, so this reads the limiter's own ``aiolimiter``
    buckets (``AsyncLimiter.has_capacity`` / ``acquire``, public in aiolimiter) by the
    attribute names of python-telegram-bot 22; ``test_reply`` pins the behaviour.
    """

    async def try_reserve(self, chat_id: int | str | None) -> bool:
        """Take one call from the budget for ``chat_id`` if that needs no waiting."""
        if not self._retry_after_event.is_set():  # a 429 pause is on: everything waits
            return False
        buckets = []
        if chat_id is not None and self._base_limiter is not None:
            buckets.append(self._base_limiter)
        if _is_group(chat_id) and self._group_max_rate:
            buckets.append(self._get_group_limiter(chat_id))  # type: ignore[arg-type]
        if not all(bucket.has_capacity() for bucket in buckets):
            return False
        for bucket in buckets:  # has room: acquire returns without suspending
            await bucket.acquire()
        return True

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        reply = _CURRENT.get()
        if reply is not None and reply.method is not None:
            await reply.flush()
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


def _is_group(chat_id: int | str | None) -> bool:
    """As ``AIORateLimiter`` decides: a negative id or a ``@username`` is a group."""
    if isinstance(chat_id, str):
        try:
            return int(chat_id) < 0
        except ValueError:
            return True
    return chat_id is not None and chat_id < 0
