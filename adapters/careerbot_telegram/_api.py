"""Bot API calls shared by the handlers and the moderation powers.

``api_call`` turns python-telegram-bot's errors into the core's ``PlatformError``
(and counts them), so the core's moderator flow can tell the user what went wrong.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import Any, TypeVar

from telegram import Bot, CallbackQuery, InlineQuery, InlineQueryResult, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from careerbot_chat.adapter import PermissionMissing, PlatformError, count_api_call, count_api_error

from . import _words as words
from ._render import Rendered
from ._reply import PLATFORM as PLATFORM
from ._reply import Params, offer

__all__ = [
    "METHOD_NOTE",
    "NO_PREVIEW",
    "answer_callback",
    "answer_chunks",
    "answer_inline",
    "api_call",
    "counted",
    "edit_text",
    "failed_method",
    "is_not_modified",
    "message_params",
    "platform_error",
    "send_chunks",
]

T = TypeVar("T")

_NO_RIGHTS = ("not enough rights", "chat_admin_required", "have no rights")


def is_not_modified(exc: TelegramError) -> bool:
    """The Bot API's answer to an edit that changes nothing (which is success for us)."""
    return isinstance(exc, BadRequest) and "message is not modified" in exc.message.lower()


async def counted(method: str, awaitable: Awaitable[T]) -> T:
    """Await a Bot API call; count a failure in the metrics and let it propagate as is."""
    try:
        result = await awaitable
    except TelegramError as exc:
        count_api_error(PLATFORM, method)
        exc.add_note(f"{METHOD_NOTE}{method}")
        raise
    count_api_call(PLATFORM, method, "call")
    return result


METHOD_NOTE = "Bot API method: "


def failed_method(exc: BaseException | None) -> str:
    """The Bot API method a failure came from (noted by ``counted``), else ``"?"``."""
    notes = getattr(exc, "__notes__", ())
    return next((n.removeprefix(METHOD_NOTE) for n in notes if n.startswith(METHOD_NOTE)), "?")


def platform_error(method: str, exc: TelegramError) -> PlatformError:
    """The core's error for a failed call: ``PermissionMissing`` when rights are lacking."""
    text = exc.message
    if isinstance(exc, BadRequest) and any(s in text.lower() for s in _NO_RIGHTS):
        return PermissionMissing(
            text, method=method, reason="telegram_pin", hint=words.BOT_CANNOT_PIN
        )
    return PlatformError(text, method=method, reason=text)


async def api_call(method: str, awaitable: Awaitable[T]) -> T:
    """Await a Bot API call; raise ``PlatformError`` (or ``PermissionMissing``) on failure."""
    try:
        return await counted(method, awaitable)
    except TelegramError as exc:
        raise platform_error(method, exc) from exc


async def send_chunks(
    bot: Bot,
    chat_id: int,
    rendered: Rendered,
    *,
    reply_to: int | None = None,
    thread_id: int | None = None,
) -> list[Message]:
    """Send each chunk in order; the first replies to ``reply_to``, the last has the keyboard."""
    sent: list[Message] = []
    last = len(rendered.chunks) - 1
    for index, chunk in enumerate(rendered.chunks):
        quote = reply_to is not None and index == 0
        sent.append(
            await bot.send_message(
                chat_id,
                chunk,
                parse_mode=ParseMode.HTML,
                reply_markup=rendered.keyboard if index == last else None,
                message_thread_id=thread_id,
                reply_parameters=(
                    ReplyParameters(reply_to, allow_sending_without_reply=True)
                    if quote and reply_to is not None
                    else None
                ),
            )
        )
    return sent


# -- answers nobody needs the result of: these may ride in the webhook's HTTP answer --

NO_PREVIEW: Params = {"is_disabled": True}
"""The adapter's ``Defaults`` (HTML, no link previews), spelled out for webhook answers."""


def message_params(text: str, markup: Params | None, **target: Any) -> Params:
    """A text message's parameters: ``target`` says where (chat_id, message_id ...)."""
    params: Params = {
        **target,
        "text": text,
        "parse_mode": ParseMode.HTML.value,
        "link_preview_options": NO_PREVIEW,
    }
    if markup is not None:
        params["reply_markup"] = markup
    return params


async def answer_chunks(
    bot: Bot,
    chat_id: int,
    rendered: Rendered,
    *,
    reply_to: int | None = None,
    thread_id: int | None = None,
) -> list[Message] | None:
    """Send an answer whose message ids nothing stores.

    One message goes in the webhook's answer when it can (see ``_reply``): then the
    result is ``None``, as Telegram tells no one. Several, or when it cannot, go out
    as normal calls in order, and the sent messages are returned.
    """

    def send() -> Awaitable[list[Message]]:
        return send_chunks(bot, chat_id, rendered, reply_to=reply_to, thread_id=thread_id)

    if len(rendered.chunks) == 1:
        params = message_params(rendered.chunks[0], rendered.markup, chat_id=chat_id)
        if thread_id is not None:
            params["message_thread_id"] = thread_id
        if reply_to is not None:
            params["reply_parameters"] = {
                "message_id": reply_to,
                "allow_sending_without_reply": True,
                "quote_parse_mode": ParseMode.HTML.value,  # as PTB's Defaults add it
            }
        if await offer(bot, "sendMessage", params, send, chat_id=chat_id):
            return None
    return await counted("sendMessage", send())


async def edit_text(query: CallbackQuery, rendered: Rendered) -> None:
    """Show ``rendered`` (one message) in place of the message whose button was pressed."""
    message, text = query.message, rendered.chunks[0]
    chat_id = message.chat.id if message is not None else None
    if message is not None:
        target: Params = {"chat_id": chat_id, "message_id": message.message_id}
    else:
        target = {"inline_message_id": query.inline_message_id}
    params = message_params(text, rendered.markup, **target)

    async def edit() -> None:
        try:
            await counted(
                "editMessageText", query.edit_message_text(text, reply_markup=rendered.keyboard)
            )
        except TelegramError as exc:
            if not is_not_modified(exc):
                raise

    if not await offer(query.get_bot(), "editMessageText", params, edit, chat_id=chat_id):
        await edit()


async def answer_callback(query: CallbackQuery, alert: str | None = None) -> None:
    """Stop the button's spinner (with ``alert`` as a pop-up)."""
    params: Params = {"callback_query_id": query.id}
    if alert is not None:
        params.update(text=alert, show_alert=True)

    def answer() -> Awaitable[bool]:
        return query.answer(alert, show_alert=alert is not None)

    if not await offer(query.get_bot(), "answerCallbackQuery", params, answer):
        await counted("answerCallbackQuery", answer())


async def answer_inline(
    query: InlineQuery, results: Sequence[InlineQueryResult], *, cache_time: int
) -> None:
    """Offer ``results`` for an inline query."""
    params: Params = {
        "inline_query_id": query.id,
        "results": [result.to_dict() for result in results],
        "cache_time": cache_time,
    }

    def answer() -> Awaitable[bool]:
        return query.answer(results, cache_time=cache_time)

    if not await offer(query.get_bot(), "answerInlineQuery", params, answer):
        await counted("answerInlineQuery", answer())
