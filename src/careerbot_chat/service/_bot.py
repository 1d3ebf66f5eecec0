"""``CareerBot``: the core service every adapter calls.

An adapter turns a platform event into text (or a button's command) plus a ``Chat``,
calls ``CareerBot.handle_text`` / ``press``, and renders the ``Reply`` it gets back.
Moderator commands need the platform's own powers (who is an admin, posting and
pinning), which the adapter lends through the ``Moderation`` protocol; the flow —
check rights, post, pin, record — lives here once for every platform.
"""

from __future__ import annotations

import logging
import time
from collections import Counter

from .. import messages as msg
from .._errors import PermissionMissing, PlatformError, StoreError
from ..answering import _cards as cards
from ..answering._answer import answer, find_role, not_found
from ..answering._parser import Command, parse
from ..answering._reply import Bullets, Fields, Outcome, Paragraph, Reply
from ..catalog._loader import Catalog, CatalogHolder
from ..store._sqlite import PinnedCard, Store, UsageRow, days_ago, today
from . import _metrics as metrics
from ._inbound import Chat, Inbound, Moderation

log = logging.getLogger("careerbot")

DEFAULT_ROLE_TTL = 5.0
"""Seconds a chat's default role is remembered; other replicas see a change within this."""
DEFAULT_ROLE_CACHE = 10_000
requests_log = logging.getLogger("careerbot.requests")


