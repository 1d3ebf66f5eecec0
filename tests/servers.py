"""Run ASGI apps under a real uvicorn on 127.0.0.1, port 0, inside a test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator
from typing import Any, Literal

import uvicorn

STOP_TIMEOUT = 10.0


@contextlib.asynccontextmanager
async def serve_asgi(
    app: Any, *, lifespan: Literal["auto", "on", "off"] = "on", port: int = 0
) -> AsyncIterator[str]:
    """Serve ``app`` on loopback (a free port unless given); yield ``http://127.0.0.1:PORT``.

    uvicorn's own ``serve()`` polls for its exit flag every 0.1 s and sleeps another 0.1 s
    while shutting down; a suite that starts hundreds of servers spent most of its time
    there. Here the server is started and stopped directly: it is listening when this
    yields, and stopping waits for its connections and tasks to finish, nothing longer.
    """
    # IPPROTO_TCP explicitly: with proto=0 asyncio never sets TCP_NODELAY on accepted
    # connections, and every response then waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="warning", lifespan=lifespan, access_log=False, timeout_keep_alive=75
    )
    config.load()
    server = uvicorn.Server(config)
    server.lifespan = config.lifespan_class(config)
    try:
        await server.startup(sockets=[sock])
        await server.on_tick(0)  # the Date and Server headers, as serve() would set them
        yield f"http://127.0.0.1:{port}"
    finally:
        await stop_server(server)
        sock.close()


async def stop_server(server: uvicorn.Server) -> None:
    """uvicorn's graceful shutdown without its fixed sleeps: close, drain, lifespan shutdown."""
    for listener in server.servers:
        listener.close()
    for connection in list(server.server_state.connections):
        connection.shutdown()  # idle keep-alive connections close now, busy ones after replying
    deadline = time.monotonic() + STOP_TIMEOUT
    state = server.server_state
    while state.connections or state.tasks:
        if time.monotonic() > deadline:
            for task in state.tasks:
                task.cancel()
            break
        await asyncio.sleep(0.002)
    for listener in server.servers:
        await listener.wait_closed()
    if server.started:
        await server.lifespan.shutdown()
