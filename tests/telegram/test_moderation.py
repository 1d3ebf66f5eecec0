"""Moderators' commands on Telegram: rights from getChatMember, the card posted, pinned, recorded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from careerbot_chat import SQLiteStore, messages
from careerbot_telegram import _words as words
from tests.fakes.telegram_api import BOT_ID, FakeTelegram
from tests.telegram.builders import (
    ADMIN_ID,
    GROUP_ID,
    MEMBER_ID,
    OWNER_ID,
    anonymous_admin_update,
    group_update,
    text_update,
)
from tests.telegram.html_check import visible_text

Process = Callable[[dict[str, Any]], Awaitable[None]]
CHAT = str(GROUP_ID)
PINNED = messages.PINNED.format(role="MLOps Engineer")


@pytest.fixture
def rights(fake: FakeTelegram) -> FakeTelegram:
    """A group where ADMIN_ID may pin, OWNER_ID created it, and the bot may pin."""
    fake.set_member(GROUP_ID, ADMIN_ID, "administrator", can_pin_messages=True)
    fake.set_member(GROUP_ID, OWNER_ID, "creator")
    fake.set_member(GROUP_ID, BOT_ID, "administrator", can_pin_messages=True)
    return fake


def last_text(fake: FakeTelegram) -> str:
    return visible_text(fake.called("sendMessage")[-1].params["text"])


@pytest.mark.parametrize("moderator", [ADMIN_ID, OWNER_ID])
async def test_pin_posts_pins_and_records_the_card(
    moderator: int, rights: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """/pin mlops by an admin or the creator: card posted, pinned quietly, recorded, confirmed."""
    await process(group_update("/pin mlops", sender_id=moderator))
    card, confirmation = rights.called("sendMessage")
    assert "reply_parameters" not in card.params
    shown = visible_text(card.params["text"])
    assert shown.startswith("MLOps Engineer")
    assert len([line for line in shown.splitlines() if line.strip()]) <= 15  # as /role shows it
    (pin,) = rights.called("pinChatMessage")
    (record,) = await sqlite_store.pins("telegram", CHAT)
    assert pin.params["message_id"] == int(record.message_id)
    assert pin.params["disable_notification"] is True
    assert (record.role, record.card, record.pinned_by) == (
        "mlops-engineer",
        "role",
        str(moderator),
    )
    assert visible_text(confirmation.params["text"]) == PINNED


async def test_member_is_refused_politely(
    rights: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """A plain member's /pin is refused and changes nothing."""
    await process(group_update("/pin mlops", sender_id=MEMBER_ID))
    assert last_text(rights) == messages.MODERATORS_ONLY.format(name="pin")
    assert rights.called("pinChatMessage") == []
    assert await sqlite_store.pins("telegram", CHAT) == []


