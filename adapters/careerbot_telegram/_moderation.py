"""The core's ``Moderation`` protocol on Telegram: admins, posting and pinning.

Who moderates: the chat's creator and administrators (``getChatMember``); ``/pin``
and ``/unpin`` also need the administrator's own ``can_pin_messages``. A message
sent by an anonymous admin "on behalf of the group" carries
``sender_chat.id == chat.id``; Telegram already checked that sender is an admin, and
``getChatMember`` cannot look the person up, so it counts as a moderator.

The core asks ``is_moderator`` outside its permission handling, so an admin who
lacks "Pin messages" is let through there and told what is missing by the next
step (``check_pin_rights`` for ``/pin``, ``unpin`` for ``/unpin``), which the core
shows as ``ADMIN_CANNOT_PIN``.
"""

from __future__ import annotations

from telegram import Bot, ChatMember, ChatMemberAdministrator

from careerbot_chat.adapter import Chat, PermissionMissing, PlatformError, Reply

from . import _words as words
from ._api import api_call, send_chunks
from ._render import TelegramRenderer, render

__all__ = ["TelegramModeration"]


class TelegramModeration:
    """Moderation powers for one incoming update (its sender and its topic)."""

    def __init__(
        self,
        bot: Bot,
        *,
        sender_chat_id: int | None = None,
        thread_id: int | None = None,
        renderer: TelegramRenderer = render,
    ) -> None:
        self.bot = bot
        self.sender_chat_id = sender_chat_id
        self.thread_id = thread_id
        self.renderer = renderer
        self._admin_cannot_pin = False

    async def is_moderator(self, chat: Chat, user_id: str, *, pinning: bool) -> bool:
        """Creator or administrator; an anonymous admin of this chat counts."""
        if self.sender_chat_id is not None and str(self.sender_chat_id) == chat.chat_id:
            return True
        member = await api_call(
            "getChatMember", self.bot.get_chat_member(int(chat.chat_id), int(user_id))
        )
        if member.status == ChatMember.OWNER:
            return True
        if member.status != ChatMember.ADMINISTRATOR:
            return False
        if pinning and not _can_pin(member):
            self._admin_cannot_pin = True
        return True

    async def check_pin_rights(self, chat: Chat) -> None:
        """The admin and the bot itself both need "Pin messages"."""
        self._check_admin_pin()
        member = await api_call(
            "getChatMember", self.bot.get_chat_member(int(chat.chat_id), self.bot.id)
        )
        if member.status != ChatMember.ADMINISTRATOR or not _can_pin(member):
            raise PermissionMissing(
                "the bot lacks can_pin_messages",
                method="getChatMember",
                reason="telegram_pin",
                hint=words.BOT_CANNOT_PIN,
            )

    async def post_card(self, chat: Chat, reply: Reply) -> str:
        """Send the card to the chat (in the asking topic); return its first message's id."""
        sent = await api_call(
            "sendMessage",
            send_chunks(
                self.bot, int(chat.chat_id), self.renderer(reply), thread_id=self.thread_id
            ),
        )
        return str(sent[0].message_id)

    async def pin(self, chat: Chat, message_id: str) -> None:
        await api_call(
            "pinChatMessage",
            self.bot.pin_chat_message(
                int(chat.chat_id), int(message_id), disable_notification=True
            ),
        )

    async def unpin(self, chat: Chat, message_id: str) -> None:
        """Unpin the card; one that is already gone counts as unpinned."""
        self._check_admin_pin()
        try:
            await api_call(
                "unpinChatMessage", self.bot.unpin_chat_message(int(chat.chat_id), int(message_id))
            )
        except PlatformError as exc:
            if isinstance(exc, PermissionMissing) or "not found" not in str(exc).lower():
                raise

    def _check_admin_pin(self) -> None:
        if self._admin_cannot_pin:
            raise PermissionMissing(
                "the admin lacks can_pin_messages",
                method="getChatMember",
                reason="telegram_admin_pin",
                hint=words.ADMIN_CANNOT_PIN,
            )


def _can_pin(member: ChatMember) -> bool:
    return isinstance(member, ChatMemberAdministrator) and bool(member.can_pin_messages)
