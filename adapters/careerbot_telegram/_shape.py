"""Whether an update's JSON has the types the Bot API promises, before PTB reads it.

python-telegram-bot builds objects from whatever JSON it is given: ``"text": 5`` becomes
a message whose text is a number, and a ``callback_query`` without ``from`` a query
with no sender, and both fail later, deep in the handlers, where the member would get
an apology. Telegram never sends such updates, so one that has them did not come from
Telegram as documented: the webhook refuses it with 400 instead.

Only the fields the adapter reads are checked, wherever they appear in the update.
"""

from __future__ import annotations

from typing import Any

__all__ = ["well_typed"]

STRINGS = frozenset(
    {"text", "caption", "data", "query", "username", "first_name", "last_name", "title",
     "type", "chat_instance", "inline_message_id", "url"}
)  # fmt: skip
INTEGERS = frozenset({"message_id", "date", "message_thread_id"})
BOOLEANS = frozenset({"is_bot", "is_topic_message"})
MESSAGES = frozenset({"message", "edited_message", "channel_post", "edited_channel_post"})
REQUIRED: dict[str, dict[str, type]] = {
    "from": {"id": int, "is_bot": bool, "first_name": str},
    "chat": {"id": int, "type": str},
    "callback_query": {"id": str, "from": dict},
    "inline_query": {"id": str, "from": dict, "query": str},
    **{kind: {"message_id": int, "date": int, "chat": dict} for kind in MESSAGES},
}
"""What an object under each key must hold, by type (Telegram always sends these)."""


def _is(value: object, kind: type) -> bool:
    if kind is int:  # JSON true/false are not numbers here
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def well_typed(data: Any) -> bool:
    """True when every checked field in ``data`` (nested anywhere) has its Bot API type."""
    if isinstance(data, list):
        return all(well_typed(item) for item in data)
    if not isinstance(data, dict):
        return True
    for key, value in data.items():
        if key in STRINGS and not isinstance(value, str):
            return False
        if key in INTEGERS and not _is(value, int):
            return False
        if key in BOOLEANS and not _is(value, bool):
            return False
        if key in REQUIRED:
            if not isinstance(value, dict):
                return False
            if not all(_is(value.get(field), kind) for field, kind in REQUIRED[key].items()):
                return False
        if not well_typed(value):
            return False
    return True
