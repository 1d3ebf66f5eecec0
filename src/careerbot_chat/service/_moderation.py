"""The moderator commands: check rights, then pin, unpin, set the default role or count.

The flow lives here once for every platform; the platform's own powers (who is an
admin, posting, pinning) come from the adapter's ``Moderation``. Each command is one
entry of ``ModerationFlow.actions``; every failure is handled in one place:
a missing right tells the moderator how to grant it, a refused platform call says
nothing was recorded, a store failure says nothing changed. A pin or unpin sets the
pinned-cards gauge from the store.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .. import messages as msg
from .._errors import PermissionMissing, PlatformError, StoreError
from ..answering._answer import answer
from ..answering._cards import card_for, notice
from ..answering._compose import not_found
from ..answering._decide import fallback_role, find_role
from ..answering._parser import Command
from ..answering._reply import Outcome, Reply
from ..catalog._loader import Catalog
from ..store._contract import PinnedCard, Store
from . import _metrics as metrics
from ._defaults import DefaultRoles
from ._inbound import Chat, Moderation
from ._usage import UsageLog

__all__ = ["Asked", "ModerationFlow"]

log = logging.getLogger("careerbot")


@dataclass(frozen=True, slots=True)
class Asked:
    """One moderator command being run: what, where, by whom, with which powers."""

    command: Command
    catalog: Catalog
    chat: Chat
    user_id: str
    powers: Moderation


Action = Callable[[Asked], Awaitable[Reply]]


class ModerationFlow:
    """Runs ``/pin``, ``/unpin``, ``/setrole`` and ``/stats`` for a moderator."""

    def __init__(self, store: Store | None, defaults: DefaultRoles, usage: UsageLog) -> None:
        self.store = store
        self.defaults = defaults
        self.usage = usage
        self.actions: dict[str, tuple[Action, bool]] = {
            "pin": (self._pin, True),
            "unpin": (self._unpin, True),
            "setrole": (self._setrole, False),
            "stats": (self._stats, False),
        }
        """Each command's action, and whether the moderator needs the right to pin."""

    async def run(
        self,
        command: Command,
        catalog: Catalog,
        chat: Chat,
        user_id: str | None,
        powers: Moderation | None,
    ) -> Reply:
        name = command.name
        action, pinning = self.actions[name]
        if not chat.is_group or powers is None or self.store is None:
            return _refused(msg.GROUPS_ONLY.format(name=name), name)
        try:
            if user_id is None or not await powers.is_moderator(chat, user_id, pinning=pinning):
                return _refused(msg.MODERATORS_ONLY.format(name=name), name)
            return await action(Asked(command, catalog, chat, user_id, powers))
        except PermissionMissing as exc:
            return _refused(exc.hint or msg.NO_RIGHT.format(reason=exc.reason or "unknown"), name)
        except PlatformError as exc:
            log.warning(
                "/%s failed in %s:%s (%s): %s", name, chat.platform, chat.chat_id, exc.method, exc
            )
            text = msg.PIN_FAILED.format(reason=exc.reason or "platform error")
            return notice(text, outcome=Outcome.ERROR, command=name)
        except StoreError as exc:
            log.error("/%s in %s:%s: the store failed: %s", name, chat.platform, chat.chat_id, exc)
            return notice(msg.STORE_DOWN, outcome=Outcome.ERROR, command=name)

    async def _pin(self, asked: Asked) -> Reply:
        """Post the role card for everyone, pin it, and record it for refreshes."""
        catalog, chat = asked.catalog, asked.chat
        found = find_role(catalog, asked.command.args)
        if found.rest:
            return not_found(asked.command, catalog, " ".join(found.rest))
        role = found.role or fallback_role(catalog, await self.defaults.get(chat))
        if role is None:
            return answer(Command(asked.command.spec), catalog)  # "which role?"
        card = card_for(catalog, role, "role")
        assert card is not None
        assert card.card is not None
        await asked.powers.check_pin_rights(chat)
        message_id = await asked.powers.post_card(chat, card)
        await asked.powers.pin(chat, message_id)
        record = PinnedCard(
            chat.platform,
            chat.chat_id,
            message_id,
            role.slug,
            card.card,
            card.content_hash,
            asked.user_id,
            time.time(),
        )
        assert self.store is not None
        await self.store.save_pin(record)
        await self._count_pins()
        return notice(msg.PINNED.format(role=role.title), command="pin")

    async def _unpin(self, asked: Asked) -> Reply:
        """Unpin this chat's latest pinned card and forget it."""
        assert self.store is not None
        chat = asked.chat
        pins = await self.store.pins(chat.platform, chat.chat_id)
        if not pins:
            return notice(msg.NOTHING_PINNED, outcome=Outcome.NOT_FOUND, command="unpin")
        latest = pins[-1]
        await asked.powers.unpin(chat, latest.message_id)
        await self.store.remove_pin(chat.platform, chat.chat_id, latest.message_id)
        await self._count_pins()
        role = asked.catalog.get(latest.role)
        return notice(
            msg.UNPINNED.format(role=role.title if role else latest.role), command="unpin"
        )

    async def _count_pins(self) -> None:
        """Set the pinned-cards gauge from the store (every replica's pins, not this
        one's); a store that fails here leaves the gauge, never the done action, behind."""
        assert self.store is not None
        try:
            metrics.pins_recorded(len(await self.store.pins()))
        except StoreError as exc:
            log.warning("could not count the pinned cards: %s", exc)

    async def _setrole(self, asked: Asked) -> Reply:
        """Make a role this chat's default, for commands that name none."""
        assert self.store is not None
        found = find_role(asked.catalog, asked.command.args)
        if found.rest:
            return not_found(asked.command, asked.catalog, " ".join(found.rest))
        if found.role is None:
            return notice(msg.SETROLE_NEEDS_ROLE, outcome=Outcome.NOT_FOUND, command="setrole")
        chat, slug = asked.chat, found.role.slug
        await self.store.set_default_role(chat.platform, chat.chat_id, slug, asked.user_id)
        self.defaults.remember(chat, slug)
        return notice(msg.DEFAULT_ROLE_SET.format(role=found.role.title), command="setrole")

    async def _stats(self, asked: Asked) -> Reply:
        return await self.usage.stats(asked.catalog)


def _refused(text: str, name: str) -> Reply:
    return notice(text, outcome=Outcome.REFUSED, command=name)
