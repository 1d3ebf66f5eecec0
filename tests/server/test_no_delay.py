"""Every connection ``careerbot serve`` accepts sends its responses at once (TCP_NODELAY).

uvicorn writes a response's headers and its body separately. Without TCP_NODELAY the
body waits for the client's delayed ACK of the headers (40 ms on Linux), so a kept-alive
client got about 25 answers a second however fast the bot was. asyncio sets the option
only on sockets accepted from a listener made with ``proto=IPPROTO_TCP``, and uvicorn's
``bind_socket``, which ``careerbot serve`` uses, leaves ``proto`` at 0: the protocol
sets it on each connection instead.
"""

from __future__ import annotations

import socket

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from careerbot_chat.service._guard import guarded_protocol
from tests.servers import stop_server


async def _ok(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


async def test_accepted_connections_have_tcp_nodelay() -> None:
    app = Starlette(routes=[Route("/", _ok)])
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, http=guarded_protocol(5, 10), log_config=None
    )
    config.load()
    sock = config.bind_socket()  # bound as `careerbot serve` binds it
    assert sock.proto == 0, "the case this guards against: asyncio leaves the option off"
    server = uvicorn.Server(config)
    server.lifespan = config.lifespan_class(config)
    await server.startup(sockets=[sock])
    try:
        port = sock.getsockname()[1]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.get("/")).text == "ok"
            (connection,) = server.server_state.connections
            accepted = connection.transport.get_extra_info("socket")
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        await stop_server(server)
        sock.close()
