"""Bot API calls shared by the handlers and the moderation powers.

``api_call`` turns python-telegram-bot's errors into the core's ``PlatformError``
(and counts them), so the core's moderator flow can tell the user what went wrong.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from telegram import Bot, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from careerbot_chat import PermissionMissing, PlatformError
from careerbot_chat.adapter import count_api_error

from . import _words as words
from ._render import Rendered

PLATFORM = "telegram"
T = TypeVar("T")

_NO_RIGHTS = ("not enough rights", "chat_admin_required", "have no rights")


def is_not_modified(exc: TelegramError) -> bool:
    """The Bot API's answer to an edit that changes nothing (which is success for us)."""
    return isinstance(exc, BadRequest) and "message is not modified" in exc.message.lower()


async def counted(method: str, awaitable: Awaitable[T]) -> T:
    """Await a Bot API call; count a failure in the metrics and let it propagate as is."""
    try:
        return await awaitable
    except TelegramError as exc:
        count_api_error(PLATFORM, method)
        exc.add_note(f"{METHOD_NOTE}{method}")
        raise


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
