"""A conversation, not a string of lookups: what a member said earlier carries over."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from careerbot_chat import SQLiteStore
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.builders import text_update
from tests.telegram.html_check import visible_text

Process = Callable[[dict[str, Any]], Awaitable[None]]


async def _said(fake: FakeTelegram, process: Process, text: str) -> list[str]:
    fake.reset()
    await process(text_update(text))
    (sent,) = fake.sent_texts()
    return [line for line in visible_text(sent).splitlines() if line.strip()]


async def test_a_member_describing_themselves_gets_their_band(
    fake: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """ "I'm a backend dev" → "4 yrs" → "what would I get if I switch?": the band for 4
    years, first; the member's years live in the store, not in the process."""
    await _said(fake, process, "I'm a backend dev")
    await _said(fake, process, "4 yrs")
    lines = await _said(fake, process, "what would I get if I switch?")
    assert "Mid-level" in lines[0]
    assert "₹22–45 LPA" in lines[0]
    remembered = await sqlite_store.get_context("telegram", f"member:{_chat_id()}:{_chat_id()}")
    assert remembered is not None
    assert "years=4" in remembered


async def test_a_stated_figure_is_placed_against_the_band_later(
    fake: FakeTelegram, process: Process
) -> None:
    """ "3 yoe" → "getting 20 LPA, low?": below the Mid-level band, naming it."""
    await _said(fake, process, "3 yoe in mlops")
    lines = await _said(fake, process, "getting 20 LPA, low?")
    assert lines[0].startswith("Your ₹20 LPA is below the Mid-level band")
    assert "₹22–45 LPA" in lines[0]


async def test_thanks_mid_conversation_is_one_short_line(
    fake: FakeTelegram, process: Process
) -> None:
    """Thanks after an answer: one short line, no card and no figures."""
    await _said(fake, process, "senior mlops salary")
    lines = await _said(fake, process, "thanks bhai")
    assert len(lines) == 1
    assert "₹" not in lines[0]


def _chat_id() -> str:
    from tests.telegram.builders import MEMBER_ID

    return str(MEMBER_ID)
