"""``Runtime``: the long-lived parts of a running bot, and how they start, reload and stop.

It loads the catalogue, owns the store and the ``CareerBot``, creates one platform
per configured adapter, flushes usage counts, keeps trying a store that is down,
and reloads content (SIGHUP, ``--watch``) without dropping a request: the new
catalogue is validated in a worker thread and swapped in whole, or refused with the
old one kept.

Serve what can be served: a platform whose API cannot be reached at start is
retried in the background with backoff while the rest serves, and ``readiness()``
names it. Only a start that cannot succeed by waiting (``StartupError``, a rejected
token) stops the process. Pinned cards are brought up to date on start and after
every reload that changed content, by one replica at a time (a lease in the store).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import uuid
from pathlib import Path
from typing import Any

from .._errors import CareerbotError, ContentError, StartupError, StoreError
from .._registry import registrations
from ..answering._derived import warm
from ..catalog._loader import Catalog, CatalogHolder, Stamp, content_stamp, load_catalog
from ..store import Store, open_store
from ..store._guard import GuardedStore, within
from . import _metrics as metrics
from ._bot import CareerBot
from ._platform import Platform
from ._refresh import RefreshReport, refresh_pins
from ._settings import Settings

__all__ = [
    "ESSENTIAL",
    "STORE_RETRY_SECONDS",
    "USAGE_FLUSH_SECONDS",
    "WATCH_SECONDS",
    "Runtime",
    "edit_paces",
    "setup_hints",
]

log = logging.getLogger("careerbot.runtime")

USAGE_FLUSH_SECONDS = 30.0
# Parts without which a replica cannot answer: readiness fails on these alone.
ESSENTIAL = ("content", "database")
STORE_RETRY_SECONDS = 5.0
STORE_OPEN_SECONDS = 5.0
"""How long opening the database may take (connect and migrate) before it is retried later."""
WATCH_SECONDS = 1.0
FIRST_START_SECONDS = 5.0
"""How long start-up waits for each platform's first attempt before serving without it."""
RETRY_SECONDS = (1.0, 60.0)
"""Backoff between a platform's start attempts: first pause, then doubling up to the last."""
REFRESH_LEASE = "refresh-pins"
REFRESH_LEASE_SECONDS = 600.0
"""How long the refresh lease lasts; the replica refreshing renews it every third of that."""


def edit_paces() -> dict[str, float]:
    """Seconds between pinned-card edits, per platform, as each adapter registered it."""
    return {name: adapter.edit_pace for name, adapter in registrations().items()}


def setup_hints() -> str:
    """How to turn each platform on, in the adapters' own words."""
    return "; ".join(a.setup_hint for a in registrations().values() if a.setup_hint) or "an adapter"


