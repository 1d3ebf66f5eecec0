"""``Database``: opens the store, keeps trying while it is down, and says whether it answers.

Opening (connect and migrate) has a deadline; a database that is down or silent at
start is retried in the background under the service's retry policy while the
rest serves, and readiness names it until it answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from .._errors import StoreError, StoreUnavailable
from ..store._guard import GuardedStore, within
from . import _metrics as metrics
from ._retry import Backoff, keep_trying
from ._tasks import Background

__all__ = ["Database"]

log = logging.getLogger("careerbot.runtime")


class Database:
    """The store's lifecycle for a ``Runtime``: open, reopen with backoff, ping, close."""

    def __init__(self, store: GuardedStore, *, open_seconds: float, retry: Backoff) -> None:
        self.store = store
        self.open_seconds = open_seconds
        """How long opening may take before it counts as failed (and is retried)."""
        self.retry = retry
        self.is_open = False
        self.error: str | None = "not opened yet"
        self.opened = asyncio.Event()
        """Set once the store is open (tests and tools may wait on it)."""

    async def start(self, background: Background) -> bool:
        """Try to open now; if that fails, keep trying in ``background``. Whether it opened."""
        first: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        background.spawn(self._keep_opening(first))
        await first
        if self.is_open:
            await self.count_pins()
        return self.is_open

    async def _keep_opening(self, first: asyncio.Future[None]) -> None:
        retried = False

        def failed(_: BaseException) -> None:
            nonlocal retried
            retried = True

        try:
            await keep_trying(
                self._open,
                "database unavailable",
                self.retry,
                first=first,
                log=log,
                retry_on=(StoreError,),
                on_retry=failed,
            )
        except Exception:  # not an outage: start() raises it (``first`` carries it)
            return
        self.opened.set()
        if retried:
            log.info("database is back")
            await self.count_pins()

    async def _open(self) -> None:
        try:
            await within(self.store.open(), self.open_seconds)
        except (StoreError, TimeoutError) as exc:
            self.is_open = False
            self.error = str(exc) or f"no answer within {self.open_seconds:g} s"
            await self.close()
            raise StoreUnavailable(self.error) from None
        self.is_open, self.error = True, None

    async def close(self) -> None:
        """Close what an open left behind, without waiting on the server past the deadline."""
        with contextlib.suppress(StoreError, TimeoutError, OSError):
            await within(self.store.close(), self.open_seconds)

    async def count_pins(self) -> None:
        """Set the pinned-cards gauge from the store (skipped while it is down)."""
        if self.is_open:
            with contextlib.suppress(StoreError):
                metrics.pins_recorded(len(await self.store.pins()))

    async def problem(self) -> str | None:
        """Why the database cannot serve now, or ``None`` when it answers a ping."""
        if not self.is_open:
            return self.error or "not open"
        try:
            await self.store.ping()
        except StoreError as exc:
            return str(exc) or type(exc).__name__
        return None
