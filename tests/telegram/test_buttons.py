"""Buttons: callback queries run the button's command, always answered; switchers edit in place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from careerbot_chat import messages
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.builders import (
    GROUP_ID,
    MEMBER_ID,
    callback_update,
    group_chat,
    inline_callback_update,
)
from tests.telegram.html_check import telegram_html_problems, visible_text

Process = Callable[[dict[str, Any]], Awaitable[None]]
LEVELS = (
    "/salary mid mlops-engineer",
    "/salary senior mlops-engineer",
    "/salary staff mlops-engineer",
)
ROLE_CARD_BUTTONS = ("/salary mlops-engineer", "/pitfalls mlops-engineer", "/skills mlops-engineer")


async def test_role_card_button_sends_a_new_card(fake: FakeTelegram, process: Process) -> None:
    """Pitfalls under a role card answers the query and sends the pitfalls card."""
    update = callback_update("/pitfalls mlops-engineer", buttons=ROLE_CARD_BUTTONS)
    await process(update)
    (answered,) = fake.called("answerCallbackQuery")
    assert answered.params["callback_query_id"] == update["callback_query"]["id"]
    assert "text" not in answered.params
    (sent,) = fake.called("sendMessage")
    assert "interview pitfalls" in visible_text(sent.params["text"])
    assert fake.called("editMessageText") == []


async def test_salary_level_button_edits_the_card_in_place(
    fake: FakeTelegram, process: Process
) -> None:
    """Senior on the salary card replaces that message with the senior band and new buttons."""
    await process(callback_update(LEVELS[1], message_id=321, buttons=LEVELS))
    (edit,) = fake.called("editMessageText")
    assert edit.params["message_id"] == 321
    assert edit.params["chat_id"] == MEMBER_ID
    assert "Senior pay" in visible_text(edit.params["text"])
    commands = [
        b["callback_data"] for row in edit.params["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert "/salary mlops-engineer" in commands  # "All levels" to switch back
    assert LEVELS[1] not in commands
    assert fake.called("sendMessage") == []
    assert len(fake.called("answerCallbackQuery")) == 1


async def test_switching_to_the_shown_level_is_not_an_error(
    fake: FakeTelegram, process: Process
) -> None:
    """Pressing the same level twice: Telegram says "not modified", the bot treats it as done."""
    await process(callback_update(LEVELS[0], message_id=77, buttons=LEVELS))
    await process(callback_update(LEVELS[0], message_id=77, buttons=LEVELS))
    assert len(fake.called("editMessageText")) == 2
    assert len(fake.called("answerCallbackQuery")) == 2
    assert fake.called("sendMessage") == []  # no apology: nothing failed


async def test_group_button_answer_replies_to_the_card(
    fake: FakeTelegram, process: Process
) -> None:
    """In a group, a new card from a button replies to the card whose button was pressed."""
    await process(
        callback_update(
            "/skills mlops-engineer", chat=group_chat(), message_id=55, buttons=ROLE_CARD_BUTTONS
        )
    )
    (sent,) = fake.called("sendMessage")
    assert sent.params["chat_id"] == GROUP_ID
    assert sent.params["reply_parameters"]["message_id"] == 55


async def test_stale_button_says_the_card_is_out_of_date(
    fake: FakeTelegram, process: Process
) -> None:
    """A button for a role that left the catalogue answers "out of date" and sends nothing."""
    await process(
        callback_update("/salary senior data-scientist", buttons=("/salary senior data-scientist",))
    )
    (answered,) = fake.called("answerCallbackQuery")
    assert answered.params["text"] == messages.CARD_OUT_OF_DATE
    assert answered.params["show_alert"] is True
    assert fake.called("sendMessage") == fake.called("editMessageText") == []


async def test_garbage_callback_data_is_answered_out_of_date(
    fake: FakeTelegram, process: Process
) -> None:
    """Callback data that is no command (an old bot version's) is answered, not ignored."""
    await process(callback_update("v1:card:42"))
    (answered,) = fake.called("answerCallbackQuery")
    assert answered.params["text"] == messages.CARD_OUT_OF_DATE


async def test_callback_is_answered_even_when_sending_fails(
    fake: FakeTelegram, process: Process
) -> None:
    """When sending the card fails, the query was answered and the user gets an apology."""
    fake.fail("sendMessage", 500)
    await process(callback_update("/pitfalls mlops-engineer", buttons=ROLE_CARD_BUTTONS))
    assert len(fake.called("answerCallbackQuery")) == 1
    failed, apology = fake.called("sendMessage")
    assert "interview pitfalls" in visible_text(failed.params["text"])
    assert apology.params["text"] == messages.SORRY


async def test_a_failed_answer_still_delivers_the_card(
    fake: FakeTelegram, process: Process, caplog: pytest.LogCaptureFixture
) -> None:
    """When answerCallbackQuery fails, the card is still sent and the failure logged."""
    fake.fail("answerCallbackQuery", 500)
    await process(callback_update("/pitfalls mlops-engineer", buttons=ROLE_CARD_BUTTONS))
    assert len(fake.called("answerCallbackQuery")) == 1
    (sent,) = fake.called("sendMessage")
    assert "interview pitfalls" in visible_text(sent.params["text"])
    assert any("could not answer callback query" in r.getMessage() for r in caplog.records)


async def test_inline_message_buttons_edit_in_place(fake: FakeTelegram, process: Process) -> None:
    """A button on a card shared through inline mode edits that card (it has no chat)."""
    await process(inline_callback_update("/pitfalls mlops-engineer"))
    (edit,) = fake.called("editMessageText")
    assert edit.params["inline_message_id"] == "AAAAAinline"
    assert telegram_html_problems(edit.params["text"]) == []
    assert len(fake.called("answerCallbackQuery")) == 1
