"""Commands end to end: the real Application against the fake Bot API, via process_update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from careerbot_chat import COMMANDS, Catalog, answer, messages, parse, render_plain
from tests.fakes.telegram_api import BOT_USERNAME, FakeTelegram
from tests.telegram.builders import GROUP_ID, MEMBER_ID, group_update, text_update
from tests.telegram.html_check import telegram_html_problems, visible_text

Process = Callable[[dict[str, Any]], Awaitable[None]]
MEMBER_COMMANDS = [spec.name for spec in COMMANDS if not spec.moderator]
SENDS = ("sendMessage", "sendPhoto")
"""/chart answers with a photo; every other command with a message."""


def only_answer(fake: FakeTelegram) -> Any:
    (call,) = [call for call in fake.calls if call.method in SENDS]
    return call


@pytest.mark.parametrize("name", MEMBER_COMMANDS)
async def test_every_member_command_answers_in_a_private_chat(
    name: str, fake: FakeTelegram, process: Process
) -> None:
    """Each member command gets one HTML answer in the private chat, not as a reply."""
    await process(text_update(f"/{name}"))
    call = only_answer(fake)
    assert call.params["chat_id"] == MEMBER_ID
    assert call.params["parse_mode"] == "HTML"
    assert "reply_parameters" not in call.params
    assert telegram_html_problems(call.params.get("text") or call.params["caption"]) == []


@pytest.mark.parametrize("name", MEMBER_COMMANDS)
async def test_every_member_command_replies_to_the_asker_in_a_group(
    name: str, fake: FakeTelegram, process: Process
) -> None:
    """In a group each command's answer replies to the asking message."""
    update = group_update(f"/{name}")
    await process(update)
    call = only_answer(fake)
    assert call.params["chat_id"] == GROUP_ID
    assert call.params["reply_parameters"]["message_id"] == update["message"]["message_id"]


ROLE_CARD_LINES = 15
"""One phone screen: the role card's non-empty lines at most."""


async def test_role_card_text_and_buttons(fake: FakeTelegram, process: Process) -> None:
    """/role mlops: the MLOps card on one screen, Salary, Pitfalls, Skills and FAQ buttons."""
    await process(text_update("/role mlops"))
    (call,) = fake.called("sendMessage")
    text = visible_text(call.params["text"])
    assert text.startswith("MLOps Engineer · India")
    assert len([line for line in text.splitlines() if line.strip()]) <= ROLE_CARD_LINES
    for fact in ("about 1,260 open roles", "Senior ₹45–80 LPA", "Docker", "DevOps plus scripts"):
        assert fact in text  # one line each: demand, bands, skills, the top pitfall
    buttons = [b for row in call.params["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["text"] for b in buttons] == ["Salary", "Pitfalls", "Skills", "FAQ"]
    assert buttons[0]["callback_data"] == "/salary mlops-engineer"


async def test_bot_name_suffix_is_ours_in_a_group(fake: FakeTelegram, process: Process) -> None:
    """/salary@BotName senior in a group answers, whatever the case of the bot name."""
    await process(group_update(f"/salary@{BOT_USERNAME.lower()} senior"))
    (call,) = fake.called("sendMessage")
    assert "Senior pay" in visible_text(call.params["text"])


@pytest.mark.parametrize("chat", ["group", "private"])
async def test_command_for_another_bot_is_ignored(
    chat: str, fake: FakeTelegram, process: Process
) -> None:
    """/role@OtherBot is left to that bot in groups and private chats alike."""
    text = "/role@SomeOtherBot mlops"
    await process(group_update(text) if chat == "group" else text_update(text))
    assert fake.called("sendMessage") == []


async def test_alias_commands_answer(fake: FakeTelegram, process: Process) -> None:
    """/pay and /interview are aliases of /salary and /pitfalls."""
    await process(text_update("/pay mlops"))
    await process(text_update("/interview mlops"))
    first, second = fake.sent_texts()
    assert "pay" in visible_text(first)
    assert "interview pitfalls" in visible_text(second)


async def test_plain_text_is_a_lookup_in_private_chats(
    fake: FakeTelegram, process: Process
) -> None:
    """In a private chat, "senior salary" answers like /salary senior."""
    await process(text_update("senior salary"))
    (text,) = fake.sent_texts()
    assert "Senior MLOps Engineer pay" in visible_text(text)


async def test_plain_text_is_ignored_in_groups(fake: FakeTelegram, process: Process) -> None:
    """Groups chat freely: plain text there gets no answer."""
    await process(group_update("mlops senior salary"))
    assert fake.calls == []


async def test_unknown_command_gets_help_in_private_only(
    fake: FakeTelegram, process: Process
) -> None:
    """An unknown /command gets the help in private, and silence in a group."""
    await process(group_update("/frobnicate"))
    assert fake.calls == []
    await process(text_update("/frobnicate"))
    (text,) = fake.sent_texts()
    assert messages.HELP_UNKNOWN.format(name="frobnicate") in visible_text(text)


async def test_edited_messages_are_not_answered_again(fake: FakeTelegram, process: Process) -> None:
    """Editing a command does not trigger a second answer."""
    update = text_update("/role mlops")
    update["edited_message"] = update.pop("message")
    update["edited_message"]["edit_date"] = update["edited_message"]["date"]
    await process(update)
    assert fake.calls == []


async def test_user_text_is_escaped_in_the_answer(fake: FakeTelegram, process: Process) -> None:
    """A member's markup comes back as text in a valid message."""
    await process(text_update("/role <b>devops</b> & <script>"))
    (text,) = fake.sent_texts()
    assert telegram_html_problems(text) == []
    assert "<b>devops</b>" in visible_text(text)


async def test_help_matches_the_core_answer(
    fake: FakeTelegram, process: Process, catalog: Catalog
) -> None:
    """The adapter only renders: /help says what the core's plain rendering says."""
    await process(text_update("/help"))
    (text,) = fake.sent_texts()
    command = parse("/help")
    assert command is not None
    plain = render_plain(answer(command, catalog))
    assert visible_text(text).split() == plain.split()
