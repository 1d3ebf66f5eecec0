"""Telegram's lengths in Telegram's units: UTF-16 code units after entity parsing.

An emoji or a mathematical letter is one Python character but two UTF-16 code
units; a message of 4,096 of them is refused by Telegram as too long. Every chunk
the renderer makes fits, whatever the text, and together they lose nothing.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.constants import MessageLimit

from careerbot_chat import Bullets, Paragraph, Reply
from careerbot_telegram import TelegramPlatform, TelegramRenderer, render
from careerbot_telegram._api import send_chunks
from careerbot_telegram._chart import caption
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_spec import parsed_units
from tests.telegram.html_check import telegram_html_problems, visible_text

LIMIT = MessageLimit.MAX_TEXT_LENGTH
ASTRAL = ["😀", "👩‍💻", "🇮🇳", "𝐀", "𝔘", "𝟘", "𓀀", "🧑🏽‍🚀"]
"""Emoji (with joiners, flags and skin tones: several astral characters) and letters."""

astral_text = st.lists(
    st.one_of(
        st.sampled_from([*ASTRAL, " ", "\n", "&", "<", "a", "é"]),
        st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, exclude_categories=["Cs"]),
    ),
    max_size=2000,
).map("".join)


def units(chunk: str) -> int:
    return parsed_units(chunk, "HTML")


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(astral_text, min_size=1, max_size=4), limit=st.integers(64, LIMIT))
def test_every_chunk_fits_in_utf16_units_and_nothing_is_lost(texts: list[str], limit: int) -> None:
    """Astral text in every block: each chunk within ``limit`` units, every character kept."""
    reply = Reply("T😀", tuple(Bullets((t,), t[:20]) for t in texts), footer="𝐀 source")
    chunks = TelegramRenderer(limit=limit)(reply).chunks
    for chunk in chunks:
        assert units(chunk) <= limit
        assert telegram_html_problems(chunk) == []
    whole = TelegramRenderer(limit=10**9)(reply).chunks
    shown = "".join("".join(visible_text(c).split()) for c in chunks)
    assert shown == "".join(visible_text(whole[0]).split())


def test_a_message_of_emoji_is_split_by_its_units() -> None:
    """3,000 emoji (7,000 units with spaces, 4,000 characters): split, every part fits."""
    words = ["😀😀😀"] * 1000
    chunks = render(Reply("Emoji", (Paragraph(" ".join(words)),))).chunks
    assert all(units(chunk) <= LIMIT for chunk in chunks)
    assert " ".join(visible_text(c) for c in chunks).split() == ["Emoji", *words]


def test_a_caption_of_astral_letters_fits_its_1024_units() -> None:
    """A chart's caption with a long astral source line falls back to its title."""
    reply = Reply("𝐏𝐚𝐲 " * 10, (), footer="🇮🇳 " * 300)
    assert parsed_units(caption(reply), "HTML") <= MessageLimit.CAPTION_LENGTH


async def test_long_emoji_answers_reach_the_bot_api(
    platform: TelegramPlatform, fake: FakeTelegram
) -> None:
    """Over HTTP, the fake judging lengths as Telegram does: every chunk accepted, all of it."""
    words = " ".join(["𝐀😀"] * 2500)
    rendered = render(Reply("Emoji", (Paragraph(words),)))
    await send_chunks(platform.application.bot, 4242, rendered)
    assert fake.refused == []
    texts = [call.params["text"] for call in fake.delivered("sendMessage")]
    assert len(texts) == len(rendered.chunks) >= 2
    assert " ".join(visible_text(t) for t in texts).split() == ["Emoji", *words.split()]
