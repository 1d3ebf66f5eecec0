"""``CareerBot``: the core service every adapter calls.

An adapter turns a platform event into an ``Inbound`` message (or a button's
command), calls ``CareerBot.handle`` / ``press``, and renders the ``Reply`` it gets
back. Member commands are answered from the current catalogue (with the chat's
default role); moderator commands go to the ``ModerationFlow`` with the platform
powers the adapter lends; every answer is counted in the ``UsageLog``.
"""

from __future__ import annotations

import functools
import logging
import time

from .. import messages as msg
from .._errors import StoreError
from ..answering._answer import answer
from ..answering._cards import notice
from ..answering._decide import find_role
from ..answering._memory import Memory
from ..answering._parser import Command, parse
from ..answering._reply import Outcome, Reply
from ..catalog._loader import Catalog, CatalogHolder
from ..store._contract import Store
from . import _metrics as metrics
from ._conversations import MEMBER_TTL, Conversations, member_key
from ._defaults import DefaultRoles
from ._inbound import Inbound, Moderation
from ._moderation import ModerationFlow
from ._usage import UsageLog

__all__ = ["CareerBot"]

log = logging.getLogger("careerbot")
requests_log = logging.getLogger("careerbot.requests")

_memory = functools.lru_cache(maxsize=4096)(Memory.loads)
"""A member's memory as read from its text: immutable, and the same texts come back."""


class CareerBot:
    """Answers commands from the current catalogue, with the store for chat settings."""

    def __init__(self, catalog: Catalog | CatalogHolder, store: Store | None = None) -> None:
        self.holder = catalog if isinstance(catalog, CatalogHolder) else CatalogHolder(catalog)
        self.store = store
        self.defaults = DefaultRoles(store)
        self.conversations = Conversations(store)
        self.usage = UsageLog(store)
        self.moderation = ModerationFlow(store, self.defaults, self.usage)

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

    async def press(self, message: Inbound, moderation: Moderation | None = None) -> Reply:
        """Run a button's command (``message.text``); a card whose role is gone is out of date."""
        command = parse(message.text)
        if command is None or (command.spec.moderator and command.name != "pin"):
            return notice(msg.CARD_OUT_OF_DATE, outcome=Outcome.STALE, command="button")
        if command.spec.needs_role and command.args:
            found = find_role(self.catalog, command.args)
            if found.role is None:
                return notice(msg.CARD_OUT_OF_DATE, outcome=Outcome.STALE, command=command.name)
        return await self.respond(command, message, moderation)

    async def respond(
        self, command: Command, message: Inbound, moderation: Moderation | None = None
    ) -> Reply:
        """Answer an understood ``command`` (a follow-up to the card ``message`` replies to,
        when it replies to one); never raises: failures become a polite reply."""
        started = time.perf_counter()
        chat = message.chat
        try:
            reply = await self._answer(command, message, moderation)
        except Exception:
            log.exception("command %s failed in %s:%s", command.name, chat.platform, chat.chat_id)
            reply = notice(msg.SORRY, outcome=Outcome.ERROR, command=command.name)
        self.usage.count(chat.platform, command, reply)
        elapsed = time.perf_counter() - started
        outcome = reply.outcome.value
        metrics.command_done(chat.platform, command.name, outcome, elapsed)
        if requests_log.isEnabledFor(logging.INFO):  # one line per answer (off-thread)
            ms = elapsed * 1000
            requests_log.info(
                f"{chat.platform} /{command.name} {outcome} {ms:.2f}ms",
                extra={
                    "platform": chat.platform,
                    "command": command.name,
                    "outcome": outcome,
                    "latency_ms": round(ms, 3),
                },
            )
        return reply

    async def _answer(
        self, command: Command, message: Inbound, moderation: Moderation | None
    ) -> Reply:
        catalog = self.catalog  # one catalogue for the whole answer, even across a reload
        if command.spec.moderator:
            return await self.moderation.run(
                command, catalog, message.chat, message.sender, moderation
            )
        # A follow-up ("and staff?") is read against the card it replies to, else against
        # what this member said earlier in this chat (kept in the store, for any replica).
        replying_to = parse(message.replying_to) if message.replying_to else None
        default = await self.defaults.get(message.chat)
        if not message.sender:
            return answer(command, catalog, default, replying_to)
        chat = message.chat
        key = member_key(chat.chat_id, message.sender)
        before = await self.conversations.recall(chat.platform, key)
        reply = answer(command, catalog, default, replying_to, _memory(before))
        if reply.memory and reply.memory != before:  # unchanged: nothing to write
            await self.conversations.remember(chat.platform, key, reply.memory, MEMBER_TTL)
        return reply

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

    async def flush_usage(self) -> None:
        """Write buffered usage counts to the store (the runtime calls this)."""
        await self.usage.flush()
