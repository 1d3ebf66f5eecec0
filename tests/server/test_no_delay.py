"""Every connection ``careerbot serve`` accepts sends its responses at once (TCP_NODELAY).

uvicorn writes a response's headers and its body separately. Without TCP_NODELAY the
body waits for the client's delayed ACK of the headers (40 ms on Linux), so a kept-alive
client got about 25 answers a second however fast the bot was. asyncio sets the option
on connections accepted from a listener bound with ``IPPROTO_TCP``, as uvicorn's
``bind_socket`` binds it in the locked version (older ones left ``proto`` at 0, and a
protocol subclass set the option). The test looks at the server's own end of a real
connection: it borrows that socket from the running process (Linux ``pidfd_getfd``).
"""

from __future__ import annotations

import asyncio
import ctypes
import errno
import os
import socket
from collections.abc import Iterator

import pytest

from tests.server.stack import Stack

PIDFD_GETFD = 438
"""The system call's number, the same on every Linux architecture."""


def borrowed_sockets(pid: int) -> Iterator[socket.socket]:
    """A duplicate of each socket process ``pid`` holds (closed by the caller)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    try:
        for name in os.listdir(f"/proc/{pid}/fd"):
            try:
                if not os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:"):
                    continue
            except FileNotFoundError:  # closed meanwhile
                continue
            fd = libc.syscall(PIDFD_GETFD, pidfd, int(name), 0)
            if fd < 0:
                code = ctypes.get_errno()
                if code in (errno.EPERM, errno.ENOSYS):
                    pytest.skip(f"cannot borrow another process's socket here: {os.strerror(code)}")
                continue
            yield socket.socket(fileno=fd)
    finally:
        os.close(pidfd)


def server_end(pid: int, peer: tuple[str, int]) -> socket.socket:
    """The server's socket of the connection whose client end is ``peer``."""
    found = None
    for sock in borrowed_sockets(pid):
        try:
            if sock.family == socket.AF_INET and sock.getpeername() == peer:
                found = sock
                continue
        except OSError:  # a listener: no peer
            pass
        sock.close()
    assert found is not None, f"no connection from {peer} in the server"
    return found


async def test_accepted_connections_have_tcp_nodelay(stack: Stack) -> None:
    """The server's end of a kept-alive connection has TCP_NODELAY set."""
    host, port = stack.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: careerbot\r\n\r\n")
        assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200 ")
        with server_end(stack.process.pid, writer.get_extra_info("sockname")) as sock:
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        writer.close()
        await writer.wait_closed()
