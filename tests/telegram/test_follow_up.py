"""Replies to the bot's cards are follow-ups about that card's role (two roles loaded)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from careerbot_chat import Catalog
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.builders import GROUP_ID, bot_message, group_update, reply_update
from tests.telegram.html_check import visible_text

Process = Callable[[dict[str, Any]], Awaitable[None]]


@pytest.fixture
def catalog(staff_in_two_roles: Catalog) -> Catalog:
    """Two roles with a Staff band, so the role must come from context."""
    return staff_in_two_roles


async def test_reply_to_the_bots_card_is_a_follow_up(fake: FakeTelegram, process: Process) -> None:
    """ "and staff?" replying to the senior band card answers the staff band of that role."""
    await process(group_update("/salary senior mlops"))
    (first,) = fake.called("sendMessage")
    card_id = max(mid for chat, mid in fake.texts if chat == GROUP_ID)
    fake.reset()
    await process(reply_update("and staff?", bot_message(card_id)))
    (text,) = fake.sent_texts()
    lines = [line for line in visible_text(text).splitlines() if line.strip()]
    assert lines[0].startswith("MLOps Engineer · Staff pay")
    assert "₹1.2 Cr+" in lines[1]
    assert "₹70–90 LPA" not in text
    assert first.params["text"] != text


async def test_reply_to_a_card_sent_before_a_restart(fake: FakeTelegram, process: Process) -> None:
    """A card the bot no longer remembers: its buttons still name the role."""
    card = bot_message(31337, buttons=("/salary mid mlops-engineer", "/salary mlops-engineer"))
    await process(reply_update("what about senior?", card))
    (text,) = fake.sent_texts()
    assert visible_text(text).startswith("MLOps Engineer · Senior pay")
