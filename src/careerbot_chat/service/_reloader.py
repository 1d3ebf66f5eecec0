"""``ContentReloader``: loads content anew on SIGHUP or, with ``--watch``, when files change.

The new catalogue is validated in a worker thread and swapped in whole, or refused
with the old one kept: when it does not load, and when it would drop more roles than
``CAREERBOT_RELOAD_MAX_DROP`` allows (the guard against a folder emptied or
half-copied by a checkout or rsync). No request is dropped while it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable

from .._errors import CareerbotError, ContentError
from ..catalog._loader import Catalog, CatalogHolder, Stamp, content_stamp
from . import _metrics as metrics
from ._tasks import Background

__all__ = ["ContentReloader", "TooManyDropped"]

log = logging.getLogger("careerbot.runtime")


class TooManyDropped(CareerbotError):
    """A reload would remove more roles than ``CAREERBOT_RELOAD_MAX_DROP`` allows."""


class ContentReloader:
    """Reloads ``holder``'s content, one reload at a time; ``on_change`` hears of new content."""

    def __init__(
        self,
        holder: CatalogHolder,
        *,
        max_drop: float,
        watch_seconds: float,
        on_change: Callable[[], object] = lambda: None,
    ) -> None:
        self.holder = holder
        self.max_drop = max_drop
        """The share of roles a reload may remove (never all)."""
        self.watch_seconds = watch_seconds
        """How often ``--watch`` looks at the files."""
        self.on_change = on_change
        """Called after a reload that changed the content's version."""
        self.reloads = 0
        """Reloads attempted, successful or not."""
        self._lock = asyncio.Lock()
        self._counted = asyncio.Condition()

    def listen(self, background: Background, *, watch: bool) -> None:
        """Reload on SIGHUP (where the platform has it), and on file changes with ``watch``."""
        if watch:
            background.spawn(self._watch(content_stamp(self.holder.content_dir)))
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, lambda: background.spawn(self.reload()))

    def stop_listening(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)

    async def reloaded(self, past: int) -> None:
        """Return once more than ``past`` reloads have been attempted."""
        async with self._counted:
            await self._counted.wait_for(lambda: self.reloads > past)

    async def reload(self) -> bool:
        """Load content anew; swap it in whole if valid, keep the old one if not."""
        try:
            return await self._reload()
        finally:
            self.reloads += 1
            async with self._counted:
                self._counted.notify_all()

    async def _reload(self) -> bool:
        async with self._lock:
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
            self.on_change()
        return True

    def _check_drop(self, old: Catalog, fresh: Catalog) -> None:
        """Raise ``TooManyDropped`` when ``fresh`` drops too many of ``old``'s roles.

        A folder emptied or half-copied by a checkout or rsync loads as valid content
        with most roles missing; taking it would mark every pinned card out of date.
        """
        if not len(old):
            return
        gone = sorted({r.slug for r in old.roles} - {r.slug for r in fresh.roles})
        limit = self.max_drop
        if len(fresh) and len(gone) <= limit * len(old):
            return
        names = ", ".join(gone[:5]) + (", …" if len(gone) > 5 else "")
        raise TooManyDropped(
            f"it would remove {len(gone)} of {len(old)} roles ({names}); "
            f"CAREERBOT_RELOAD_MAX_DROP allows {limit:.0%} and never all"
        )

    async def _watch(self, stamp: Stamp) -> None:
        while True:
            await asyncio.sleep(self.watch_seconds)
            current = content_stamp(self.holder.content_dir)
            if current != stamp:
                stamp = current
                log.info("content changed on disk, reloading")
                await self.reload()
