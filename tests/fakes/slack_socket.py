"""A fake Slack Socket Mode server: a WebSocket on 127.0.0.1 (aiohttp), as Slack runs one.

The fake Web API's ``apps.connections.open`` hands out ``url``; a client that connects
gets Slack's ``hello``. ``send_command`` and ``send_event`` deliver envelopes the way
Slack does (``slash_commands``, ``events_api``) over the newest link, and
``acknowledged`` waits for the client's acknowledgement of one (its ``payload`` is what
a slash command shows). ``drop()`` closes the link from the server's side, as Slack does
when it moves a connection; ``stop()`` and ``start()`` take the server away and back.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

PATH = "/link"


@dataclass
class FakeSocketMode:
    links: list[web.WebSocketResponse] = field(default_factory=list)
    """Every link a client opened, oldest first (closed ones stay)."""
    acks: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The acknowledgements received, by envelope id."""
    port: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{PATH}"

    async def start(self) -> None:
        """Listen (on the port of an earlier start, if there was one)."""
        app = web.Application()
        app.router.add_get(PATH, self._link)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        """Close every link and stop listening."""
        if self._runner is not None:
            for link in self.links:
                await link.close()
            await self._runner.cleanup()
            self._runner = None

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        link = web.WebSocketResponse(autoping=True)
        await link.prepare(request)
        await link.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0CAREER"}}
        )
        async with self._changed:
            self.links.append(link)
            self._changed.notify_all()
        async for message in link:
            if message.type != WSMsgType.TEXT:
                continue
            ack = json.loads(message.data)
            async with self._changed:
                self.acks[str(ack.get("envelope_id"))] = ack
                self._changed.notify_all()
        return link

    async def connected(self, count: int = 1, within: float = 10.0) -> web.WebSocketResponse:
        """The newest open link, once ``count`` links have been opened in all."""

        def ready() -> bool:
            return len(self.links) >= count and not self.links[-1].closed

        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(ready)
        return self.links[-1]

    async def send(self, kind: str, payload: dict[str, Any], **fields: Any) -> str:
        """Deliver an envelope of ``kind`` over the newest link; its envelope id."""
        link = await self.connected()
        envelope_id = f"env-{next(self._ids)}"
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload, **fields}
        await link.send_json(envelope)
        return envelope_id

    async def send_command(self, form: str) -> str:
        """A slash command (``form``: the body Slack would POST, form-encoded)."""
        payload = dict(parse_qsl(form))
        return await self.send("slash_commands", payload, accepts_response_payload=True)

    async def send_event(self, body: str, *, retry_attempt: int = 0) -> str:
        """An Events API callback (``body``: the JSON Slack would POST)."""
        fields = {"accepts_response_payload": False, "retry_attempt": retry_attempt}
        return await self.send("events_api", json.loads(body), **fields)

    async def acknowledged(self, envelope_id: str, within: float = 10.0) -> dict[str, Any]:
        """The client's acknowledgement of ``envelope_id``, once it came."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: envelope_id in self.acks)
        return self.acks[envelope_id]

    async def drop(self) -> None:
        """Close the newest link from the server's side."""
        await self.links[-1].close()