async def test_anonymous_admin_counts_as_admin(
    rights: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """A /pin sent on behalf of the group is a moderator's; only the bot's rights are looked up."""
    await process(anonymous_admin_update("/pin mlops"))
    assert last_text(rights) == PINNED
    looked_up = [call.params["user_id"] for call in rights.called("getChatMember")]
    assert looked_up == [BOT_ID]
    assert len(await sqlite_store.pins("telegram", CHAT)) == 1


async def test_anonymous_sender_of_another_chat_is_not_an_admin(
    rights: FakeTelegram, process: Process
) -> None:
    """A message sent as some other channel is no proof of admin rights here."""
    update = group_update("/pin mlops")
    update["message"]["sender_chat"] = {"id": -100555, "type": "channel", "title": "Elsewhere"}
    await process(update)
    assert last_text(rights) == messages.MODERATORS_ONLY.format(name="pin")


@pytest.mark.parametrize(
    ("status", "can_pin"),
    [("member", False), ("administrator", False)],
    ids=["member", "no-pin-right"],
)
async def test_bot_without_pin_right_says_which_right_to_grant(
    status: str, can_pin: bool, rights: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """Without "Pin messages" the bot names that right; no card is posted, nothing recorded."""
    rights.set_member(GROUP_ID, BOT_ID, status, can_pin_messages=can_pin)
    await process(group_update("/pin mlops", sender_id=ADMIN_ID))
    (only,) = rights.called("sendMessage")
    assert visible_text(only.params["text"]) == words.BOT_CANNOT_PIN
    assert rights.called("pinChatMessage") == []
    assert await sqlite_store.pins("telegram", CHAT) == []


async def test_admin_without_pin_right_is_told_so(
    rights: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """An admin lacking "Pin messages" learns that right is needed; nothing happens."""
    rights.set_member(GROUP_ID, ADMIN_ID, "administrator", can_pin_messages=False)
    await process(group_update("/pin mlops", sender_id=ADMIN_ID))
    assert last_text(rights) == words.ADMIN_CANNOT_PIN
    assert rights.called("pinChatMessage") == []
    assert await sqlite_store.pins("telegram", CHAT) == []


async def test_pin_refused_by_telegram_is_not_recorded(
    rights: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """When pinChatMessage itself fails for lack of rights, the hint is shown and nothing recorded."""
    rights.fail(
        "pinChatMessage",
        400,
        description="Bad Request: not enough rights to manage pinned messages in the chat",
    )
    await process(group_update("/pin mlops", sender_id=ADMIN_ID))
    assert last_text(rights) == words.BOT_CANNOT_PIN
    assert await sqlite_store.pins("telegram", CHAT) == []


@pytest.mark.parametrize(
    ("status", "description"), [(400, "Bad Request: message can't be pinned"), (500, "")]
)
async def test_pin_failing_otherwise_reports_and_records_nothing(
    rights: FakeTelegram, process: Process, sqlite_store: SQLiteStore, status: int, description: str
) -> None:
    """Another pin failure (refused, or a server error) says the card could not be pinned;
    nothing recorded."""
    rights.fail("pinChatMessage", status, description=description, times=5)
    await process(group_update("/pin mlops", sender_id=ADMIN_ID))
    assert last_text(rights).startswith("I couldn't pin that card")
    assert await sqlite_store.pins("telegram", CHAT) == []


async def test_unpin_unpins_the_recorded_card(
    rights: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """/unpin unpins the card the bot pinned and forgets it."""
    await process(group_update("/pin mlops", sender_id=ADMIN_ID))
    (record,) = await sqlite_store.pins("telegram", CHAT)
    await process(group_update("/unpin", sender_id=ADMIN_ID))
    (unpin,) = rights.called("unpinChatMessage")
    assert unpin.params["message_id"] == int(record.message_id)
    assert await sqlite_store.pins("telegram", CHAT) == []
    assert last_text(rights) == messages.UNPINNED.format(role="MLOps Engineer")


async def test_unpin_of_a_card_already_gone_forgets_it(
    rights: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """A card someone else unpinned or deleted still leaves the record cleanly."""
    await process(group_update("/pin mlops", sender_id=ADMIN_ID))
    rights.fail("unpinChatMessage", 400, description="Bad Request: message to unpin not found")
    await process(group_update("/unpin", sender_id=ADMIN_ID))
    assert await sqlite_store.pins("telegram", CHAT) == []


async def test_unpin_by_a_member_is_refused(
    rights: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """A plain member cannot unpin; the record stays."""
    await process(group_update("/pin mlops", sender_id=ADMIN_ID))
    await process(group_update("/unpin", sender_id=MEMBER_ID))
    assert rights.called("unpinChatMessage") == []
    assert len(await sqlite_store.pins("telegram", CHAT)) == 1
    assert last_text(rights) == messages.MODERATORS_ONLY.format(name="unpin")


@pytest.mark.parametrize("name", ["pin", "unpin", "setrole mlops"])
async def test_moderator_commands_are_for_groups(
    name: str, fake: FakeTelegram, process: Process
) -> None:
    """In a private chat the moderator commands explain they are for groups."""
    await process(text_update(f"/{name}"))
    assert last_text(fake) == messages.GROUPS_ONLY.format(name=name.split()[0])
    assert fake.called("getChatMember") == []
