"""What keeps slow, abandoned and excess connections from tying up ``careerbot serve``.

uvicorn has a keep-alive timeout but no deadline for reading a request, and its
``limit_concurrency`` answers 503 only once a request's headers have arrived: a client
sending a byte a second holds its connection (and a file descriptor) forever. So:

- ``guarded_protocol``: uvicorn's own h11 protocol, plus read deadlines and a connection
  cap. The request line and headers must arrive within the deadline (from the
  connection's first byte, or its opening), and the body within the same deadline
  after the headers: a body still trickling in then gets ``408`` and the connection is
  closed. The deadlines are timers the protocol arms only while a request is
  incomplete, so a request that arrives whole costs nothing. The cap is enforced on
  accept: a connection over it gets ``503`` and is closed at once, so file descriptors
  never run out under a flood.
- ``_HeadWithBody``: each response's head goes out with its body, in one write.
- ``exception_handlers``: a client that hung up mid-body is counted in
  ``careerbot_http_rejected_total`` and answered, never logged with a traceback.
- ``OncePerMinute``: uvicorn's and asyncio's per-event warnings ("Exceeded concurrency
  limit", "socket.accept() out of system resource", which CPython 3.11 repeats up to
  ``backlog`` times per loop tick) become one line a minute with a count.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import socket
import time
from typing import Any, cast

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from . import _metrics as metrics

__all__ = [
    "FD_RESERVE",
    "REFUSAL",
    "SLOW_BODY",
    "OncePerMinute",
    "connection_cap",
    "exception_handlers",
    "guarded_protocol",
    "quiet_repeated_warnings",
]

FD_RESERVE = 64
"""File descriptors kept back from the connection cap: database, platform APIs, logs."""
REFUSAL = b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
SLOW_BODY = b"request body too slow"
TIMED_OUT = "careerbot.body_timed_out"
"""Set in a request's ``scope["state"]`` when its body missed the deadline (the 408 is
sent and counted by then: the disconnect the application sees next is not counted again)."""


def guarded_protocol(read_timeout: float, max_connections: int) -> type[H11Protocol]:
    """uvicorn's h11 protocol with header and body deadlines and a connection cap."""

    class GuardedH11Protocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            if len(self.connections) >= max_connections:
                metrics.request_rejected("over_capacity")
                transport.write(REFUSAL)
                transport.close()
                return
            super().connection_made(transport)
            _no_delay(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            before = self.conn.their_state
            cycle = self.cycle
            super().data_received(data)
            if self.cycle is not cycle and self.cycle is not None:  # a new request began
                self.cycle.transport = cast(
                    asyncio.Transport, _HeadWithBody(self.transport, self.loop)
                )
            state = self.conn.their_state
            if state is h11.SEND_BODY and before is not h11.SEND_BODY:
                self._disarm()  # the headers are in: the body gets a deadline of its own
            if state is h11.IDLE or state is h11.SEND_BODY:
                self._arm()  # headers or body still on their way
            else:
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if self.transport is not None:  # None when refused over the cap
                super().connection_lost(exc)

        def _arm(self) -> None:
            if self._deadline is None:
                self._deadline = self.loop.call_later(read_timeout, self._too_slow)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _too_slow(self) -> None:
            self._deadline = None
            if self.transport.is_closing():
                return
            if self.conn.their_state is h11.IDLE:
                # Mid-request only: an idle keep-alive connection has not started one.
                metrics.request_rejected("header_timeout")
                self.transport.close()
            elif self.conn.their_state is h11.SEND_BODY:
                metrics.request_rejected("body_timeout")
                self._refuse_slow_body()

        def _refuse_slow_body(self) -> None:
            """Answer 408 (unless the application has begun its answer) and close; the
            application, still waiting for the body, reads a disconnect."""
            cycle = self.cycle
            if not cycle.response_started:
                cycle.response_started = True
                head = h11.Response(
                    status_code=408,
                    reason=b"Request Timeout",
                    headers=[
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(SLOW_BODY)).encode()),
                        (b"connection", b"close"),
                    ],
                )
                for event in (head, h11.Data(data=SLOW_BODY), h11.EndOfMessage()):
                    self.transport.write(self.conn.send(event) or b"")
            cycle.scope.setdefault("state", {})[TIMED_OUT] = True
            cycle.disconnected = True
            cycle.message_event.set()
            self.transport.close()

    return GuardedH11Protocol


class _HeadWithBody:
    """A response's transport that sends its head with its body: one system call and one
    TCP segment where uvicorn makes two (about 9 µs of server CPU a request,
    docs/benchmarks.md). A write waits for the next one, or at the latest for the end of
    this turn of the loop, so a body that is not ready at once does not hold the head
    back; closing sends what waits first."""

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        if self._held is None:
            if data:
                self._held = data
                self._loop.call_soon(self._release)
            return
        held, self._held = self._held, None
        self._transport.write(held + data)

    def _release(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            self._transport.write(held)

    def close(self) -> None:
        self._release()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def _no_delay(transport: asyncio.Transport) -> None:
    """Send each response at once (``TCP_NODELAY``).

    asyncio sets it only on sockets accepted from a listener created with
    ``proto=IPPROTO_TCP``; uvicorn's ``bind_socket`` leaves ``proto`` at 0. Without it, a
    response written as headers then body waits for the client's delayed ACK (40 ms on
    Linux) before its body leaves: every keep-alive request took 40 ms longer.
    """
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


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

    if not getattr(request.state, TIMED_OUT, False):  # else counted as body_timeout
        metrics.request_rejected("client_gone")
    return Response(status_code=400)  # nobody is listening; uvicorn drops it


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
