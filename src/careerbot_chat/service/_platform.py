"""What ``careerbot serve`` needs from an adapter: routes to mount and a lifecycle.

An adapter module's ``create_platform(settings, bot)`` returns an object with:

- ``name``: ``"telegram"`` or ``"slack"``;
- ``routes()``: Starlette routes (``POST /telegram/webhook``, ``POST /slack/events``);
- ``start()`` / ``stop()``: connect and disconnect (initialise the framework, register
  the webhook, publish the command menu ...), awaited by the server's lifespan;
- ``edit_card(chat, message_id, reply)``: edit a posted card in place (pinned-card
  refresh); raises ``PlatformError`` on failure, and treats "not modified" as success.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ..answering._reply import Reply
from ._inbound import Chat

__all__ = ["Platform"]


class Platform(Protocol):
    name: str

    def routes(self) -> Sequence[Any]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def edit_card(self, chat: Chat, message_id: str, reply: Reply) -> None: ...