class TooManyDropped(CareerbotError):
    """A reload would remove more roles than ``CAREERBOT_RELOAD_MAX_DROP`` allows."""


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
        refresh_on_start: bool = True,
    ) -> None:
        metrics.enable()
        self.settings = settings
        self.content_dir = content_dir or settings.content_dir
        catalog = warm(load_catalog(self.content_dir))  # indexes built before serving
        self.holder = CatalogHolder(catalog, self.content_dir or catalog.source, prepare=warm)
        self.store = GuardedStore(store or open_store(settings.database_url))
        self.bot = CareerBot(self.holder, self.store)
        self.platforms = platforms if platforms is not None else self._create_platforms()
        self.watch = watch
        self.pace = pace if pace is not None else edit_paces()
        self.refresh_on_start = refresh_on_start
        self.store_open = False
        self.store_error: str | None = "not opened yet"
        self.waiting: dict[str, str] = {}
        """Platforms not started yet, with why (for the log; readiness names only them)."""
        self.holder_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        """This replica's name on leases."""
        self._reported: str | None = None
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

    async def start(self, *, warn_without_platforms: bool = True) -> None:
        """Open the store and start the platforms; raise ``StartupError`` if one never can.

        Resources opened here are closed again when it raises (call ``stop()`` otherwise).
        """
        try:
            await self._open_store()
            await self._pins_gauge()
            await self._start_platforms()
        except BaseException:
            await self.stop()
            raise
        if not self.platforms and warn_without_platforms:
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
        await self._close_store()
        self.store_open = False

    # -- platforms ------------------------------------------------------------------

    async def _start_platforms(self) -> None:
        """First attempts together, waited for at most ``FIRST_START_SECONDS``; retries go on."""
        firsts: list[asyncio.Future[None]] = []
        for platform in self.platforms:
            self.waiting[platform.name] = "starting"
            first: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            firsts.append(first)
            self._spawn(self._keep_starting(platform, first))
        if not firsts:
            return
        await asyncio.wait(firsts, timeout=FIRST_START_SECONDS)
        for first in firsts:
            if first.done() and first.exception() is not None:
                raise first.exception()  # type: ignore[misc]

    async def _keep_starting(self, platform: Platform, first: asyncio.Future[None]) -> None:
        """Start ``platform``; retry with backoff while its API cannot be reached."""
        pause, longest = RETRY_SECONDS
        while True:
            try:
                await platform.start()
            except StartupError as exc:
                self.waiting[platform.name] = str(exc)
                log.error("%s cannot start: %s", platform.name, exc)
                _settle(first, exc)
                return
            except Exception as exc:
                self.waiting[platform.name] = _one_line(exc)
                log.warning(
                    "%s not started (%s); retrying in %g s, serving the rest meanwhile",
                    platform.name,
                    _one_line(exc),
                    pause,
                )
                _settle(first)
                await asyncio.sleep(pause)
                pause = min(pause * 2, longest)
                continue
            del self.waiting[platform.name]
            log.info("%s is ready", platform.name)
            _settle(first)
            if self.refresh_on_start:
                self.refreshing = self._spawn(self.refresh())
            return

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
            await within(self.store.open(), STORE_OPEN_SECONDS)
        except (StoreError, TimeoutError) as exc:
            reason = str(exc) or f"no answer within {STORE_OPEN_SECONDS:g} s"
            self.store_open, self.store_error = False, reason
            log.error("database unavailable, will retry: %s", reason)
            await self._close_store()
            return False
        self.store_open, self.store_error = True, None
        return True

    async def _close_store(self) -> None:
        """Close what a failed or abandoned open left behind, without waiting on the server."""
        with contextlib.suppress(StoreError, TimeoutError, OSError):
            await within(self.store.close(), STORE_OPEN_SECONDS)

    async def _pins_gauge(self) -> None:
        if self.store_open:
            with contextlib.suppress(StoreError):
                metrics.pins_recorded(len(await self.store.pins()))

    async def _keep_store_open(self) -> None:
        while True:
            await asyncio.sleep(STORE_RETRY_SECONDS)
            if not self.store_open and await self._open_store():
                log.info("database is back")
                await self._pins_gauge()

    async def readiness(self) -> list[str]:
        """What is not ready (empty when all is): ``content``, ``database``, a platform.

        Only the names: the reasons are logged (once per change), not shown to callers.
        """
        problems: dict[str, str] = {}
        if len(self.holder.catalog) == 0:
            problems["content"] = "no roles loaded"
        if not self.store_open:
            problems["database"] = self.store_error or "not open"
        else:
            try:
                await self.store.ping()
            except StoreError as exc:
                problems["database"] = str(exc) or type(exc).__name__
        problems.update(self.waiting)
        self._report(problems)
        return list(problems)

    def _report(self, problems: dict[str, str]) -> None:
        text = "; ".join(f"{part}: {why}" for part, why in problems.items()) or None
        if text != self._reported:
            if text is None:
                log.info("ready")
            else:
                log.warning("not ready: %s", text)
            self._reported = text

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
                fresh = await asyncio.to_thread(self.holder.reload, self._check_drop)
            except TooManyDropped as exc:
                metrics.reload_done("refused")
                log.error("content reload refused, old content kept: %s", exc)
                return False
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

    def _check_drop(self, old: Catalog, fresh: Catalog) -> None:
        """Raise ``TooManyDropped`` when ``fresh`` drops too many of ``old``'s roles.

        A folder emptied or half-copied by a checkout or rsync loads as valid content
        with most roles missing; taking it would mark every pinned card out of date.
        """
        if not len(old):
            return
        gone = sorted({r.slug for r in old.roles} - {r.slug for r in fresh.roles})
        limit = self.settings.reload_max_drop
        if len(fresh) and len(gone) <= limit * len(old):
            return
        names = ", ".join(gone[:5]) + (", …" if len(gone) > 5 else "")
        raise TooManyDropped(
            f"it would remove {len(gone)} of {len(old)} roles ({names}); "
            f"CAREERBOT_RELOAD_MAX_DROP allows {limit:.0%} and never all"
        )

    async def refresh(self) -> RefreshReport:
        """Edit pinned cards whose content changed (one refresh at a time, one replica)."""
        async with self._refresh_lock:
            if not await self._take_lease():
                report = RefreshReport(elsewhere=True)
                log.info("pinned cards: %s", report.summary())
                return report
            lost, done = asyncio.Event(), asyncio.Event()
            keeper = asyncio.get_running_loop().create_task(self._keep_lease(lost, done))
            try:
                ready = {p.name: p for p in self.platforms if p.name not in self.waiting}
                report = await refresh_pins(self.bot, ready, pace=self.pace, stop=lost)
            finally:
                # Not cancelled: a renewal under way could still reach the database after
                # the lease was dropped, and hold it for a whole lease length. The keeper
                # finishes it and stops; then the lease is dropped.
                done.set()
                await keeper
                with contextlib.suppress(StoreError):
                    await self.store.drop_lease(REFRESH_LEASE, self.holder_id)
            log.info("pinned cards: %s", report.summary())
            return report

    async def _keep_lease(self, lost: asyncio.Event, done: asyncio.Event) -> None:
        """Renew the refresh lease while a refresh runs (thousands of paced edits can
        outlast it), until ``done``; set ``lost`` if another replica holds it by then."""
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(REFRESH_LEASE_SECONDS / 3):
                    await done.wait()
            if done.is_set():
                return
            try:
                kept = await self.store.take_lease(
                    REFRESH_LEASE, self.holder_id, REFRESH_LEASE_SECONDS
                )
            except StoreError as exc:  # still ours for a while: try again next time
                log.warning("pinned cards: could not renew the refresh lease: %s", exc)
                continue
            if not kept:
                log.warning("pinned cards: another replica took the refresh lease; stopping")
                lost.set()
                return

    async def _take_lease(self) -> bool:
        try:
            return await self.store.take_lease(REFRESH_LEASE, self.holder_id, REFRESH_LEASE_SECONDS)
        except StoreError as exc:
            log.warning("pinned cards not refreshed, database unavailable: %s", exc)
            return False

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


def _settle(first: asyncio.Future[None], error: BaseException | None = None) -> None:
    if not first.done():
        if error is None:
            first.set_result(None)
        else:
            first.set_exception(error)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__
