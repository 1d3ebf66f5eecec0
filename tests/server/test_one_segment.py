"""A response's head goes out with its body: one write (one system call, one TCP segment)
where uvicorn makes two; a body that is not ready at once does not hold the head back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from careerbot_chat.service._guard import guarded_protocol
from tests.servers import stop_server


async def _card(request: Request) -> Response:
    return PlainTextResponse("the card " * 200)


async def _late(request: Request) -> Response:
    async def parts() -> AsyncIterator[bytes]:
        await request.app.state.late.wait()
        yield b"late body"

    return StreamingResponse(parts(), media_type="text/plain")


@pytest.fixture
async def served() -> AsyncIterator[tuple[uvicorn.Server, httpx.AsyncClient]]:
    app = Starlette(routes=[Route("/card", _card), Route("/late", _late)])
    app.state.late = asyncio.Event()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, http=guarded_protocol(5, 10), log_config=None
    )
    config.load()
    sock = config.bind_socket()
    server = uvicorn.Server(config)
    server.lifespan = config.lifespan_class(config)
    await server.startup(sockets=[sock])
    port = sock.getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            yield server, client
    finally:
        app.state.late.set()
        await stop_server(server)
        sock.close()


@pytest.fixture
def writes() -> list[bytes]:
    return []


def record(server: uvicorn.Server, writes: list[bytes]) -> None:
    """Record what the connection's socket transport is asked to send from now on."""
    (connection,) = server.server_state.connections
    transport: Any = connection.transport
    send = transport.write

    def write(data: bytes) -> None:
        writes.append(bytes(data))
        send(data)

    transport.write = write


async def test_head_and_body_in_one_write(
    served: tuple[uvicorn.Server, httpx.AsyncClient], writes: list[bytes]
) -> None:
    server, client = served
    assert (await client.get("/card")).status_code == 200  # the kept-alive connection
    record(server, writes)
    response = await client.get("/card")
    assert response.text == "the card " * 200
    (sent,) = writes
    assert sent.startswith(b"HTTP/1.1 200 OK\r\n")
    assert sent.endswith(b"\r\n\r\n" + b"the card " * 200)


async def test_a_late_body_does_not_hold_the_head(
    served: tuple[uvicorn.Server, httpx.AsyncClient], writes: list[bytes]
) -> None:
    server, client = served
    assert (await client.get("/card")).status_code == 200
    record(server, writes)
    async with client.stream("GET", "/late") as response:
        assert response.status_code == 200, "the head arrived while the body was not ready"
        assert writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"late body" not in b"".join(writes)
        server.config.app.state.late.set()
        assert await response.aread() == b"late body"


async def test_a_closing_connection_gets_everything_first(
    served: tuple[uvicorn.Server, httpx.AsyncClient],
) -> None:
    _, client = served
    response = await client.get("/card", headers={"connection": "close"})
    assert response.headers["connection"] == "close"
    assert response.text == "the card " * 200