class CareerBot:
    """Answers commands from the current catalogue, with the store for chat settings."""

    def __init__(self, catalog: Catalog | CatalogHolder, store: Store | None = None) -> None:
        self.holder = catalog if isinstance(catalog, CatalogHolder) else CatalogHolder(catalog)
        self.store = store
        self._usage: Counter[tuple[str, str, str, str, str, str]] = Counter()
        self._defaults: dict[tuple[str, str], tuple[float, str | None]] = {}

    @property
    def catalog(self) -> Catalog:
        return self.holder.catalog

    def understand(self, message: Inbound) -> Command | None:
        """The command ``message`` asks for; ``None`` when it is not for us. Pure."""
        return parse(message.text, bot_username=message.bot_username, plain=message.addressed)

    async def handle(self, message: Inbound, moderation: Moderation | None = None) -> Reply | None:
        """Understand and answer ``message``; ``None`` when it is not addressed to us."""
        command = self.understand(message)
        if command is None:
            return None
        return await self.respond(command, message, moderation)

    async def handle_text(
        self,
        text: str,
        chat: Chat,
        user_id: str | None = None,
        moderation: Moderation | None = None,
        *,
        plain: bool = False,
        bot_username: str | None = None,
    ) -> Reply | None:
        """``handle`` for callers that have not built an ``Inbound`` (kept for tests)."""
        message = Inbound(text, chat, user_id, addressed=plain, bot_username=bot_username)
        return await self.handle(message, moderation)

    async def respond(
        self, command: Command, message: Inbound, moderation: Moderation | None = None
    ) -> Reply:
        """Answer an understood ``command`` from ``message`` (a follow-up to the card it
        replies to, when it replies to one)."""
        replying_to = parse(message.replying_to) if message.replying_to else None
        return await self._respond(command, message.chat, message.sender, moderation, replying_to)

    async def _respond(
        self,
        command: Command,
        chat: Chat,
        user_id: str | None = None,
        moderation: Moderation | None = None,
        replying_to: Command | None = None,
    ) -> Reply:
        """Answer ``command``; never raises — failures become a polite reply."""
        started = time.perf_counter()
        catalog = self.catalog
        try:
            if command.spec.moderator:
                reply = await self._moderate(command, catalog, chat, user_id, moderation)
            else:
                default = await self._default_role(chat)
                reply = answer(command, catalog, default, replying_to)
        except Exception:
            log.exception("command %s failed in %s:%s", command.name, chat.platform, chat.chat_id)
            reply = cards.notice(msg.SORRY, outcome=Outcome.ERROR, command=command.name)
        self._count(chat.platform, reply, command)
        elapsed = time.perf_counter() - started
        metrics.command_done(chat.platform, command.name, reply.outcome.value, elapsed)
        requests_log.info(
            "%s /%s %s %.2fms",
            chat.platform,
            command.name,
            reply.outcome.value,
            elapsed * 1000,
            extra={
                "platform": chat.platform,
                "command": command.name,
                "outcome": reply.outcome.value,
                "latency_ms": round(elapsed * 1000, 3),
            },
        )
        return reply

    async def press(self, message: Inbound, moderation: Moderation | None = None) -> Reply:
        """Run a button's command (``message.text``); a card whose role is gone is out of date."""
        command = parse(message.text)
        if command is None or (command.spec.moderator and command.name != "pin"):
            return cards.notice(msg.CARD_OUT_OF_DATE, outcome=Outcome.STALE, command="button")
        if command.spec.needs_role and command.args:
            found = find_role(self.catalog, command.args)
            if found.role is None:
                return cards.notice(
                    msg.CARD_OUT_OF_DATE, outcome=Outcome.STALE, command=command.name
                )
        return await self.respond(command, message, moderation)

    async def _default_role(self, chat: Chat) -> str | None:
        if self.store is None or not chat.is_group:
            return None
        key = (chat.platform, chat.chat_id)
        hit = self._defaults.get(key)
        if hit is not None and time.monotonic() - hit[0] < DEFAULT_ROLE_TTL:
            return hit[1]
        try:
            role = await self.store.get_default_role(chat.platform, chat.chat_id)
        except StoreError as exc:
            # Answering needs no store: fall back to "no default" and keep serving.
            log.warning("store unavailable reading default role: %s", exc)
            return None
        self._remember_default(key, role)
        return role

    def _remember_default(self, key: tuple[str, str], role: str | None) -> None:
        if len(self._defaults) >= DEFAULT_ROLE_CACHE:
            self._defaults.clear()
        self._defaults[key] = (time.monotonic(), role)

    # -- moderator commands -------------------------------------------------------

    async def _moderate(
        self,
        command: Command,
        catalog: Catalog,
        chat: Chat,
        user_id: str | None,
        moderation: Moderation | None,
    ) -> Reply:
        name = command.name
        if not chat.is_group or moderation is None:
            return cards.notice(
                msg.GROUPS_ONLY.format(name=name), outcome=Outcome.REFUSED, command=name
            )
        try:
            allowed = user_id is not None and await moderation.is_moderator(
                chat, user_id, pinning=name in ("pin", "unpin")
            )
        except PermissionMissing as exc:  # e.g. an admin without the right to pin
            return cards.notice(
                _missing(exc),
                outcome=Outcome.REFUSED,
                command=name,
            )
        if not allowed or user_id is None:
            return cards.notice(
                msg.MODERATORS_ONLY.format(name=name), outcome=Outcome.REFUSED, command=name
            )
        if name == "stats":
            return await self.stats()
        if name == "unpin":
            return await self._unpin(chat, moderation)
        found = find_role(catalog, command.args)
        if found.rest:
            return not_found(command, catalog, " ".join(found.rest))
        role = found.role
        if name == "setrole":
            if role is None:
                return cards.notice(msg.SETROLE_NEEDS_ROLE, outcome=Outcome.NOT_FOUND, command=name)
            return await self._setrole(chat, role.slug, role.title, user_id)
        if role is None:
            default = await self._default_role(chat)
            role = (
                catalog.get(default)
                if default
                else (catalog.roles[0] if len(catalog) == 1 else None)
            )
        if role is None:
            return answer(Command(command.spec), catalog)  # "which role?"
        card = catalog.card(role, "role")
        assert card is not None
        return await self._pin(chat, card, user_id, moderation)

    async def _setrole(self, chat: Chat, slug: str, title: str, user_id: str) -> Reply:
        assert self.store is not None, "moderation needs a store"
        try:
            await self.store.set_default_role(chat.platform, chat.chat_id, slug, user_id)
        except StoreError as exc:
            log.error("could not save default role for %s:%s: %s", chat.platform, chat.chat_id, exc)
            return cards.notice(msg.STORE_DOWN, outcome=Outcome.ERROR, command="setrole")
        self._remember_default((chat.platform, chat.chat_id), slug)
        return cards.notice(msg.DEFAULT_ROLE_SET.format(role=title), command="setrole")

    async def _pin(self, chat: Chat, card: Reply, user_id: str, moderation: Moderation) -> Reply:
        assert self.store is not None, "moderation needs a store"
        assert card.role is not None, "a pinned card names its role"
        assert card.card is not None, "a pinned card names its kind"
        try:
            await moderation.check_pin_rights(chat)
            message_id = await moderation.post_card(chat, card)
            await moderation.pin(chat, message_id)
        except PermissionMissing as exc:
            return cards.notice(
                _missing(exc),
                outcome=Outcome.REFUSED,
                command="pin",
            )
        except PlatformError as exc:
            log.warning(
                "pin failed in %s:%s (%s): %s", chat.platform, chat.chat_id, exc.method, exc
            )
            return cards.notice(
                msg.PIN_FAILED.format(reason=exc.reason or "platform error"),
                outcome=Outcome.ERROR,
                command="pin",
            )
        record = PinnedCard(
            chat.platform,
            chat.chat_id,
            message_id,
            card.role,
            card.card,
            card.content_hash,
            user_id,
            time.time(),
        )
        try:
            await self.store.add_pin(record)
        except StoreError as exc:
            log.error(
                "pinned %s in %s:%s but could not record it: %s",
                message_id,
                chat.platform,
                chat.chat_id,
                exc,
            )
            return cards.notice(msg.STORE_DOWN, outcome=Outcome.ERROR, command="pin")
        title = self.catalog.get(card.role)
        return cards.notice(
            msg.PINNED.format(role=title.title if title else card.role), command="pin"
        )

    async def _unpin(self, chat: Chat, moderation: Moderation) -> Reply:
        assert self.store is not None
        try:
            pins = await self.store.pins(chat.platform, chat.chat_id)
        except StoreError:
            return cards.notice(msg.STORE_DOWN, outcome=Outcome.ERROR, command="unpin")
        if not pins:
            return cards.notice(msg.NOTHING_PINNED, outcome=Outcome.NOT_FOUND, command="unpin")
        latest = pins[-1]
        try:
            await moderation.unpin(chat, latest.message_id)
        except PermissionMissing as exc:
            return cards.notice(
                _missing(exc),
                outcome=Outcome.REFUSED,
                command="unpin",
            )
        except PlatformError as exc:
            log.warning("unpin failed in %s:%s: %s", chat.platform, chat.chat_id, exc)
            return cards.notice(
                msg.PIN_FAILED.format(reason=exc.reason or "platform error"),
                outcome=Outcome.ERROR,
                command="unpin",
            )
        try:
            await self.store.remove_pin(chat.platform, chat.chat_id, latest.message_id)
        except StoreError:
            return cards.notice(msg.STORE_DOWN, outcome=Outcome.ERROR, command="unpin")
        role = self.catalog.get(latest.role)
        return cards.notice(
            msg.UNPINNED.format(role=role.title if role else latest.role), command="unpin"
        )

    async def first_delivery(self, platform: str, key: str, ttl: float = 24 * 3600) -> bool:
        """True the first time ``key`` is seen on ``platform`` (across replicas, via the store).

        A retried webhook or a second replica gets False and must not answer again. When
        the store is down we answer anyway: a rare double answer beats silence.
        """
        if self.store is None:
            return True
        try:
            first = await self.store.claim_update(f"{platform}:{key}", ttl)
        except StoreError as exc:
            log.warning("store unavailable for duplicate check, answering anyway: %s", exc)
            return True
        if not first:
            metrics.duplicate_dropped(platform)
        return first

    # -- usage statistics -----------------------------------------------------------

    def _count(self, platform: str, reply: Reply, command: Command) -> None:
        query = reply.query if reply.outcome is Outcome.NOT_FOUND else ""
        key = (today(), platform, command.name, reply.role or "", reply.outcome.value, query)
        self._usage[key] += 1

    async def flush_usage(self) -> None:
        """Write buffered usage counts to the store; keep them if the store fails."""
        if self.store is None or not self._usage:
            return
        pending, self._usage = self._usage, Counter()
        rows = [UsageRow(*key, count) for key, count in pending.items()]
        try:
            await self.store.add_usage(rows)
        except StoreError as exc:
            log.warning("could not save usage counts, will retry: %s", exc)
            self._usage.update(pending)

    async def stats(self) -> Reply:
        """Most asked roles and commands over 7 and 30 days, and the content gaps."""
        await self.flush_usage()
        assert self.store is not None
        try:
            rows = await self.store.usage(days_ago(30))
        except StoreError:
            return cards.notice(msg.STORE_DOWN, outcome=Outcome.ERROR, command="stats")
        if not rows:
            return cards.notice(msg.STATS_TITLE, msg.STATS_EMPTY, command="stats")
        week = days_ago(7)
        blocks: list[Fields | Bullets | Paragraph] = []
        for title, pick in (
            (msg.STATS_TOP_ROLES, lambda r: self._role_title(r.role) if r.role else None),
            (msg.STATS_TOP_COMMANDS, lambda r: "/" + r.command),
            (
                msg.STATS_GAPS,
                lambda r: f"“{r.query}”" if r.outcome == "not_found" and r.query else None,
            ),
        ):
            lines = _top(rows, pick, week)
            blocks.append(Bullets(tuple(lines) or (msg.STATS_EMPTY,), title))
        return Reply(
            msg.STATS_TITLE, tuple(blocks), "Counts per day; no user ids are kept.", command="stats"
        )

    def _role_title(self, slug: str) -> str:
        role = self.catalog.get(slug)
        return role.title if role else slug


def _missing(exc: PermissionMissing) -> str:
    """What to tell a moderator about a missing right: the adapter's words, else ours."""
    return exc.hint or msg.NO_RIGHT.format(reason=exc.reason or "unknown")


def _top(rows: list[UsageRow], pick: object, week: str, limit: int = 5) -> list[str]:
    month: Counter[str] = Counter()
    recent: Counter[str] = Counter()
    for row in rows:
        key = pick(row)  # type: ignore[operator]
        if key is None:
            continue
        month[key] += row.count
        if row.day >= week:
            recent[key] += row.count
    return [
        f"{key}: {recent[key]} in 7 days, {count} in 30" for key, count in month.most_common(limit)
    ]


__all__ = ["CareerBot"]
