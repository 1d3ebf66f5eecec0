"""Slow bodies, idle kept-alive connections and excess requests are cut off while
normal requests keep answering.

The tests share one `careerbot serve` with a one-second read deadline and a small
connection cap, and drive it with raw sockets. A deadline for headers, and for a connection that
never sends a byte, belongs to the reverse proxy (``deploy/nginx.conf``): uvicorn has no
public setting for it; ``test_the_proxy_holds_the_deadlines_uvicorn_lacks`` pins that.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from tests.server.conftest import start_stack
from tests.server.stack import Stack

pytestmark = pytest.mark.slow
in_module_loop = pytest.mark.asyncio(loop_scope="module")
"""For the tests of the module's server (``limited``), which lives in the module's loop."""

LIMITS = {"CAREERBOT_HTTP_READ_TIMEOUT": "1", "CAREERBOT_HTTP_MAX_CONNECTIONS": "30"}
HEAD = b"POST /slack/events HTTP/1.1\r\nHost: careerbot\r\nContent-Type: text/plain\r\n"
PACE = 0.1
"""Seconds between a trickling client's bytes (and how long it waits to see a close)."""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def limited(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    """One limited server for the module: each test cuts off the clients it opened and
    checks the server answers again, and counts rejections from where it found them."""
    async with start_stack(tmp_path_factory.mktemp("limited"), **LIMITS) as running:
        yield running


async def connect(stack: Stack) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = stack.url.removeprefix("http://").split(":")
    return await asyncio.open_connection(host, int(port))


async def trickle(stack: Stack, head: bytes, then: bytes, limit: float = 30) -> bytes:
    """Send ``head`` at once, then ``then`` a byte at a time until the server closes.

    Returns what the server sent before closing; fails if it never closes in ``limit`` s.
    """
    reader, writer = await connect(stack)
    received = b""
    try:
        writer.write(head)
        deadline = time.monotonic() + limit
        for byte in then * 1000:
            assert time.monotonic() < deadline, "the server never cut this client off"
            try:
                writer.write(bytes([byte]))
                await writer.drain()
            except ConnectionError:
                return received
            try:
                chunk = await asyncio.wait_for(reader.read(4096), PACE)
            except TimeoutError:
                continue
            except ConnectionError:  # closed with our bytes unread: a reset
                return received
            if not chunk:
                return received
            received += chunk
        raise AssertionError("ran out of bytes to trickle")
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def answers(stack: Stack) -> int:
    async with httpx.AsyncClient(timeout=5) as client:
        return (await client.get(f"{stack.url}/healthz")).status_code


async def rejected(stack: Stack, reason: str) -> float:
    async with httpx.AsyncClient(timeout=5) as client:
        text = (await client.get(f"{stack.url}/metrics")).text
    for line in text.splitlines():
        if line.startswith(f'careerbot_http_rejected_total{{reason="{reason}"}}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@in_module_loop
async def test_trickling_body_gets_408(limited: Stack) -> None:
    """A body arriving a byte at a time is refused with 408 and the connection closed."""
    head = HEAD + b"Content-Length: 100000\r\n\r\n"
    gone = await rejected(limited, "client_gone")
    too_slow = await rejected(limited, "body_timeout")
    tricklers = [asyncio.create_task(trickle(limited, head, b"x" * 100)) for _ in range(5)]
    assert await answers(limited) == 200
    replies = await asyncio.gather(*tricklers)
    # A 408 may be lost to the reset that closing with unread bytes causes; the count is not.
    assert all(reply == b"" or reply.startswith(b"HTTP/1.1 408 ") for reply in replies)
    assert any(reply.startswith(b"HTTP/1.1 408 ") for reply in replies)
    assert await rejected(limited, "body_timeout") >= too_slow + 5
    assert await rejected(limited, "client_gone") == gone  # counted once, as too slow
    assert await answers(limited) == 200


async def request(stack: Stack, within: float) -> bytes:
    """``GET /healthz`` on a fresh connection; what the server sent until it closed,
    which it must do ``within`` seconds."""
    reader, writer = await connect(stack)
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: careerbot\r\n\r\n")
        return await asyncio.wait_for(reader.read(), timeout=within)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


@in_module_loop
async def test_idle_kept_alive_connections_are_closed(limited: Stack) -> None:
    """A kept-alive connection left idle after its answer is closed after the deadline
    (1 s here; uvicorn's own default, 5 s, would miss the wait)."""
    reply = await request(limited, within=4)
    assert reply.startswith(b"HTTP/1.1 200 ")
    assert b"connection: close" not in reply.lower()  # closed for idling, not by the answer


@in_module_loop
async def test_requests_over_the_cap_get_503(limited: Stack) -> None:
    """With the cap's worth of connections open, a request gets 503 and its connection is
    closed; once they are gone, requests are served again."""
    opened = [await connect(limited) for _ in range(40)]
    try:
        for _, writer in opened:
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: careerbot\r\n\r\n")
        replies = await asyncio.gather(
            *(asyncio.wait_for(reader.read(), timeout=15) for reader, _ in opened)
        )
    finally:
        for _, writer in opened:
            writer.close()
    refused = [reply for reply in replies if reply.startswith(b"HTTP/1.1 503 ")]
    assert len(refused) >= 10
    assert all(reply.startswith((b"HTTP/1.1 200 ", b"HTTP/1.1 503 ")) for reply in replies)
    assert await answers(limited) == 200


async def test_low_open_files_limit_sheds_connections_without_log_storm(tmp_path: Path) -> None:
    """With 128 open files allowed and 300 clients asking at once, the server answers
    each (200, or 503 over the cap) as descriptors free up, logs a line or two instead of
    an accept() error storm, and still answers afterwards."""
    async with start_stack(tmp_path, open_files=128, CAREERBOT_HTTP_READ_TIMEOUT="1") as stack:
        start = len(stack.log())
        opened = [await connect(stack) for _ in range(300)]
        try:
            for _, writer in opened:
                writer.write(b"GET /healthz HTTP/1.1\r\nHost: careerbot\r\n\r\n")
            replies = await asyncio.gather(
                *(asyncio.wait_for(reader.read(), timeout=20) for reader, _ in opened)
            )
            assert all(reply.startswith((b"HTTP/1.1 200 ", b"HTTP/1.1 503 ")) for reply in replies)
        finally:
            for _, writer in opened:
                writer.close()
        assert await answers(stack) == 200
        lines = stack.log()[start:].splitlines()
        assert len(lines) <= 3, "\n".join(lines[:20])
        assert "Traceback" not in stack.log()


def directives(block: str) -> dict[str, str]:
    """``name value`` of each one-line directive in an nginx ``block``'s text."""
    lines = (line.split("#", 1)[0].strip() for line in block.splitlines())
    return dict(line.rstrip(";").split(None, 1) for line in lines if line.endswith(";"))


def test_the_proxy_holds_the_deadlines_uvicorn_lacks() -> None:
    """deploy/nginx.conf sets the header, body and idle deadlines and the body cap, and
    lets an idle upstream connection go before the server would close it."""
    conf = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()
    upstream = conf[conf.index("upstream careerbot {") : conf.index("server {")]
    server = directives(conf[conf.index("server {") :])
    assert server["client_header_timeout"] == "10s"
    assert server["client_body_timeout"] == "10s"
    assert server["client_max_body_size"] == "1m"
    assert server["keepalive_timeout"] == "10s"
    to_server = directives(upstream)
    assert to_server["server"] == "careerbot:8080"
    assert int(to_server["keepalive_timeout"].removesuffix("s")) < 10
