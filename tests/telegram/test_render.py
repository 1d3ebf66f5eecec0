"""The Telegram renderer: escaped HTML with Telegram's tags only, split within limits."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.constants import MessageLimit

from careerbot_chat import (
    Action,
    Bullets,
    Catalog,
    Divider,
    Fields,
    Paragraph,
    Reply,
    answer,
    parse,
)
from careerbot_telegram import TelegramRenderer, format_reply, render
from tests.telegram.html_check import telegram_html_problems, visible_text

LIMIT = MessageLimit.MAX_TEXT_LENGTH


def words_of(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def test_structure_becomes_bold_and_italic() -> None:
    """Title and field labels are bold, the footer italic, bullets get a bullet sign."""
    reply = Reply(
        "Title",
        (
            Paragraph("Para"),
            Fields((("Label", "value"), ("Why?", "because"))),
            Bullets(("one",), "List"),
        ),
        "Footer",
    )
    text = render(reply).chunks[0]
    assert text == (
        "<b>Title</b>\n\nPara\n\n<b>Label</b>: value\n<b>Why?</b> because"
        "\n\n<b>List</b>\n• one\n\n<i>Footer</i>"
    )


def test_content_and_user_text_is_escaped() -> None:
    """Markup in content or user text arrives as text, never as tags."""
    hostile = '<b>x</b> & <a href="javascript:alert(1)">y</a> </i> &amp;'
    reply = Reply(
        hostile,
        (Paragraph(hostile), Fields(((hostile, hostile),)), Bullets((hostile,), hostile)),
        hostile,
    )
    (text,) = render(reply).chunks
    assert telegram_html_problems(text) == []
    assert visible_text(text).count(hostile) == 7  # title, paragraph, field x2, list x2, footer


def test_long_reply_splits_between_blocks() -> None:
    """A reply over 4,096 characters becomes several messages, cut between blocks."""
    paragraphs = tuple(Paragraph(f"Block {n} " + "word " * 300) for n in range(6))
    rendered = render(Reply("Long", paragraphs))
    assert len(rendered.chunks) > 1
    for chunk in rendered.chunks:
        assert telegram_html_problems(chunk) == []
        assert chunk.rstrip().endswith("word") or chunk.endswith("</b>")
    assert sum(chunk.count("Block ") for chunk in rendered.chunks) == 6


def test_one_huge_block_splits_between_words_with_tags_closed() -> None:
    """A single block longer than a message is cut between words; each piece keeps its tags."""
    value = " ".join(f"w{n}&<" for n in range(3000))
    reply = Reply("T", (Fields((("Label", value),)),), "Footer " * 900)
    rendered = render(reply)
    assert len(rendered.chunks) >= 3
    for chunk in rendered.chunks:
        assert telegram_html_problems(chunk) == []
    seen = words_of(" ".join(visible_text(c) for c in rendered.chunks))
    assert [w for w in seen if w.startswith("w")] == [f"w{n}&<" for n in range(3000)]


def test_a_word_longer_than_a_message_is_the_only_mid_word_cut() -> None:
    """Even a 10,000-character word yields valid messages within the limit."""
    word = "&" * 10_000
    rendered = render(Reply("T", (Paragraph(word),)))
    for chunk in rendered.chunks:
        assert telegram_html_problems(chunk) == []
    assert len(rendered.chunks) == 13  # 50,000 characters once escaped
    assert "".join(visible_text(c) for c in rendered.chunks).replace("\n", "") == "T" + word


def test_keyboard_carries_each_action_command_as_callback_data() -> None:
    """Buttons run the action's canonical command; four buttons sit two by two."""
    actions = tuple(Action(f"L{n}", f"/salary l{n} mlops-engineer") for n in range(4))
    keyboard = render(Reply("T", actions=actions)).keyboard
    assert keyboard is not None
    rows = keyboard.inline_keyboard
    assert [len(row) for row in rows] == [2, 2]
    assert [b.callback_data for row in rows for b in row] == [a.command for a in actions]


def test_callback_data_over_64_bytes_is_left_out_and_reported() -> None:
    """A command over 64 bytes of UTF-8 cannot be callback data: that button is dropped."""
    fits = Action("ok", "/role " + "x" * 58)  # 64 bytes
    too_long = Action("long", "/role " + "é" * 30)  # 66 bytes
    rendered = render(Reply("T", actions=(fits, too_long)))
    assert rendered.keyboard is not None
    assert [b.text for row in rendered.keyboard.inline_keyboard for b in row] == ["ok"]
    assert rendered.dropped == (too_long,)


def test_divider_and_empty_reply_render_as_text() -> None:
    """A divider is a dash line; a reply with no text still renders a non-empty message."""
    assert "—" in render(Reply("T", (Divider(),))).chunks[0]
    assert render(Reply("")).chunks == ("…",)


def test_format_reply_prints_messages_then_keyboard(catalog: Catalog) -> None:
    """``careerbot ask --format telegram`` shows the HTML as sent, then the keyboard."""
    command = parse("/salary mlops")
    assert command is not None
    reply = answer(command, catalog)
    printed = format_reply(reply)
    html, keyboard = printed.split("\n--- keyboard ---\n")
    assert html == render(reply).chunks[0]
    assert "[Senior → /salary senior mlops-engineer]" in keyboard


def test_format_reply_separates_split_messages() -> None:
    """A split reply prints each message, separated by a marker line."""
    reply = Reply("Long", tuple(Paragraph("word " * 700) for _ in range(3)))
    printed = format_reply(reply)
    assert printed.split("\n--- next message ---\n") == list(render(reply).chunks)


@settings(max_examples=100, deadline=None)
@given(
    texts=st.lists(st.text(min_size=0, max_size=3000), min_size=1, max_size=6),
    limit=st.integers(64, LIMIT),
)
def test_splitting_keeps_every_word_within_any_limit(texts: list[str], limit: int) -> None:
    """For any text and limit, chunks are valid, within the limit, and lose no character."""
    reply = Reply("T", tuple(Bullets((t,), t[:20]) for t in texts))
    chunks = TelegramRenderer(limit=limit)(reply).chunks
    for chunk in chunks:
        assert len(chunk) <= limit
        assert telegram_html_problems(chunk) == []
    whole = TelegramRenderer(limit=10**9)(reply).chunks
    assert len(whole) == 1
    shown = "".join("".join(visible_text(c).split()) for c in chunks)
    assert shown == "".join(visible_text(whole[0]).split())


def test_unhashable_reply_still_renders() -> None:
    """A reply holding a list (not hashable, so not cacheable) renders like any other."""
    frozen = Reply("T", (Bullets(("a", "b")),))
    loose = Reply("T", (Bullets(["a", "b"]),))  # type: ignore[arg-type]
    assert render(loose) == render(frozen)
