"""Telegram update payloads for tests, as the Bot API sends them (JSON dicts).

Send them through the webhook route as they are, or turn them into ``Update``
objects with ``as_update(payload, bot)`` for ``Application.process_update``.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from telegram import Bot, Update

from tests.fakes.telegram_api import ANONYMOUS_ADMIN_ID, BOT_ID, BOT_USERNAME

GROUP_ID = -1001234567890
OTHER_GROUP_ID = -1009876543210
MEMBER_ID = 4242
ADMIN_ID = 5151
OWNER_ID = 6161

_update_ids = itertools.count(100_000)
_message_ids = itertools.count(1)


def next_update_id() -> int:
    return next(_update_ids)


def user(user_id: int = MEMBER_ID, *, is_bot: bool = False, username: str = "") -> dict[str, Any]:
    return {
        "id": user_id,
        "is_bot": is_bot,
        "first_name": f"User {user_id}",
        **({"username": username} if username else {}),
    }


def private_chat(user_id: int = MEMBER_ID) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": f"User {user_id}"}


def group_chat(chat_id: int = GROUP_ID) -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": "Career community"}


def message(
    text: str,
    *,
    chat: dict[str, Any] | None = None,
    sender: dict[str, Any] | None = None,
    sender_chat: dict[str, Any] | None = None,
    message_id: int | None = None,
    reply_markup: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message; text starting with ``/`` gets its ``bot_command`` entity."""
    payload: dict[str, Any] = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "date": int(time.time()),
        "chat": chat or private_chat(),
        "from": sender or user(),
        "text": text,
    }
    if text.startswith("/"):
        payload["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if sender_chat is not None:
        payload["sender_chat"] = sender_chat
    if reply_markup is not None:
        payload["reply_markup"] = reply_markup
    return payload


def text_update(text: str, **options: Any) -> dict[str, Any]:
    """An update carrying a new message (a command when ``text`` starts with ``/``)."""
    return {"update_id": next_update_id(), "message": message(text, **options)}


def group_update(text: str, *, sender_id: int = MEMBER_ID, **options: Any) -> dict[str, Any]:
    """A message in the test supergroup from ``sender_id``."""
    return text_update(text, chat=group_chat(), sender=user(sender_id), **options)


def anonymous_admin_update(text: str, chat_id: int = GROUP_ID) -> dict[str, Any]:
    """A message an anonymous admin sent on behalf of the group."""
    return text_update(
        text,
        chat=group_chat(chat_id),
        sender=user(ANONYMOUS_ADMIN_ID, is_bot=True, username="GroupAnonymousBot"),
        sender_chat=group_chat(chat_id),
    )


def keyboard(*commands: str) -> dict[str, Any]:
    """An inline keyboard, one button per command (label = the command)."""
    return {"inline_keyboard": [[{"text": c, "callback_data": c} for c in commands]]}


def callback_update(
    data: str,
    *,
    chat: dict[str, Any] | None = None,
    sender_id: int = MEMBER_ID,
    message_id: int = 900,
    buttons: tuple[str, ...] = (),
    text: str = "An earlier card",
) -> dict[str, Any]:
    """A button press on a bot message whose keyboard holds ``buttons`` (default: ``data``)."""
    card = message(
        text,
        chat=chat or private_chat(sender_id),
        sender=user(BOT_ID, is_bot=True, username=BOT_USERNAME),
        message_id=message_id,
        reply_markup=keyboard(*(buttons or (data,))),
    )
    return {
        "update_id": next_update_id(),
        "callback_query": {
            "id": str(next_update_id()),
            "from": user(sender_id),
            "chat_instance": "ci-1",
            "data": data,
            "message": card,
        },
    }


def inline_callback_update(data: str, *, sender_id: int = MEMBER_ID) -> dict[str, Any]:
    """A button press on a message sent through inline mode (no chat, an inline id)."""
    return {
        "update_id": next_update_id(),
        "callback_query": {
            "id": str(next_update_id()),
            "from": user(sender_id),
            "chat_instance": "ci-2",
            "data": data,
            "inline_message_id": "AAAAAinline",
        },
    }


def inline_update(query: str, *, sender_id: int = MEMBER_ID) -> dict[str, Any]:
    return {
        "update_id": next_update_id(),
        "inline_query": {
            "id": str(next_update_id()),
            "from": user(sender_id),
            "query": query,
            "offset": "",
        },
    }


def as_update(payload: dict[str, Any], bot: Bot) -> Update:
    update = Update.de_json(payload, bot)
    assert update is not None
    return update


def mention_update(text: str, mentioned: str = "", **options: Any) -> dict[str, Any]:
    """A group message whose ``mentioned`` substring is an @username mention entity."""
    update = group_update(text, **options)
    if mentioned:
        update["message"]["entities"] = [
            {"type": "mention", "offset": _utf16_offset(text, mentioned), "length": len(mentioned)}
        ]
    return update


def text_mention_update(text: str, name: str, user_id: int, **options: Any) -> dict[str, Any]:
    """A group message whose ``name`` links to the user ``user_id`` (a text mention)."""
    update = group_update(text, **options)
    update["message"]["entities"] = [
        {
            "type": "text_mention",
            "offset": _utf16_offset(text, name),
            "length": len(name),
            "user": user(user_id, is_bot=user_id == BOT_ID),
        }
    ]
    return update


def reply_update(text: str, to: dict[str, Any], **options: Any) -> dict[str, Any]:
    """A group message replying to the message ``to``."""
    update = group_update(text, **options)
    update["message"]["reply_to_message"] = to
    return update


def bot_message(
    message_id: int, *, chat: dict[str, Any] | None = None, buttons: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A message the bot sent earlier (as a ``reply_to_message``)."""
    return message(
        "An earlier card",
        chat=chat or group_chat(),
        sender=user(BOT_ID, is_bot=True, username=BOT_USERNAME),
        message_id=message_id,
        reply_markup=keyboard(*buttons) if buttons else None,
    )


def _utf16_offset(text: str, part: str) -> int:
    start = text.index(part)
    return len(text[:start].encode("utf-16-le")) // 2
