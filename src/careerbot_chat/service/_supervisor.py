"""``PlatformSupervisor``: starts each platform, retries one whose API is down, stops them.

Serve what can be served: a platform whose API cannot be reached at start is
retried in the background under the service's retry policy while the rest serves,
and ``waiting`` names it (readiness reports it). Only a start that cannot succeed by
waiting (``StartupError``, a rejected token) is raised to the caller.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from .._errors import StartupError
from ._platform import Platform
from ._retry import Backoff, keep_trying, one_line
from ._tasks import Background

__all__ = ["PlatformSupervisor"]

log = logging.getLogger("careerbot.runtime")


class PlatformSupervisor:
    """Starts, retries and stops the platforms of one ``Runtime``."""

    def __init__(
        self,
        platforms: list[Platform],
        *,
        first_start: float,
        retry: Backoff,
        on_ready: Callable[[Platform], object] = lambda platform: None,
    ) -> None:
        self.platforms = platforms
        self.first_start = first_start
        """How long ``start`` waits for each platform's first attempt before serving without it."""
        self.retry = retry
        self.on_ready = on_ready
        """Called once a platform has started."""
        self.waiting: dict[str, str] = {}
        """Platforms not started yet, with why (for the log; readiness names only them)."""
        self.all_started = asyncio.Event()
        """Set once every platform has started (tests and tools may wait on it)."""

    def ready(self) -> dict[str, Platform]:
        """The started platforms, by name."""
        return {p.name: p for p in self.platforms if p.name not in self.waiting}

    async def start(self, background: Background) -> None:
        """First attempts together, waited for at most ``first_start``; retries go on in
        ``background``. Raise the ``StartupError`` of a platform that cannot start."""
        firsts: list[asyncio.Future[None]] = []
        for platform in self.platforms:
            self.waiting[platform.name] = "starting"
            first: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            firsts.append(first)
            background.spawn(self._keep_starting(platform, first))
        if not firsts:
            self.all_started.set()
            return
        await asyncio.wait(firsts, timeout=self.first_start)
        for first in firsts:
            if first.done() and not first.cancelled() and (error := first.exception()):
                raise error

    async def _keep_starting(self, platform: Platform, first: asyncio.Future[None]) -> None:
        name = platform.name

        def failed(error: BaseException) -> None:
            self.waiting[name] = one_line(error)

        try:
            await keep_trying(
                platform.start,
                f"{name} not started",
                self.retry,
                first=first,
                log=log,
                give_up_on=(StartupError,),
                on_retry=failed,
            )
        except StartupError as exc:
            self.waiting[name] = str(exc)
            log.error("%s cannot start: %s", name, exc)
            return
        del self.waiting[name]
        log.info("%s is ready", name)
        self.on_ready(platform)
        if not self.waiting:
            self.all_started.set()

    async def stop(self) -> None:
        """Stop every platform, the last started first; a failure is logged, not raised."""
        for platform in reversed(self.platforms):
            try:
                await platform.stop()
            except Exception:
                log.exception("%s did not stop cleanly", platform.name)
