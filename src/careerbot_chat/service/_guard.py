"""What keeps slow, abandoned and excess connections from tying up ``careerbot serve``.

Each protection comes from the layer that offers it through a public interface:

- **uvicorn** (``uvicorn.Config``, see ``server_limits``): ``timeout_keep_alive`` closes
  a kept-alive connection idle for ``CAREERBOT_HTTP_READ_TIMEOUT``; ``limit_concurrency``
  answers ``503`` (and closes) a request that arrives while the connection cap is
  reached; ``h11_max_incomplete_event_size`` refuses a request line and headers larger
  than 16 KiB with ``400``; ``backlog`` bounds the connections waiting to be accepted.
- **our ASGI code**: ``BodyDeadline`` gives each request's body the same deadline once
  its headers are in (a body still trickling in then gets ``408`` and the connection is
  closed), and counts a client that hangs up mid-body; the webhook routes refuse a body
  over 1 MiB with ``413`` (``_http.read_capped``); ``exception_handlers`` answers the
  disconnect Starlette raises, so it is never logged with a traceback; ``OncePerMinute``
  turns uvicorn's and asyncio's per-event warnings ("Exceeded concurrency limit",
  "socket.accept() out of system resource", which CPython 3.11 repeats up to
  ``backlog`` times per loop tick) into one line a minute with a count.
- **the reverse proxy** (``deploy/nginx.conf``): a deadline for the request line and
  headers (``client_header_timeout``), for a connection that never sends a byte, and a
  connection cap applied on accept. uvicorn has no public setting for either: its
  keep-alive timer runs only after a response, and its cap answers only once headers
  have arrived, so a client sending a header byte every few seconds holds a connection
  (and a file descriptor) for as long as it likes. Whoever publishes ``careerbot serve``
  to the internet puts it behind such a proxy (docs/security.md).
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from typing import Any

from . import _metrics as metrics

__all__ = [
    "FD_RESERVE",
    "SLOW_BODY",
    "BodyDeadline",
    "OncePerMinute",
    "connection_cap",
    "exception_handlers",
    "quiet_repeated_warnings",
    "server_limits",
]

FD_RESERVE = 64
"""File descriptors kept back from the connection cap: database, platform APIs, logs."""
SLOW_BODY = b"request body too slow"
MAX_HEADERS = 16 * 1024
"""The largest request line and headers uvicorn's h11 parser buffers (then 400)."""
BACKLOG = 2048
"""Connections the kernel queues before uvicorn accepts them."""


def server_limits(read_timeout: float, max_connections: int) -> dict[str, Any]:
    """``uvicorn.Config`` options: idle keep-alive deadline, connection cap, header size."""
    return {
        "timeout_keep_alive": read_timeout,
        "limit_concurrency": max_connections,
        "h11_max_incomplete_event_size": MAX_HEADERS,
        "backlog": BACKLOG,
    }


class BodyDeadline:
    """ASGI middleware: a request's body must arrive within ``timeout`` seconds of its
    headers, else ``408`` with ``connection: close``, and the application reads a
    disconnect. A client that hangs up before its body is complete is counted as
    ``client_gone``; one that was too slow, as ``body_timeout`` (once).
    """

    def __init__(self, app: Any, timeout: float) -> None:
        self.app = app
        self.timeout = timeout

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.timeout
        started = refused = False
        done = False  # the whole body has been received, or the request has ended

        async def timed_receive() -> Any:
            nonlocal done, started, refused
            if done:
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                done = True
                metrics.request_rejected("body_timeout")
                if not started:
                    started = refused = True
                    await _refuse_slow_body(send)
                return {"type": "http.disconnect"}
            if message["type"] == "http.disconnect":
                done = True
                metrics.request_rejected("client_gone")
            elif not message.get("more_body", False):
                done = True
            return message

        async def tracked_send(message: Any) -> None:
            nonlocal started
            if refused:  # the 408 went out instead: the application's answer has no one
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, timed_receive, tracked_send)


async def _refuse_slow_body(send: Any) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 408,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(SLOW_BODY)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": SLOW_BODY})


def connection_cap(wanted: int) -> int:
    """``wanted``, lowered to fit the open-files limit (whose soft value is raised first)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):  # not allowed here: keep the soft limit
            pass
    return max(1, min(wanted, soft - FD_RESERVE))


async def _client_gone(request: Any, exc: Exception) -> Any:
    from starlette.responses import Response

    # Counted by BodyDeadline (as client_gone or body_timeout); nobody is listening.
    return Response(status_code=400)


def exception_handlers() -> dict[Any, Any]:
    """Starlette exception handlers for requests that end before their body does."""
    from starlette.requests import ClientDisconnect

    return {ClientDisconnect: _client_gone}


class OncePerMinute(logging.Filter):
    """Let through the first of each listed message a minute, with how many were held back."""

    MESSAGES = (
        "Exceeded concurrency limit.",
        "socket.accept() out of system resource",
        "Invalid HTTP request received.",
    )

    def __init__(self, period: float = 60.0) -> None:
        super().__init__()
        self.period = period
        self.last: dict[str, float] = {}
        self.held: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg).split("\n", 1)[0]
        if message not in self.MESSAGES:
            return True
        now = time.monotonic()
        if now - self.last.get(message, -self.period) < self.period:
            self.held[message] = self.held.get(message, 0) + 1
            return False
        self.last[message] = now
        held = self.held.pop(message, 0)
        record.msg = f"{message} (and {held} more in the last minute)" if held else message
        record.args = None
        record.exc_info = None  # the traceback of an accept() failure says nothing more
        return True


def quiet_repeated_warnings() -> None:
    """Install ``OncePerMinute`` on the loggers that repeat per event (once per process)."""
    for name in ("uvicorn.error", "asyncio"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, OncePerMinute) for f in logger.filters):
            logger.addFilter(OncePerMinute())
