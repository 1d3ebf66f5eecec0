"""Inline mode: @BotName mlops offers the role card, pay ladder and pitfalls to share."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from careerbot_chat import Catalog
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.builders import inline_update
from tests.telegram.html_check import telegram_html_problems, visible_text

Process = Callable[[dict[str, Any]], Awaitable[None]]


def results_of(fake: FakeTelegram) -> list[dict[str, Any]]:
    (call,) = fake.called("answerInlineQuery")
    results: list[dict[str, Any]] = call.params["results"]
    return results


async def test_role_query_offers_three_cards(fake: FakeTelegram, process: Process) -> None:
    """ "mlops" offers the role card, the salary ladder and the pitfalls, as valid HTML."""
    update = inline_update("mlops")
    await process(update)
    (call,) = fake.called("answerInlineQuery")
    assert call.params["inline_query_id"] == update["inline_query"]["id"]
    results = results_of(fake)
    assert [r["id"] for r in results] == [
        "role:mlops-engineer",
        "salary:mlops-engineer",
        "pitfalls:mlops-engineer",
    ]
    for result in results:
        assert result["type"] == "article"
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert telegram_html_problems(content["message_text"]) == []
    assert "pay" in visible_text(results[1]["input_message_content"]["message_text"])
    assert results[0]["reply_markup"]["inline_keyboard"]


async def test_empty_query_lists_the_roles(
    fake: FakeTelegram, process: Process, catalog: Catalog
) -> None:
    """An empty query lists every role as its role card."""
    await process(inline_update(""))
    results = results_of(fake)
    assert [r["id"] for r in results] == [f"role:{role.slug}" for role in catalog.roles]


async def test_near_miss_offers_the_closest_role(fake: FakeTelegram, process: Process) -> None:
    """A misspelt role ("mlpos") still offers the closest role's cards."""
    await process(inline_update("mlpos"))
    assert results_of(fake)[0]["id"] == "role:mlops-engineer"


async def test_unrelated_query_offers_nothing(fake: FakeTelegram, process: Process) -> None:
    """A query naming nothing answers with an empty list (never an error)."""
    await process(inline_update("zzzzqqqq"))
    assert results_of(fake) == []


async def test_hostile_query_is_escaped(fake: FakeTelegram, process: Process) -> None:
    """Markup typed in an inline query never reaches the results as tags."""
    await process(inline_update("mlops <b>&</b> <i>"))
    results = results_of(fake)
    assert len(results) == 3
    for result in results:
        assert telegram_html_problems(result["input_message_content"]["message_text"]) == []
