"""``Runtime``: the long-lived parts of a running bot, composed; how they start and stop.

It loads the catalogue and owns the store and the ``CareerBot``, creates one
platform per configured adapter, and composes the parts that each do one job:

- ``Database`` opens the store and keeps trying while it is down (``_database.py``);
- ``PlatformSupervisor`` starts each platform, retries one whose API cannot be
  reached while the rest serves, and stops them (``_supervisor.py``);
- ``ContentReloader`` reloads content on SIGHUP and ``--watch``, swapped in whole or
  refused with the old one kept (``_reloader.py``);
- ``PinRefresher`` brings pinned cards up to date on start and after every reload
  that changed content, one replica at a time under a lease, and takes over a
  refresh another replica left unfinished (``_refresh.py``).

Retries follow one policy (``_retry.py``). Only a start that cannot succeed by
waiting (``StartupError``, a rejected token) stops the process; ``readiness()``
names what is not serving yet.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from .._registry import registrations
from ..answering._derived import warm
from ..catalog._loader import CatalogHolder, load_catalog
from ..store import Store, open_store
from ..store._guard import GuardedStore
from . import _metrics as metrics
from ._bot import CareerBot
from ._database import Database
from ._platform import Platform
from ._refresh import REFRESH_CHECK_SECONDS, REFRESH_LEASE_SECONDS, PinRefresher, RefreshReport
from ._reloader import ContentReloader
from ._retry import Backoff
from ._settings import Settings
from ._supervisor import PlatformSupervisor
from ._tasks import Background

__all__ = ["ESSENTIAL", "Runtime", "Timings", "edit_paces", "setup_hints"]

log = logging.getLogger("careerbot.runtime")

# Parts without which a replica cannot answer: readiness fails on these alone.
ESSENTIAL = ("content", "database")
STORE_RETRY = Backoff(2.0, 30.0)
PLATFORM_RETRY = Backoff(1.0, 60.0)


@dataclass(frozen=True)
class Timings:
    """How long the runtime waits, between what (seconds); tests pass short ones."""

    usage_flush: float = 30.0
    """Between writes of buffered usage counts."""
    store_open: float = 5.0
    """How long opening the database may take (connect and migrate) before it is retried."""
    store_retry: Backoff = STORE_RETRY
    """Between attempts to open a database that was down."""
    first_start: float = 5.0
    """How long start-up waits for each platform's first attempt before serving without it."""
    platform_retry: Backoff = PLATFORM_RETRY
    """Between a platform's start attempts."""
    watch: float = 1.0
    """Between looks at the content files with ``--watch``."""
    refresh_lease: float = REFRESH_LEASE_SECONDS
    """How long the pinned-card refresh lease lasts (renewed every third of that)."""
    refresh_check: float = REFRESH_CHECK_SECONDS
    """Between looks for a pinned-card refresh another replica left unfinished."""


