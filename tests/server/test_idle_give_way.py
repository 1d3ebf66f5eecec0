"""Idle kept-alive connections give way first at the connection cap (issue 23, item 5).

`careerbot serve` runs with a cap of 20 connections and a keep-alive deadline (30 s)
far longer than the test, driven by raw sockets: connections left idle after one
request each must not keep a genuine Telegram update at 503, and requests in flight
must not be cut to make room.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bench.load import WEBHOOK_SECRET
from tests.server.conftest import start_stack
from tests.server.stack import Stack
from tests.telegram import builders as tg_builders

pytestmark = pytest.mark.slow

CAP = 20
LIMITS = {"CAREERBOT_HTTP_MAX_CONNECTIONS": str(CAP), "CAREERBOT_HTTP_READ_TIMEOUT": "30"}
CHART = b"GET /charts/x.png HTTP/1.1\r\nHost: careerbot\r\n\r\n"

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@pytest.fixture
async def capped(tmp_path: Path) -> AsyncIterator[Stack]:
    async with start_stack(tmp_path, **LIMITS) as running:
        yield running


async def connect(stack: Stack) -> Connection:
    host, port = stack.url.removeprefix("http://").split(":")
    return await asyncio.open_connection(host, int(port))


async def response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The status and body of the next response on a connection (5 s at most)."""
    async with asyncio.timeout(5):
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if line)
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return int(lines[0].split()[1]), body


async def closed_by_server(reader: asyncio.StreamReader) -> bool:
    """Whether the server closed the connection (it has nothing more to send)."""
    try:
        async with asyncio.timeout(5):
            return await reader.read() == b""
    except ConnectionError:
        return True


def webhook_head(body: bytes) -> bytes:
    return (
        b"POST /telegram/webhook HTTP/1.1\r\nHost: careerbot\r\n"
        b"Content-Type: application/json\r\n"
        + f"X-Telegram-Bot-Api-Secret-Token: {WEBHOOK_SECRET}\r\n".encode()
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )


async def idle_give_way_count(stack: Stack) -> float:
    async with httpx.AsyncClient(timeout=5) as client:
        page = (await client.get(f"{stack.url}/metrics")).text
    for line in page.splitlines():
        if line.startswith("careerbot_http_idle_closed_total "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_idle_connections_give_way_to_a_genuine_update(capped: Stack) -> None:
    """With three requests in flight, twenty connections that each fetched a chart and went
    idle are all answered; a signed Telegram update then gets 200, not 503, while the
    newest idle connection is still open (so long before the keep-alive deadline); the
    longest idle ones were closed, and the requests in flight finish with 200."""
    opened: list[Connection] = []
    try:
        busy = []
        for _ in range(3):
            body = json.dumps(tg_builders.text_update("/role mlops")).encode()
            reader, writer = await connect(capped)
            opened.append((reader, writer))
            writer.write(webhook_head(body) + body[:10])  # the rest is sent at the end
            busy.append((reader, writer, body[10:]))
        idle = []
        for _ in range(CAP):
            reader, writer = await connect(capped)
            opened.append((reader, writer))
            writer.write(CHART)
            status, _ = await response(reader)
            assert status == 404, f"idle connection {len(idle) + 1} of {CAP} got {status}"
            idle.append((reader, writer))

        update = tg_builders.text_update("/salary staff")
        async with httpx.AsyncClient(
            timeout=5, event_hooks={"response": [capped.telegram.read_webhook_answer]}
        ) as client:
            answer = await client.post(
                f"{capped.url}/telegram/webhook",
                headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
                content=json.dumps(update).encode(),
            )
        assert answer.status_code == 200
        (sent,) = await capped.telegram.wait_for("sendMessage", count=1)
        assert "₹1.2 Cr+" in sent.params["text"]

        newest_reader, newest_writer = idle[-1]
        newest_writer.write(CHART)  # still open: answered on the same connection
        assert (await response(newest_reader))[0] == 404
        assert await closed_by_server(idle[0][0])  # the longest idle went first
        assert await idle_give_way_count(capped) >= 1

        for reader, writer, rest in busy:  # never cut: their answers still come
            writer.write(rest)
            status, reply = await response(reader)
            assert status == 200
            assert json.loads(reply)["method"] == "sendMessage"  # the answer, as a webhook reply
    finally:
        for _, writer in opened:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
