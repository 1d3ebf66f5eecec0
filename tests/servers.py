"""Run ASGI apps under a real uvicorn on 127.0.0.1, port 0, inside a test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any, Literal

import uvicorn


@contextlib.asynccontextmanager
async def serve_asgi(
    app: Any, *, lifespan: Literal["auto", "on", "off"] = "on", port: int = 0
) -> AsyncIterator[str]:
    """Serve ``app`` on loopback (a free port unless given); yield ``http://127.0.0.1:PORT``."""
    # IPPROTO_TCP explicitly: with proto=0 asyncio never sets TCP_NODELAY on accepted
    # connections, and every response then waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="warning", lifespan=lifespan, access_log=False, timeout_keep_alive=75
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)
        sock.close()
