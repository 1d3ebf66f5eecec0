"""Keep pinned cards current: after a content change, edit each card whose text changed.

A card is rebuilt from today's content and compared by hash with what was pinned;
only changed cards are edited, paced per platform (each adapter registers its pace). A failure is recorded on the pin
(status ``failed``) and retried on the next refresh; a card whose role was removed
is edited once to say it is out of date (status ``stale``) and never deleted.

``PinRefresher`` runs one refresh at a time, on one replica at a time: it holds a
lease in the store, renewed while a long refresh runs, and stops editing as soon
as another replica holds it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import messages as msg
from .._errors import PlatformError, StoreError
from ..answering._cards import card_for
from ..answering._reply import Outcome, Paragraph, Reply
from ..store._contract import PinnedCard, Store
from . import _metrics as metrics
from ._bot import CareerBot
from ._inbound import Chat, Publisher

__all__ = [
    "REFRESH_LEASE",
    "REFRESH_LEASE_SECONDS",
    "PinRefresher",
    "RefreshReport",
    "current_card",
    "out_of_date_card",
    "refresh_pins",
]

log = logging.getLogger("careerbot.refresh")
lease_log = logging.getLogger("careerbot.runtime")

REFRESH_LEASE = "refresh-pins"
REFRESH_LEASE_SECONDS = 600.0
"""How long the refresh lease lasts; the replica refreshing renews it every third of that."""


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
    started: the one being edited is finished and recorded, the rest left to the
    lease's new holder.
    """
    report = RefreshReport()
    if bot.store is None:
        return report
    pins = await bot.store.pins()
    metrics.pins_recorded(len(pins))
    for pin in pins:
        if stop is not None and stop.is_set():
            report.elsewhere = True
            break
        publisher = publishers.get(pin.platform)
        if publisher is None:
            report.skipped += 1
            continue
        fresh = current_card(bot, pin)
        if fresh is not None and fresh.content_hash == pin.content_hash and pin.status == "current":
            report.unchanged += 1
            continue
        if fresh is None and pin.status == "stale":
            report.unchanged += 1
            continue
        await _edit(bot, publisher, pin, fresh, report)
        await asyncio.sleep(pace.get(pin.platform, 0.0))
    return report


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
        """Seconds between edits, per platform."""
        self.lease_seconds = lease_seconds
        self.holder_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        """This replica's name on leases."""
        self._lock = asyncio.Lock()

    async def refresh(self, publishers: Mapping[str, Publisher]) -> RefreshReport:
        """Edit pinned cards whose content changed, on the platforms in ``publishers``."""
        async with self._lock:
            if not await self._take_lease():
                report = RefreshReport(elsewhere=True)
                lease_log.info("pinned cards: %s", report.summary())
                return report
            lost, done = asyncio.Event(), asyncio.Event()
            keeper = asyncio.get_running_loop().create_task(self._keep_lease(lost, done))
            try:
                report = await refresh_pins(self.bot, publishers, pace=self.pace, stop=lost)
            finally:
                # Not cancelled: a renewal under way could still reach the database after
                # the lease was dropped, and hold it for a whole lease length. The keeper
                # finishes it and stops; then the lease is dropped.
                done.set()
                await keeper
                with contextlib.suppress(StoreError):
                    await self.store.drop_lease(REFRESH_LEASE, self.holder_id)
            lease_log.info("pinned cards: %s", report.summary())
            return report

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

    async def _take_lease(self) -> bool:
        try:
            return await self.store.take_lease(REFRESH_LEASE, self.holder_id, self.lease_seconds)
        except StoreError as exc:
            lease_log.warning("pinned cards not refreshed, database unavailable: %s", exc)
            return False
