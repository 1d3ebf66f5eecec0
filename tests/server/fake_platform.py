"""A minimal Platform for server tests: one route that asks the bot, and a recording publisher."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from careerbot_chat import CareerBot, Chat, Inbound, PlatformError, Reply, render_plain


@dataclass
class FakePlatform:
    bot: CareerBot
    name: str = "fake"
    edits: list[tuple[str, str, str]] = field(default_factory=list)
    fail_edits: int = 0
    started: bool = False

    def routes(self) -> list[Any]:
        return [Route("/fake/ask", self._ask, methods=["POST"])]

    async def _ask(self, request: Request) -> Response:
        body = await request.json()
        chat = Chat(self.name, str(body.get("chat", "c1")), is_group=True)
        reply = await self.bot.handle(Inbound(body["text"], chat, "u1"))
        assert reply is not None
        return JSONResponse({"text": render_plain(reply), "outcome": reply.outcome.value})

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.started = False

    async def edit_card(self, chat: Chat, message_id: str, reply: Reply) -> None:
        if self.fail_edits:
            self.fail_edits -= 1
            raise PlatformError("edit refused", method="edit", reason="500")
        self.edits.append((chat.chat_id, message_id, reply.title))
