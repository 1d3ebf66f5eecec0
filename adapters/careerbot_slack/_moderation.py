"""The Slack side of the core's moderator flow (check rights → post → pin → record).

The flow itself lives in ``careerbot_chat.CareerBot``; this class lends it Slack's
powers. Moderators are workspace admins and owners (users.info) and the user ids in
``SLACK_MODERATOR_IDS``. Slack tells us at ``pins.add`` time whether the bot may pin
(``not_in_channel``, ``missing_scope``), so there is nothing to check beforehand.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from careerbot_chat.adapter import Chat, PlatformError, Reply

from ._render import Mode, SlackRenderer
from ._web import SlackWeb

__all__ = ["SlackModeration"]

log = logging.getLogger("careerbot.slack")


class SlackModeration:
    """Implements ``careerbot_chat.Moderation`` with the Slack Web API."""

    def __init__(
        self,
        web: SlackWeb,
        render: SlackRenderer,
        moderator_ids: Iterable[str] = (),
        *,
        pinned: Callable[[Chat], Awaitable[None]] | None = None,
    ) -> None:
        self.web = web
        self.render = render
        self.moderator_ids = frozenset(moderator_ids)
        self.pinned = pinned
        """Told of each chat a card was pinned in (Add to Slack: which workspace it is in)."""

    async def is_moderator(self, chat: Chat, user_id: str, *, pinning: bool) -> bool:
        """Listed in ``SLACK_MODERATOR_IDS``, or a workspace admin/owner."""
        if user_id in self.moderator_ids:
            return True
        try:
            return await self.web.is_admin(user_id)
        except PlatformError as exc:
            log.warning("could not look up %s, treating as a member: %s", user_id, exc)
            return False

    async def check_pin_rights(self, chat: Chat) -> None:
        """Nothing to do: ``pins.add`` reports missing rights precisely."""

    async def post_card(self, chat: Chat, reply: Reply) -> str:
        """Post ``reply`` for everyone (chat.postMessage); return the message ``ts``."""
        return await self.web.post(chat.chat_id, self.render(reply, Mode.POSTED))

    async def pin(self, chat: Chat, message_id: str) -> None:
        await self.web.pin(chat.chat_id, message_id)
        if self.pinned is not None:
            await self.pinned(chat)

    async def unpin(self, chat: Chat, message_id: str) -> None:
        await self.web.unpin(chat.chat_id, message_id)
