"""Keep pinned cards current: after a content change, edit each card whose text changed.

A card is rebuilt from today's content and compared by hash with what was pinned;
only changed cards are edited, paced per platform (each adapter registers its pace). A failure is recorded on the pin
(status ``failed``) and retried on the next refresh; a card whose role was removed
is edited once to say it is out of date (status ``stale``) and never deleted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import messages as msg
from .._errors import PlatformError, StoreError
from ..answering._cards import card_for
from ..answering._reply import Outcome, Paragraph, Reply
from ..store._contract import PinnedCard
from . import _metrics as metrics
from ._bot import CareerBot
from ._inbound import Chat, Publisher

__all__ = ["RefreshReport", "current_card", "out_of_date_card", "refresh_pins"]

log = logging.getLogger("careerbot.refresh")


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
