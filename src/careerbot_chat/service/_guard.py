"""What keeps slow, abandoned and excess connections from tying up ``careerbot serve``.

Each protection comes from the layer that offers it through a public interface:

- **uvicorn** (``uvicorn.Config``, see ``server_limits``): ``timeout_keep_alive`` closes
  a kept-alive connection idle for ``CAREERBOT_HTTP_READ_TIMEOUT``; ``limit_concurrency``
  answers ``503`` (and closes) a request that arrives while the connection cap is
  reached; ``h11_max_incomplete_event_size`` refuses a request line and headers larger
  than 16 KiB with ``400``; ``backlog`` bounds the connections waiting to be accepted.
- **our ASGI code**: ``IdleGiveWay`` closes idle kept-alive connections, oldest first,
  when the connections near the cap, so they never hold it against a new request
  (uvicorn counts an idle connection toward ``limit_concurrency`` until its keep-alive
  deadline); ``BodyDeadline`` gives each request's body the same deadline once
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
from collections.abc import Collection
from typing import Any

from . import _metrics as metrics

__all__ = [
    "FD_RESERVE",
    "SLOW_BODY",
    "BodyDeadline",
    "IdleGiveWay",
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


Key = tuple[Any, Any]
"""A connection's ``(server, client)`` addresses: as uvicorn's protocol and scope name them."""


class IdleGiveWay:
    """ASGI middleware: idle kept-alive connections give way first at the connection cap.

    uvicorn counts every open connection toward ``limit_concurrency`` and answers ``503``
    to a request arriving when there are ``cap`` of them, idle or not; a kept-alive
    connection stays idle until its deadline. So whenever more than ``cap - headroom``
    connections are open, as a request starts or ends, the idle ones (a response sent,
    nothing in flight) are asked to close, the longest idle first, until at most
    ``cap - 2 * headroom`` remain or none is idle. Idle connections are only made when a
    response ends, and trimmed right then, so they never take the last ``headroom``
    places: a new connection is refused only when the others are busy (or still sending
    their first request). The trim goes down a further ``headroom``, so the scan of the
    connections runs about once per ``headroom`` requests near the cap, not on each.

    It reads uvicorn's public surface only: the server's ``server_state.connections``
    (given to ``watch``), each connection's ``server`` and ``client`` addresses (the
    scope's, as uvicorn sets them), and ``shutdown()``, which closes an idle connection
    at once and one whose next request has just arrived after its response, so no
    request is cut. It must wrap the application outside uvicorn's proxy-headers
    middleware, which rewrites the scope's ``client``.

    A pair of addresses names one open connection. An entry older than the keep-alive
    deadline is dropped (uvicorn has closed that connection by then), so a later
    connection from the same port, which TCP's TIME_WAIT holds back for a minute
    anyway, is not taken for an idle one.
    """

    def __init__(self, app: Any, cap: int, keep_alive: float) -> None:
        self.app = app
        self.cap = cap
        self.headroom = max(2, cap // 20)
        self.keep_alive = keep_alive
        self.connections: Collection[Any] = ()
        self.busy: dict[Key, int] = {}
        """Requests in flight, by connection."""
        self.idle: dict[Key, float] = {}
        """When each connection's last response ended, oldest first; entries older than
        the keep-alive deadline are dropped, uvicorn having closed the connection."""
        self.closing: set[Any] = set()

    def watch(self, connections: Collection[Any]) -> None:
        """Count and close from ``connections``: uvicorn's ``Server.server_state.connections``."""
        self.connections = connections

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        client = scope.get("client") if scope["type"] == "http" else None
        if client is None:
            await self.app(scope, receive, send)
            return
        key = (scope.get("server"), client)
        self.idle.pop(key, None)
        self.busy[key] = self.busy.get(key, 0) + 1
        self.make_room()
        try:
            await self.app(scope, receive, send)
        finally:
            left = self.busy.pop(key) - 1
            if left:
                self.busy[key] = left
            else:
                self.idle[key] = asyncio.get_running_loop().time()
                self.make_room()

    def make_room(self) -> None:
        """Close idle connections, longest idle first, when the connections near the cap."""
        now = asyncio.get_running_loop().time()
        while self.idle:  # forget connections uvicorn has closed for idling
            oldest = next(iter(self.idle))
            if now - self.idle[oldest] < self.keep_alive:
                break
            del self.idle[oldest]
        if self.closing:  # closed ones leave the set once their transport has gone
            self.closing.intersection_update(self.connections)
        if len(self.connections) <= self.cap - self.headroom:
            return
        excess = len(self.connections) - len(self.closing) - (self.cap - 2 * self.headroom)
        if excess <= 0 or not self.idle:
            return
        by_key = {(c.server, c.client): c for c in self.connections}
        closed = 0
        while closed < excess and self.idle:
            key = next(iter(self.idle))
            del self.idle[key]
            connection = by_key.get(key)
            if connection is not None and connection not in self.closing:
                connection.shutdown()
                self.closing.add(connection)
                closed += 1
        metrics.idle_closed(closed)


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
