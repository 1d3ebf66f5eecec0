"""Keep pinned cards current: after a content change, edit each card whose text changed.

A card is rebuilt from today's content and compared by hash with what was pinned;
only changed cards are edited. A failure is recorded on the pin (status ``failed``)
and retried on the next refresh; a card whose role was removed is edited once to say
it is out of date (status ``stale``) and never deleted.

Edits are background work (``background_work()``): a platform's budget gives them
only the room member answers leave, so answers never wait behind a refresh, and the
refresh goes as fast as that room allows (no fixed sleep; a platform without a
budget of its own registers a ``pace``, the least time between two edits' starts).
A few edits run at once (``EDITS_AT_ONCE``), so a round trip does not cap the rate.

``PinRefresher`` runs one refresh at a time, on one replica at a time: it holds a
short lease in the store, renewed while the refresh runs, and stops editing as soon
as another replica holds it. Each pin's new hash is saved right after its edit, so
a refresh stopped anywhere leaves exactly the unedited cards to do. The store's mark
``refresh-pins`` says which content a refresh is wanted for, and when it is done;
every replica looks at it now and then (``watch``) and, when a refresh for the
content it serves is wanted and nobody holds the lease (the refreshing replica
died), takes the rest over. A card edited just before a replica died, whose hash
was not saved yet, is sent once more with the same text; the platform answers "not
modified", which changes nothing.

Progress: the gauge ``careerbot_pin_refresh_remaining`` and one INFO line per batch
(``BATCH`` cards, or ``BATCH_SECONDS``), never one per card.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .. import messages as msg
from .._errors import PlatformError, StoreError
from ..answering._cards import card_for
from ..answering._reply import Outcome, Paragraph, Reply
from ..store._contract import PinnedCard, Store
from . import _metrics as metrics
from ._bot import CareerBot
from ._budget import background_work
from ._inbound import Chat, Publisher

__all__ = [
    "BATCH",
    "BATCH_SECONDS",
    "EDITS_AT_ONCE",
    "REFRESH_CHECK_SECONDS",
    "REFRESH_LEASE",
    "REFRESH_LEASE_SECONDS",
    "REFRESH_MARK",
    "PinRefresher",
    "RefreshReport",
    "current_card",
    "out_of_date_card",
    "refresh_pins",
]

log = logging.getLogger("careerbot.refresh")
lease_log = logging.getLogger("careerbot.runtime")

REFRESH_LEASE = "refresh-pins"
REFRESH_LEASE_SECONDS = 30.0
"""How long the refresh lease lasts; the replica refreshing renews it every third of that.
Short, so a refresh whose replica died is taken over soon."""
REFRESH_MARK = "refresh-pins"
"""The store's mark: ``wanted <content version>`` or ``done <content version>``."""
REFRESH_CHECK_SECONDS = 10.0
"""Between two looks at the mark for a refresh left unfinished (one read each)."""
EDITS_AT_ONCE = 4
"""Edits under way at once: the budget sets the rate; this only hides round trips."""
BATCH = 100
BATCH_SECONDS = 30.0
"""A progress line every ``BATCH`` cards edited, or every ``BATCH_SECONDS`` if sooner."""


@dataclass
class RefreshReport:
    edited: list[PinnedCard] = field(default_factory=list)
    unchanged: int = 0
    stale: list[PinnedCard] = field(default_factory=list)
    failed: list[tuple[PinnedCard, str]] = field(default_factory=list)
    skipped: int = 0
    elsewhere: bool = False
    """Another replica holds the refresh lease and does this work (or took the rest over)."""

    def summary(self) -> str:
        done = self.edited or self.unchanged or self.stale or self.failed or self.skipped
        if self.elsewhere and not done:
            return "another replica is refreshing them"
        counts = (
            f"{len(self.edited)} edited, {self.unchanged} unchanged, {len(self.stale)} out of date, "
            f"{len(self.failed)} failed, {self.skipped} skipped (platform not configured or not ready)"
        )
        return f"{counts}; another replica took over the rest" if self.elsewhere else counts


def out_of_date_card(pin: PinnedCard) -> Reply:
    return Reply(
        msg.CARD_OUT_OF_DATE,
        (Paragraph(f"({pin.role})"),),
        None,
        (),
        outcome=Outcome.NOT_FOUND,
        command="refresh",
        role=pin.role,
        card=pin.card,
    )


def current_card(bot: CareerBot, pin: PinnedCard) -> Reply | None:
    """The card as today's content renders it, or ``None`` when its role is gone."""
    catalog = bot.catalog
    role = catalog.get(pin.role)
    return None if role is None else card_for(catalog, role, pin.card)