def edit_paces() -> dict[str, float]:
    """Least seconds between pinned-card edits' starts, per platform, as each adapter
    registered it (0: the platform's budget alone paces them)."""
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
        refresh_on_start: bool = True,
        timings: Timings | None = None,
    ) -> None:
        metrics.enable()
        self.settings = settings
        self.timings = timings = timings or Timings()
        self.content_dir = content_dir or settings.content_dir
        catalog = warm(load_catalog(self.content_dir))  # indexes built before serving
        self.holder = CatalogHolder(catalog, self.content_dir or catalog.source, prepare=warm)
        self.store = GuardedStore(store or open_store(settings.database_url))
        self.bot = CareerBot(self.holder, self.store)
        self.bot.usage.keep_query_days = settings.unanswered_retention_days  # harden: retention
        self.background = Background()
        self.database = Database(
            self.store, open_seconds=timings.store_open, retry=timings.store_retry
        )
        self.supervisor = PlatformSupervisor(
            platforms if platforms is not None else self._create_platforms(),
            first_start=timings.first_start,
            retry=timings.platform_retry,
            on_ready=self._platform_ready,
        )
        self.pins = PinRefresher(
            self.bot,
            self.store,
            pace=pace if pace is not None else edit_paces(),
            lease_seconds=timings.refresh_lease,
        )
        self.reloader = ContentReloader(
            self.holder,
            max_drop=settings.reload_max_drop,
            watch_seconds=timings.watch,
            on_change=self._content_changed,
            store=self.store,
        )
        self.watch = watch
        self.refresh_on_start = refresh_on_start
        self.refreshing: asyncio.Task[RefreshReport] | None = None
        """The refresh started by the latest reload or platform start, if any (tests and
        tools may await it)."""
        self._reported: str | None = None
        metrics.content_loaded(catalog.version, len(catalog))

    def _create_platforms(self) -> list[Platform]:
        """One platform per registered adapter whose settings say it can be served."""
        sections = self.settings.sections
        return [
            adapter.create_platform(self.settings, self.bot)
            for name, adapter in registrations().items()
            if name in sections and sections[name].serves
        ]

    # -- what the parts hold, under the names the server and tools use ------------------

    @property
    def platforms(self) -> list[Platform]:
        return self.supervisor.platforms

    @property
    def waiting(self) -> dict[str, str]:
        """Platforms not started yet, with why."""
        return self.supervisor.waiting

    @property
    def store_open(self) -> bool:
        return self.database.is_open

    @property
    def store_error(self) -> str | None:
        return self.database.error

    @property
    def pace(self) -> dict[str, float]:
        return self.pins.pace

    @pace.setter
    def pace(self, pace: dict[str, float]) -> None:
        self.pins.pace = pace

    @property
    def holder_id(self) -> str:
        """This replica's name on leases."""
        return self.pins.holder_id

    @property
    def reloads(self) -> int:
        """Reloads attempted, successful or not."""
        return self.reloader.reloads

    # -- lifecycle ----------------------------------------------------------------

    async def start(self, *, warn_without_platforms: bool = True) -> None:
        """Open the store and start the platforms; raise ``StartupError`` if one never can.

        Resources opened here are closed again when it raises (call ``stop()`` otherwise).
        """
        try:
            await self.database.start(self.background)
            await self.supervisor.start(self.background)
        except BaseException:
            await self.stop()
            raise
        if not self.platforms and warn_without_platforms:
            log.warning(
                "no platform configured: set %s; serving health and metrics only", setup_hints()
            )
        self.background.spawn(self._flush_usage_forever())
        self.background.spawn(
            self.pins.watch(self.supervisor.ready, every=self.timings.refresh_check)
        )
        self.reloader.listen(self.background, watch=self.watch)

    async def stop(self) -> None:
        self.reloader.stop_listening()
        await self.background.close()
        await self.supervisor.stop()
        if self.store_open:
            await self.bot.flush_usage()
        await self.database.close()
        self.database.is_open = False

    async def _flush_usage_forever(self) -> None:
        while True:
            await self.bot.usage.forget_old_queries()  # at start, then once a UTC day
            await asyncio.sleep(self.timings.usage_flush)
            await self.bot.flush_usage()

    async def readiness(self) -> list[str]:
        """What is not ready (empty when all is): ``content``, ``database``, a platform.

        Only the names: the reasons are logged (once per change), not shown to callers.
        """
        problems: dict[str, str] = {}
        if len(self.holder.catalog) == 0:
            problems["content"] = "no roles loaded"
        if (database := await self.database.problem()) is not None:
            problems["database"] = database
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

    def attach(self, platform: Platform) -> None:
        """Take in a platform its caller started (``careerbot run``: polling, Socket
        Mode): its pinned cards are refreshed from now on, and ``stop()`` stops it."""
        self.supervisor.platforms.append(platform)
        self._platform_ready(platform)

    # -- content and pinned cards ----------------------------------------------------

    async def reload(self) -> bool:
        """Load content anew; swap it in whole if valid, keep the old one if not."""
        return await self.reloader.reload()

    async def refresh(self) -> RefreshReport:
        """Edit pinned cards whose content changed (one refresh at a time, one replica)."""
        return await self.pins.refresh(self.supervisor.ready())

    def _content_changed(self) -> None:
        self.refreshing = self.background.spawn(self.refresh())

    def _platform_ready(self, platform: Platform) -> None:
        if self.refresh_on_start:
            self.refreshing = self.background.spawn(self.refresh())
