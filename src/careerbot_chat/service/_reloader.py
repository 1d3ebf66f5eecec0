"""``ContentReloader``: loads content anew on SIGHUP or, with ``--watch``, when files change.

The new catalogue is validated in a worker thread and swapped in whole, or refused
with the old one kept: when it does not load, and when it would drop more roles than
``CAREERBOT_RELOAD_MAX_DROP`` allows (the guard against a folder emptied or
half-copied by a checkout or rsync). No request is dropped while it runs.

The share is counted against a baseline, not the catalogue just before: the largest
catalogue of the last day, kept in the store (``BASELINE_KEY``, shared by replicas and
kept across restarts; the running catalogue when the store has none or fails), so a
run of small reloads (one file deleted per SIGHUP) cannot walk the catalogue down.
Removing roles on purpose is the operator's explicit act: ``careerbot retire-roles
SLUG…`` takes them out of the baseline (``retire``), and the next reload accepts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from collections.abc import Callable, Collection

from .._errors import CareerbotError, ContentError, StoreError
from ..catalog._loader import Catalog, CatalogHolder, Stamp, content_stamp
from ..store._contract import Store
from . import _metrics as metrics
from ._tasks import Background

__all__ = [
    "BASELINE_KEY",
    "BASELINE_SECONDS",
    "ContentReloader",
    "TooManyDropped",
    "read_baseline",
    "retire",
]

BASELINE_PLATFORM = "careerbot"
BASELINE_KEY = "reload-baseline"
"""Where the baseline lives: a row of the store's expiring key-value table."""
BASELINE_SECONDS = 24 * 3600.0
"""How long the largest catalogue is remembered after it was last seen."""


async def read_baseline(store: Store) -> frozenset[str] | None:
    """The slugs of the remembered largest catalogue, or ``None`` (none, or unreadable)."""
    raw = await store.get_context(BASELINE_PLATFORM, BASELINE_KEY)
    try:
        slugs = json.loads(raw) if raw else None
    except ValueError:
        return None
    return frozenset(str(slug) for slug in slugs) if isinstance(slugs, list) else None


async def _write_baseline(store: Store, slugs: Collection[str]) -> None:
    text = json.dumps(sorted(slugs))
    await store.set_context(BASELINE_PLATFORM, BASELINE_KEY, text, BASELINE_SECONDS)


async def retire(store: Store, slugs: Collection[str], current: Catalog) -> frozenset[str]:
    """Take ``slugs`` out of the baseline (``current``'s roles when none is stored);
    the baseline now kept. What ``careerbot retire-roles`` does."""
    base = await read_baseline(store)
    if base is None:
        base = frozenset(role.slug for role in current.roles)
    kept = base - set(slugs)
    await _write_baseline(store, kept)
    return kept


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
        store: Store | None = None,
    ) -> None:
        self.holder = holder
        self.store = store
        """Where the baseline is kept (``None``: the running catalogue is the baseline)."""
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

    async def _baseline(self, old: Catalog) -> tuple[frozenset[str], frozenset[str] | None]:
        """The slugs to count removals against, and what the store holds (if anything)."""
        stored = None
        if self.store is not None:
            try:
                stored = await read_baseline(self.store)
            except StoreError as exc:
                log.warning("reload guard: the stored baseline is unreadable (%s)", exc)
        running = frozenset(role.slug for role in old.roles)
        if stored is None or len(running) > len(stored):
            return running, stored
        return stored, stored

    async def _remember(
        self, base: frozenset[str], stored: frozenset[str] | None, fresh: Catalog
    ) -> None:
        """Keep the larger of the baseline and ``fresh`` in the store, for a day."""
        if self.store is None:
            return
        slugs = frozenset(role.slug for role in fresh.roles)
        keep = slugs if len(slugs) >= len(base) else base
        if keep == stored and keep != slugs:
            return  # a smaller catalogue taken: the day's largest keeps its own expiry
        try:
            await _write_baseline(self.store, keep)
        except StoreError as exc:
            log.warning("reload guard: could not keep the baseline (%s)", exc)

    async def _reload(self) -> bool:
        async with self._lock:
            old = self.holder.catalog
            base, stored = await self._baseline(old)

            def check(_old: Catalog, fresh: Catalog) -> None:
                self._check_drop(base, fresh)

            try:
                fresh = await asyncio.to_thread(self.holder.reload, check)
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
            await self._remember(base, stored, fresh)
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

    def _check_drop(self, base: frozenset[str], fresh: Catalog) -> None:
        """Raise ``TooManyDropped`` when ``fresh`` drops too many of ``base``'s roles.

        A folder emptied or half-copied by a checkout or rsync loads as valid content
        with most roles missing; taking it would mark every pinned card out of date.
        """
        if not base:
            return
        gone = sorted(base - {r.slug for r in fresh.roles})
        limit = self.max_drop
        if len(fresh) and len(gone) <= limit * len(base):
            return
        names = ", ".join(gone[:5]) + (", …" if len(gone) > 5 else "")
        raise TooManyDropped(
            f"it would remove {len(gone)} of {len(base)} roles ({names}) counted from the "
            f"largest catalogue of the last day; CAREERBOT_RELOAD_MAX_DROP allows "
            f"{limit:.0%} and never all (to remove roles on purpose: careerbot retire-roles SLUG…)"
        )

    async def _watch(self, stamp: Stamp) -> None:
        while True:
            await asyncio.sleep(self.watch_seconds)
            current = content_stamp(self.holder.content_dir)
            if current != stamp:
                stamp = current
                log.info("content changed on disk, reloading")
                await self.reload()