async def refresh_pins(
    bot: CareerBot,
    publishers: Mapping[str, Publisher],
    *,
    pace: Mapping[str, float],
    stop: asyncio.Event | None = None,
) -> RefreshReport:
    """Edit every pinned card whose rendered content changed; report what happened.

    Once ``stop`` is set (this replica lost the refresh lease), no further card is
    started: those being edited are finished and recorded, the rest left to the
    lease's new holder.
    """
    report = RefreshReport()
    if bot.store is None:
        return report
    pins = await bot.store.pins()
    metrics.pins_recorded(len(pins))
    todo: list[tuple[PinnedCard, Reply | None]] = []
    for number, pin in enumerate(pins):
        if number % BATCH == 0:  # thousands of cards to compare: answers get turns between
            await asyncio.sleep(0)
        if pin.platform not in publishers:
            report.skipped += 1
            continue
        fresh = current_card(bot, pin)
        if _up_to_date(pin, fresh):
            report.unchanged += 1
        else:
            todo.append((pin, fresh))
    progress = _Progress(len(todo))
    paces = {name: _Pace(pace.get(name, 0.0)) for name in publishers}
    cards = iter(todo)  # shared by the workers: each card is taken once

    async def worker() -> None:
        for pin, fresh in cards:
            if stop is not None and stop.is_set():
                report.elsewhere = True
                return
            await paces[pin.platform].turn()
            with background_work():
                await _edit(bot, publishers[pin.platform], pin, fresh, report)
            progress.step(report)

    workers = [asyncio.ensure_future(worker()) for _ in range(min(EDITS_AT_ONCE, len(todo)))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
        progress.end()
    return report


def _up_to_date(pin: PinnedCard, fresh: Reply | None) -> bool:
    """The card shows today's content already (or says its role is gone, as it is)."""
    if fresh is None:
        return pin.status == "stale"
    return fresh.content_hash == pin.content_hash and pin.status == "current"


class _Pace:
    """At least ``seconds`` between two edits' starts on one platform (0: the budget alone)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.next = float("-inf")

    async def turn(self) -> None:
        if self.seconds <= 0:
            return
        now = time.monotonic()
        start = max(now, self.next)
        self.next = start + self.seconds
        if start > now:
            await asyncio.sleep(start - now)


class _Progress:
    """The cards left, as a gauge, and one log line per batch of them."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.started = self.logged_at = time.monotonic()
        self.logged = 0
        metrics.pins_to_refresh(total)

    def step(self, report: RefreshReport) -> None:
        self.done += 1
        metrics.pins_to_refresh(self.total - self.done)
        now = time.monotonic()
        if self.done - self.logged >= BATCH or now - self.logged_at >= BATCH_SECONDS:
            self.logged, self.logged_at = self.done, now
            log.info(
                "pinned cards: %d of %d refreshed (%d failed), %d left, %.1f a second",
                self.done,
                self.total,
                len(report.failed),
                self.total - self.done,
                self.done / max(now - self.started, 1e-9),
            )

    def end(self) -> None:
        metrics.pins_to_refresh(0)


async def _edit(
    bot: CareerBot,
    publisher: Publisher,
    pin: PinnedCard,
    fresh: Reply | None,
    report: RefreshReport,
) -> None:
    assert bot.store is not None
    chat = Chat(pin.platform, pin.chat_id, is_group=True)
    reply = fresh if fresh is not None else out_of_date_card(pin)
    try:
        await publisher.edit_card(chat, pin.message_id, reply)
    except PlatformError as exc:
        log.warning(
            "could not refresh pinned card %s in %s:%s (%s): %s",
            pin.message_id,
            pin.platform,
            pin.chat_id,
            exc.method,
            exc,
        )
        metrics.pin_refreshed(pin.platform, "failed")
        report.failed.append((pin, str(exc)))
        await _save(bot, pin.updated(status="failed", last_error=str(exc)[:500]))
        return
    if fresh is None:
        metrics.pin_refreshed(pin.platform, "stale")
        report.stale.append(pin)
        await _save(bot, pin.updated(status="stale", last_error=None))
    else:
        metrics.pin_refreshed(pin.platform, "edited")
        report.edited.append(pin)
        await _save(
            bot, pin.updated(content_hash=fresh.content_hash, status="current", last_error=None)
        )


async def _save(bot: CareerBot, pin: PinnedCard) -> None:
    assert bot.store is not None
    try:
        await bot.store.save_pin(pin)
    except StoreError as exc:  # the next refresh compares again and retries
        log.error(
            "could not record refresh of %s in %s:%s: %s",
            pin.message_id,
            pin.platform,
            pin.chat_id,
            exc,
        )


class PinRefresher:
    """Refreshes pinned cards under the store's refresh lease, one refresh at a time."""

    def __init__(
        self,
        bot: CareerBot,
        store: Store,
        *,
        pace: dict[str, float],
        lease_seconds: float = REFRESH_LEASE_SECONDS,
    ) -> None:
        self.bot = bot
        self.store = store
        self.pace = pace
        """Least seconds between two edits' starts, per platform."""
        self.lease_seconds = lease_seconds
        self.holder_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        """This replica's name on leases."""
        self._lock = asyncio.Lock()

    async def refresh(
        self, publishers: Mapping[str, Publisher], *, resume: bool = False
    ) -> RefreshReport:
        """Edit pinned cards whose content changed, on the platforms in ``publishers``.

        ``resume``: taking over a refresh another replica left unfinished (``watch``);
        quiet when another replica holds the lease after all.
        """
        version = self.bot.catalog.version
        if not resume:
            await self._mark(f"wanted {version}")
        async with self._lock:
            if not await self._take_lease(quiet=resume):
                if not resume:
                    lease_log.info("pinned cards: %s", RefreshReport(elsewhere=True).summary())
                return RefreshReport(elsewhere=True)
            if resume:
                lease_log.info(
                    "pinned cards: taking over a refresh another replica left unfinished "
                    "(content %s)",
                    version,
                )
                metrics.pin_refresh_resumed()
            lost, done = asyncio.Event(), asyncio.Event()
            keeper = asyncio.get_running_loop().create_task(self._keep_lease(lost, done))
            report = None
            try:
                report = await refresh_pins(self.bot, publishers, pace=self.pace, stop=lost)
            finally:
                # Not cancelled: a renewal under way could still reach the database after
                # the lease was dropped, and hold it for a whole lease length. The keeper
                # finishes it and stops; then the lease is dropped.
                done.set()
                await keeper
                if report is not None and not report.elsewhere:  # every card done here
                    await self._mark(f"done {version}", replacing=f"wanted {version}")
                with contextlib.suppress(StoreError):
                    await self.store.drop_lease(REFRESH_LEASE, self.holder_id)
            lease_log.info("pinned cards: %s", report.summary())
            return report

    async def watch(
        self,
        publishers: Callable[[], Mapping[str, Publisher]],
        *,
        every: float = REFRESH_CHECK_SECONDS,
    ) -> None:
        """Every ``every`` seconds, take over a refresh that is wanted for the content this
        replica serves and that nobody is doing (its replica died: the lease expired)."""
        while True:
            await asyncio.sleep(every)
            if self._lock.locked():
                continue
            try:
                mark = await self.store.get_mark(REFRESH_MARK)
            except StoreError:  # the database is down: look again next time
                continue
            if mark != f"wanted {self.bot.catalog.version}":
                continue
            try:
                await self.refresh(publishers(), resume=True)
            except StoreError as exc:  # reading the pins failed: the next look tries again
                lease_log.warning("pinned cards: could not take the refresh over: %s", exc)

    async def _mark(self, value: str, *, replacing: str | None = None) -> None:
        try:
            await self.store.set_mark(REFRESH_MARK, value, replacing=replacing)
        except StoreError as exc:  # refreshing matters more; the mark is for taking over
            lease_log.warning("pinned cards: could not record the refresh (%s): %s", value, exc)

    async def _keep_lease(self, lost: asyncio.Event, done: asyncio.Event) -> None:
        """Renew the refresh lease while a refresh runs (thousands of paced edits can
        outlast it), until ``done``; set ``lost`` if another replica holds it by then."""
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.lease_seconds / 3):
                    await done.wait()
            if done.is_set():
                return
            try:
                kept = await self.store.take_lease(
                    REFRESH_LEASE, self.holder_id, self.lease_seconds
                )
            except StoreError as exc:  # still ours for a while: try again next time
                lease_log.warning("pinned cards: could not renew the refresh lease: %s", exc)
                continue
            if not kept:
                lease_log.warning("pinned cards: another replica took the refresh lease; stopping")
                lost.set()
                return

    async def _take_lease(self, *, quiet: bool = False) -> bool:
        try:
            return await self.store.take_lease(REFRESH_LEASE, self.holder_id, self.lease_seconds)
        except StoreError as exc:
            if not quiet:
                lease_log.warning("pinned cards not refreshed, database unavailable: %s", exc)
            return False
