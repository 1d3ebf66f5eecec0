"""``Runtime``: the long-lived parts of a running bot, and how they start, reload and stop.

It loads the catalogue, owns the store and the ``CareerBot``, creates one platform
per configured adapter, flushes usage counts, keeps trying a store that is down,
and reloads content (SIGHUP, ``--watch``) without dropping a request: the new
catalogue is validated in a worker thread and swapped in whole, or refused with the
old one kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from pathlib import Path
from typing import Any

from .._errors import ContentError, StoreError
from ..answering._derived import warm
from ..catalog._loader import CatalogHolder, Stamp, content_stamp, load_catalog
from ..store._sqlite import Store, open_store
from . import _metrics as metrics
from ._bot import CareerBot
from ._platform import Platform
from ._plugins import registrations
from ._refresh import RefreshReport, refresh_pins
from ._settings import Settings

__all__ = [
    "STORE_RETRY_SECONDS",
    "USAGE_FLUSH_SECONDS",
    "WATCH_SECONDS",
    "Runtime",
    "edit_paces",
    "setup_hints",
]

log = logging.getLogger("careerbot.runtime")

USAGE_FLUSH_SECONDS = 30.0
STORE_RETRY_SECONDS = 5.0
WATCH_SECONDS = 1.0


def edit_paces() -> dict[str, float]:
    """Seconds between pinned-card edits, per platform, as each adapter registered it."""
    return {name: adapter.edit_pace for name, adapter in registrations().items()}


def setup_hints() -> str:
    """How to turn each platform on, in the adapters' own words."""
    return "; ".join(a.setup_hint for a in registrations().values() if a.setup_hint) or "an adapter"


class Runtime:
    def __init__(
        self,
        settings: Settings,
        content_dir: Path | None = None,
        *,
        store: Store | None = None,
        platforms: list[Platform] | None = None,
        watch: bool = False,
        pace: dict[str, float] | None = None,
    ) -> None:
        metrics.enable()
        self.settings = settings
        self.content_dir = content_dir or settings.content_dir
        catalog = warm(load_catalog(self.content_dir))  # indexes built before serving
        self.holder = CatalogHolder(catalog, self.content_dir or catalog.source, prepare=warm)
        self.store = store or open_store(settings.database_url)
        self.bot = CareerBot(self.holder, self.store)
        self.platforms = platforms if platforms is not None else self._create_platforms()
        self.watch = watch
        self.pace = pace if pace is not None else edit_paces()
        self.store_open = False
        self.store_error: str | None = "not opened yet"
        self._tasks: list[asyncio.Task[Any]] = []
        self._reload_lock = asyncio.Lock()
        self._refresh_lock = asyncio.Lock()
        self.reloads = 0
        """Reloads attempted, successful or not."""
        self.refreshing: asyncio.Task[RefreshReport] | None = None
        """The refresh started by the latest reload, if any (tests and tools may await it)."""
        metrics.content_loaded(catalog.version, len(catalog))

    def _create_platforms(self) -> list[Platform]:
        """One platform per registered adapter whose settings say it can be served."""
        sections = self.settings.sections
        return [
            adapter.create_platform(self.settings, self.bot)
            for name, adapter in registrations().items()
            if name in sections and sections[name].serves
        ]

    # -- lifecycle ----------------------------------------------------------------

    async def start(self) -> None:
        await self._open_store()
        for platform in self.platforms:
            await platform.start()
            log.info("%s is ready", platform.name)
        if not self.platforms:
            log.warning(
                "no platform configured: set %s; serving health and metrics only", setup_hints()
            )
        self._spawn(self._flush_usage_forever())
        self._spawn(self._keep_store_open())
        if self.watch:
            self._spawn(self._watch_content(self._content_stamp()))
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, lambda: self._spawn(self.reload()))

    async def stop(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        for platform in reversed(self.platforms):
            try:
                await platform.stop()
            except Exception:
                log.exception("%s did not stop cleanly", platform.name)
        if self.store_open:
            await self.bot.flush_usage()
        await self.store.close()
        self.store_open = False

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.append(task)
        task.add_done_callback(self._reap)
        return task

    def _reap(self, task: asyncio.Task[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())
        if task in self._tasks:
            self._tasks.remove(task)

    # -- store --------------------------------------------------------------------

    async def _open_store(self) -> bool:
        try:
            await self.store.open()
        except StoreError as exc:
            self.store_open, self.store_error = False, str(exc)
            log.error("database unavailable, will retry: %s", exc)
            return False
        self.store_open, self.store_error = True, None
        return True

    async def _keep_store_open(self) -> None:
        while True:
            await asyncio.sleep(STORE_RETRY_SECONDS)
            if not self.store_open and await self._open_store():
                log.info("database is back")

    async def readiness(self) -> str | None:
        """``None`` when ready, else the reason (content or database)."""
        if len(self.holder.catalog) == 0:
            return "no roles loaded"
        if not self.store_open:
            return f"database unavailable: {self.store_error}"
        try:
            await asyncio.wait_for(self.store.ping(), timeout=2)
        except (StoreError, TimeoutError) as exc:
            return f"database unavailable: {exc or 'timed out'}"
        return None

    async def _flush_usage_forever(self) -> None:
        while True:
            await asyncio.sleep(USAGE_FLUSH_SECONDS)
            await self.bot.flush_usage()

    # -- content ------------------------------------------------------------------

    async def reload(self) -> bool:
        """Load content anew; swap it in whole if valid, keep the old one if not."""
        try:
            return await self._reload()
        finally:
            self.reloads += 1

    async def _reload(self) -> bool:
        async with self._reload_lock:
            old = self.holder.catalog
            try:
                fresh = await asyncio.to_thread(self.holder.reload)
            except ContentError as exc:
                metrics.reload_done("refused")
                log.error("content reload refused, old content kept:\n%s", exc)
                return False
            except Exception:
                metrics.reload_done("error")
                log.exception("content reload failed, old content kept")
                return False
            metrics.reload_done("ok")
            metrics.content_loaded(fresh.version, len(fresh))
            for warning in fresh.warnings:
                log.info("content warning: %s", warning)
            log.info(
                "content reloaded: %d roles, version %s (was %s)",
                len(fresh),
                fresh.version,
                old.version,
            )
        if fresh.version != old.version:
            self.refreshing = self._spawn(self.refresh())
        return True

    async def refresh(self) -> RefreshReport:
        """Edit pinned cards whose content changed (one refresh at a time)."""
        async with self._refresh_lock:
            publishers = {platform.name: platform for platform in self.platforms}
            report = await refresh_pins(self.bot, publishers, pace=self.pace)
            log.info("pinned cards: %s", report.summary())
            return report

    def _content_stamp(self) -> Stamp:
        return content_stamp(self.holder.content_dir)

    async def _watch_content(self, stamp: Stamp) -> None:
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            current = self._content_stamp()
            if current != stamp:
                stamp = current
                log.info("content changed on disk, reloading")
                await self.reload()
