"""A TCP proxy on 127.0.0.1 that can hang: a database that accepts and never answers.

    async with HangingProxy(("127.0.0.1", 5432)) as proxy:   # proxy.port forwards to PG
        ...
        proxy.hang()     # from now on: connections accepted, no byte passes either way
        proxy.resume()   # forward again (connections opened while hung stay dead)

``HangingProxy(None)`` is hung from the start: a socket that accepts and never answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType


class HangingProxy:
    def __init__(self, target: tuple[str, int] | None) -> None:
        self.target = target
        self.hung = target is None
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.accepted = 0

    async def __aenter__(self) -> HangingProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    def url(self, database_url: str) -> str:
        """``database_url`` with its host and port replaced by this proxy's."""
        from urllib.parse import urlparse

        parts = urlparse(database_url)
        user = f"{parts.username}@" if parts.username else ""
        return parts._replace(netloc=f"{user}127.0.0.1:{self.port}").geturl()

    def hang(self) -> None:
        self.hung = True

    def resume(self) -> None:
        self.hung = False

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self._writers.add(writer)
        if self.hung or self.target is None:
            await _drain_forever(reader)
            return
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._writers.add(up_writer)
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.get_running_loop().create_task(self._pipe(source, sink))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await source.read(65536):
                if self.hung:  # swallow everything from now on, like a frozen server
                    await _drain_forever(source)
                    return
                sink.write(data)
                await sink.drain()
        sink.close()


async def _drain_forever(reader: asyncio.StreamReader) -> None:
    with contextlib.suppress(OSError):
        while await reader.read(65536):
            pass
