"""Forum supergroups: answers, follow-ups and cards stay in the topic they were asked in.

In a forum, a member's message in a topic carries ``message_thread_id`` and
``is_topic_message``, and replies to the topic's first message unless it replies to
another; the bot's answers must carry the same ``message_thread_id`` or they land
in the General topic.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.builders import (
    GROUP_ID,
    bot_message,
    callback_update,
    group_chat,
    group_update,
    mention_update,
    user,
)
from tests.telegram.conftest import SECRET
from tests.telegram.html_check import visible_text

Process = Callable[[dict[str, Any]], Awaitable[None]]
TOPIC = 77
FORUM = {**group_chat(), "is_forum": True}


def topic_root(thread: int = TOPIC) -> dict[str, Any]:
    """The message that opened the topic: a member's, as every topic message replies to it."""
    return {
        "message_id": thread,
        "date": 1,
        "chat": FORUM,
        "from": user(5151),
        "message_thread_id": thread,
        "forum_topic_created": {"name": "Careers", "icon_color": 7322096},
        "is_topic_message": True,
    }


def in_topic(update: dict[str, Any], thread: int = TOPIC) -> dict[str, Any]:
    """``update``'s message (or pressed card) moved into topic ``thread`` of the forum."""
    message = update.get("message") or update["callback_query"]["message"]
    message.update(chat=FORUM, message_thread_id=thread, is_topic_message=True)
    message.setdefault("reply_to_message", topic_root(thread))
    return update


def threads(fake: FakeTelegram, method: str = "sendMessage") -> list[int | None]:
    return [call.params.get("message_thread_id") for call in fake.delivered(method)]


async def test_a_command_in_a_topic_is_answered_there(fake: FakeTelegram, process: Process) -> None:
    """/role in topic 77: the answer carries message_thread_id 77 and replies to the asker."""
    await process(in_topic(group_update("/role mlops")))
    assert threads(fake) == [TOPIC]
    (sent,) = fake.delivered("sendMessage")
    assert visible_text(sent.params["text"]).startswith("MLOps Engineer")


async def test_a_mention_in_a_topic_is_answered_there(fake: FakeTelegram, process: Process) -> None:
    """A question mentioning the bot (its topic root is a member's message, not a reply)."""
    await process(in_topic(mention_update("@CareerTestBot senior pay", "@CareerTestBot")))
    assert threads(fake) == [TOPIC]


async def test_a_follow_up_in_a_topic_stays_there(fake: FakeTelegram, process: Process) -> None:
    """Replying "and staff?" to the bot's card in topic 77 answers in topic 77."""
    await process(in_topic(group_update("/salary senior mlops")))
    card_id = max(mid for chat, mid in fake.texts if chat == GROUP_ID)
    card = {**bot_message(card_id, chat=FORUM), "message_thread_id": TOPIC}
    card["is_topic_message"] = True
    fake.reset()
    update = in_topic(group_update("and staff?"))
    update["message"]["reply_to_message"] = card
    await process(update)
    assert threads(fake) == [TOPIC]
    assert "pay" in visible_text(fake.delivered("sendMessage")[0].params["text"])


async def test_a_button_on_a_card_in_a_topic_answers_there(
    fake: FakeTelegram, process: Process
) -> None:
    """A card button that sends a new message (not a switcher) sends it into the topic."""
    press = in_topic(
        callback_update(
            "/skills mlops-engineer",
            chat=group_chat(),
            buttons=("/skills mlops-engineer", "/faq mlops-engineer"),
        )
    )
    await process(press)
    assert threads(fake) == [TOPIC]


async def test_the_general_topic_gets_no_thread(fake: FakeTelegram, process: Process) -> None:
    """A message outside any topic (General, or a plain group): no message_thread_id."""
    update = group_update("/role mlops")
    update["message"]["chat"] = FORUM
    await process(update)
    assert threads(fake) == [None]


async def test_an_answer_in_the_webhook_reply_stays_in_the_topic(
    fake: FakeTelegram, client: httpx.AsyncClient
) -> None:
    """The answer carried by the webhook's HTTP answer names the topic too."""
    response = await client.post(
        "/telegram/webhook",
        content=json.dumps(in_topic(group_update("/role mlops"))).encode(),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
    )
    assert response.json()["message_thread_id"] == TOPIC
    assert [call.params.get("message_thread_id") for call in fake.webhook_replies] == [TOPIC]
