"""What an adapter hands the core: where a message came from, and the message itself.

``Chat`` and ``Inbound`` are the neutral request (as Bolt's ``BoltRequest`` is for
every web framework): an adapter digs its platform's payload apart once, into these,
and the core never sees the payload. ``Moderation`` and ``Publisher`` are the
platform powers an adapter lends the core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..answering._reply import Reply

__all__ = ["Chat", "Inbound", "Moderation", "Publisher"]


@dataclass(frozen=True, slots=True)
class Chat:
    """Where a command was asked: ``platform`` + ``chat_id``; groups allow moderation."""

    platform: str
    chat_id: str
    is_group: bool = False


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message for the bot, whatever the platform.

    ``addressed`` says the member spoke to the bot (a private chat, a mention, a
    reply to the bot, a slash command): plain words are then read as a question,
    not ignored as group chatter. ``replying_to`` is the canonical command of the
    card the message replies to (``Reply.asked``), when it replies to one.
    ``bot_username`` lets ``/role@OtherBot`` be left to the other bot.
    """

    text: str
    chat: Chat
    sender: str | None = None
    addressed: bool = False
    replying_to: str | None = None
    bot_username: str | None = None


class Moderation(Protocol):
    """The platform powers an adapter lends the core for moderator commands."""

    async def is_moderator(self, chat: Chat, user_id: str, *, pinning: bool) -> bool:
        """Whether ``user_id`` may moderate here (and pin, when ``pinning``)."""

    async def check_pin_rights(self, chat: Chat) -> None:
        """Raise ``PermissionMissing`` if the bot could not pin in ``chat``."""

    async def post_card(self, chat: Chat, reply: Reply) -> str:
        """Post ``reply`` for everyone; return the new message's id."""

    async def pin(self, chat: Chat, message_id: str) -> None: ...

    async def unpin(self, chat: Chat, message_id: str) -> None: ...


class Publisher(Protocol):
    """Edits a posted card in place; used to keep pinned cards current."""

    async def edit_card(self, chat: Chat, message_id: str, reply: Reply) -> None: ...
