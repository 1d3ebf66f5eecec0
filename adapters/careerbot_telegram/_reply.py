"""Answering inside the webhook's HTTP response ("reply into webhook").

The Bot API lets the HTTP answer to a webhook delivery carry one method call as
JSON (``{"method": "sendMessage", ...}``, status 200, ``application/json``):
Telegram runs it and tells no one the result. That saves the bot a whole HTTPS
round trip for the common case, one answer per update. python-telegram-bot has no
such mode, so the webhook route opens a ``WebhookReply`` for the update it is
processing (a context variable, so it follows the update through PTB's handlers)
and the send path *offers* its call to it:

- an offer is taken only while the route still waits for the update (``open``),
  and only when the flood budget grants it now (``FloodBudget.acquire`` without
  waiting, see ``_flood``): a call that would have to wait for Telegram's limits, or
  for a 429's pause, goes out as a normal call and waits there, so
  ``TELEGRAM_RATE_LIMIT`` and ``..._GROUP_RATE_LIMIT`` keep their meaning;
- callers offer only calls whose result nobody needs (never a card about to be
  pinned, never a message whose id is stored) and only single-message answers;
- one call fits. When another Bot API call is made while one is held, the held one
  is sent first as a normal call (``FloodControl.process_request``), so Telegram
  sees the calls in the order the bot made them.

In polling mode, or for an update processed outside the route, there is no open
reply and every offer is declined.

A caller that already took a call's share of the budget (a group answer that
waited its turn, see ``_burst``) says so with ``prepay(chat_id)``: the next call to
that chat in the same context spends it instead of asking the budget again.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Bot
from telegram.error import RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

from careerbot_chat.adapter import count_api_call, count_api_error

from ._flood import ChatId, FloodBudget

__all__ = [
    "PLATFORM",
    "Callback",
    "Fallback",
    "FloodControl",
    "Params",
    "WebhookReply",
    "forget_prepaid",
    "forget_reply",
    "offer",
    "open_reply",
    "prepaid",
    "prepay",
    "retry_after_seconds",
    "spend_prepaid",
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


_PREPAID: contextvars.ContextVar[tuple[str, bool] | None] = contextvars.ContextVar(
    "careerbot_telegram_prepaid", default=None
)


def prepay(chat_id: ChatId, *, may_ride: bool) -> contextvars.Token[tuple[str, bool] | None]:
    """The next call to ``chat_id`` in this context has its budget share already.

    ``may_ride``: the share was granted the moment it was asked, so the call may go in
    the webhook's answer; a share that was waited for goes out as a call.
    """
    return _PREPAID.set((str(chat_id), may_ride))


def forget_prepaid(token: contextvars.Token[tuple[str, bool] | None]) -> None:
    """Drop a share ``prepay`` noted and no call spent (the context is as before)."""
    _PREPAID.reset(token)


def spend_prepaid(chat_id: ChatId, *, riding: bool = False) -> bool:
    """Use the share ``prepay`` noted for ``chat_id``, if there is one (only once).

    ``riding``: for a call offered to the webhook's answer, which only a share granted
    at once may carry.
    """
    noted = _PREPAID.get()
    if chat_id is None or noted is None or noted[0] != str(chat_id) or (riding and not noted[1]):
        return False
    _PREPAID.set(None)
    return True


def prepaid(chat_id: ChatId) -> bool:
    """Whether a share is noted for ``chat_id`` (a call offered with it may not ask again)."""
    noted = _PREPAID.get()
    return noted is not None and noted[0] == str(chat_id)


def open_reply(bot: Bot) -> tuple[WebhookReply, contextvars.Token[WebhookReply | None]]:
    """Open a reply for the update about to be processed in this context."""
    reply = WebhookReply(bot)
    return reply, _CURRENT.set(reply)


def forget_reply(token: contextvars.Token[WebhookReply | None]) -> None:
    _CURRENT.reset(token)


async def offer(
    bot: Bot, method: str, params: Params, fallback: Fallback, *, chat_id: ChatId = None
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
    limiter = getattr(bot, "rate_limiter", None)  # ExtBot's public property; None on a plain Bot
    # A share waited for is spent by the call: never ask the budget for a second one.
    if (
        isinstance(limiter, FloodControl)
        and not spend_prepaid(chat_id, riding=True)
        and (prepaid(chat_id) or not await limiter.budget.acquire(chat_id, wait=False))
    ):
        return False
    await reply.flush()
    reply.hold(method, params, fallback)
    return True


Callback = Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]]


class FloodControl(BaseRateLimiter[int]):
    """PTB's rate limiter, through its public ``BaseRateLimiter`` interface, on a ``FloodBudget``.

    Every Bot API call asks ``budget`` for its share first (waiting for it); a 429
    pauses the budget for ``retry_after`` and the call is tried again, up to
    ``max_retries`` times (``rate_limit_args``, when a caller gives it, overrides
    that). A call held for the webhook answer is sent before any later one.
    Calls carried by webhook answers take their share in ``offer``, from the same
    budget.
    """

    def __init__(self, budget: FloodBudget, *, max_retries: int) -> None:
        self.budget = budget
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Connect the budget (a shared one reaches its store here)."""
        await self.budget.open()

    async def shutdown(self) -> None:
        """Disconnect the budget."""
        await self.budget.close()

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
        chat_id = data.get("chat_id")
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        attempt = 0
        prepaid = spend_prepaid(chat_id)
        while True:
            if not prepaid:
                await self.budget.acquire(chat_id)
            prepaid = False
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                await self.budget.pause(seconds)
                if attempt >= retries:
                    raise
                attempt += 1
                log.info("%s: flood-limited, trying again in %s s", endpoint, seconds)


def retry_after_seconds(exc: RetryAfter) -> float:
    """The seconds a 429 asks to wait.

    A ``timedelta``, as this package opts in to (``PTB_TIMEDELTA``); an int should the
    environment opt out.
    """
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
