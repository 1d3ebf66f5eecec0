"""Every text the bot sends, for every role and command, is valid Telegram HTML within 4,096."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from careerbot_chat import COMMANDS, Catalog
from tests.fakes.telegram_api import BOT_ID, FakeTelegram
from tests.telegram.builders import ADMIN_ID, GROUP_ID, group_update, inline_update, text_update
from tests.telegram.html_check import telegram_html_problems

Process = Callable[[dict[str, Any]], Awaitable[None]]


def command_texts(catalog: Catalog) -> list[str]:
    """Each command bare and for each role, and each salary level of each role."""
    texts = []
    for spec in COMMANDS:
        texts.append(f"/{spec.name}")
        texts += [f"/{spec.name} {role.slug}" for role in catalog.roles]
    for role in catalog.roles:
        texts += [f"/salary {level.id} {role.slug}" for level in role.ladder]
        texts += [f"/salary {n} years {role.slug}" for n in (0, 4, 30)]
        texts.append(f"/faq {role.slug} devops")
    return texts


@pytest.mark.parametrize("where", ["private", "group"])
async def test_every_sent_text_is_valid_html_within_the_limit(
    where: str, fake: FakeTelegram, process: Process, catalog: Catalog
) -> None:
    """All commands (moderators' too, as an admin) in a private chat and a group."""
    fake.set_member(GROUP_ID, ADMIN_ID, "administrator", can_pin_messages=True)
    fake.set_member(GROUP_ID, BOT_ID, "administrator", can_pin_messages=True)
    texts = command_texts(catalog)
    for text in texts:
        await process(
            group_update(text, sender_id=ADMIN_ID) if where == "group" else text_update(text)
        )
    sent = fake.sent_texts()
    assert len(sent) >= len(texts)
    for text in sent:
        assert telegram_html_problems(text) == [], text


async def test_every_inline_result_is_valid_html(
    fake: FakeTelegram, process: Process, catalog: Catalog
) -> None:
    """Inline results for every role (and the empty query) are valid HTML within the limit."""
    queries = ["", *(role.slug for role in catalog.roles)]
    for query in queries:
        await process(inline_update(query))
    calls = fake.called("answerInlineQuery")
    assert len(calls) == len(queries)  # one answer per query: none skipped
    for call in calls:
        assert call.params["results"], call.params
        for result in call.params["results"]:
            assert telegram_html_problems(result["input_message_content"]["message_text"]) == []
