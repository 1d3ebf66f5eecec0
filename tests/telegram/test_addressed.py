"""Where the bot listens in groups: mentions, replies to its cards, inline sentences, /ask."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tests.fakes.telegram_api import BOT_ID, BOT_USERNAME, FakeTelegram
from tests.telegram.builders import (
    GROUP_ID,
    group_update,
    inline_update,
    mention_update,
    reply_update,
    text_mention_update,
    text_update,
    user,
)
from tests.telegram.html_check import visible_text

Process = Callable[[dict[str, Any]], Awaitable[None]]
MENTION = f"@{BOT_USERNAME}"


async def test_group_mention_is_answered_in_reply(fake: FakeTelegram, process: Process) -> None:
    """ "@bot how much does a senior make?" in a group: the senior band, replying to it."""
    update = mention_update(f"{MENTION} how much does a senior make?", MENTION)
    await process(update)
    (call,) = fake.called("sendMessage")
    assert call.params["chat_id"] == GROUP_ID
    assert call.params["reply_parameters"]["message_id"] == update["message"]["message_id"]
    lines = [line for line in visible_text(call.params["text"]).splitlines() if line.strip()]
    assert "₹45–80 LPA" in lines[0]


async def test_text_mention_is_answered(fake: FakeTelegram, process: Process) -> None:
    """A text mention of the bot (its name linked to it) addresses it too."""
    await process(text_mention_update("Careerbot mlops interview tips", "Careerbot", BOT_ID))
    (text,) = fake.sent_texts()
    assert "DevOps plus scripts" in visible_text(text)


async def test_chatter_and_other_mentions_stay_unanswered(
    fake: FakeTelegram, process: Process
) -> None:
    """Group chatter, a mention of someone else, and other bots get no answer."""
    await process(group_update("how much does a senior make?"))
    await process(mention_update("@SomeoneElse how much does a senior make?", "@SomeoneElse"))
    await process(text_mention_update("Priya what's the senior band?", "Priya", 777))
    other_bot = mention_update(f"{MENTION} senior salary", MENTION)
    other_bot["message"]["from"] = user(9999, is_bot=True, username="OtherBot")
    await process(other_bot)
    assert fake.calls == []


async def test_reply_to_someone_else_is_chatter(fake: FakeTelegram, process: Process) -> None:
    """Replying to another member's message does not address the bot."""
    other = group_update("I earn well")["message"]
    await process(reply_update("and staff?", other))
    assert fake.calls == []


async def test_inline_query_in_a_sentence(fake: FakeTelegram, process: Process) -> None:
    """ "senior mlops ka salary kitna hai" inline: the senior band is the first result."""
    await process(inline_update("senior mlops ka salary kitna hai"))
    (call,) = fake.called("answerInlineQuery")
    first = call.params["results"][0]
    assert "Senior MLOps Engineer pay" in first["title"]
    assert "₹45–80 LPA" in visible_text(first["input_message_content"]["message_text"])


async def test_ask_command_in_private_and_in_a_group(fake: FakeTelegram, process: Process) -> None:
    """/ask TEXT answers a question in words wherever commands work."""
    await process(text_update("/ask how much does a senior mlops engineer make"))
    await process(group_update(f"/ask@{BOT_USERNAME} sr mlops ctc?"))
    private, group = fake.sent_texts()
    assert "₹45–80 LPA" in visible_text(private)
    assert "₹45–80 LPA" in visible_text(group)


async def test_private_sentence_and_hinglish(fake: FakeTelegram, process: Process) -> None:
    """Plain text in a private chat is read as a question, Hinglish included."""
    await process(text_update("5 saal experience pe salary kitni milegi"))
    (text,) = fake.sent_texts()
    assert "₹22–45 LPA" in visible_text(text)
