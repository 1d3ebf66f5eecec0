"""The Block Kit renderer: Slack's limits, escaping, truncation and the CLI's JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careerbot_chat import (
    Action,
    Bullets,
    Divider,
    Fields,
    Paragraph,
    Reply,
    answer,
    load_catalog,
    parse,
)
from careerbot_slack import Mode, SlackRenderer, escape, format_reply, render
from careerbot_slack._render import share_command
from careerbot_slack._text import clip, split
from tests.slack.block_check import RAW_CONTROL, assert_valid
from tests.slack.conftest import SlackClient
from tests.strategies import METACHARACTERS, hostile_text

CATALOG = load_catalog()


def _commands() -> Iterator[str]:
    """Every command form for every role, plus the role-less ones."""
    yield from ("/roles", "/help", "/start", "/careerbot", "/nope", "/salary senior", "/faq")
    for role in CATALOG.roles:
        for name in ("role", "salary", "pitfalls", "skills", "faq"):
            yield f"/{name} {role.slug}"
        yield f"/salary 5 years {role.slug}"
        yield f"/faq {role.slug} devops"
        yield f"/salary principal {role.slug}"
        yield from (f"/salary {level.id} {role.slug}" for level in role.ladder)


@pytest.mark.parametrize("text", list(_commands()))
@pytest.mark.parametrize("mode", list(Mode))
def test_every_reply_passes_block_validation(text: str, mode: Mode) -> None:
    """Every command for every role renders to blocks slack_sdk accepts, within 50 blocks."""
    command = parse(text)
    assert command is not None
    assert_valid(render(answer(command, CATALOG), mode))


replies = st.builds(
    Reply,
    title=st.text(max_size=400),
    blocks=st.lists(
        st.one_of(
            st.builds(Paragraph, hostile_text),
            st.builds(
                Fields, st.lists(st.tuples(hostile_text, hostile_text), max_size=12).map(tuple)
            ),
            st.builds(
                Bullets, st.lists(hostile_text, max_size=30).map(tuple), st.none() | hostile_text
            ),
            st.just(Divider()),
        ),
        max_size=80,
    ).map(tuple),
    footer=st.none() | hostile_text,
    actions=st.lists(
        st.builds(Action, st.text(min_size=1, max_size=120), hostile_text), max_size=40
    ).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(reply=replies, mode=st.sampled_from(list(Mode)))
def test_any_reply_renders_within_limits(reply: Reply, mode: Mode) -> None:
    """Arbitrary replies of hostile text render without error, escaped and within limits."""
    assert_valid(SlackRenderer()(reply, mode))


def test_long_reply_is_cut_to_fifty_blocks_with_note() -> None:
    """A reply of 200 paragraphs keeps header, footer and buttons, and says it was cut."""
    reply = Reply(
        "Long",
        tuple(Paragraph(f"line {n}") for n in range(200)),
        "source",
        (Action("A", "/roles"),),
    )
    blocks = render(reply)["blocks"]
    assert len(blocks) == 50
    assert blocks[0]["type"] == "header"
    assert [block["type"] for block in blocks[-3:]] == ["context", "context", "actions"]
    assert blocks[-3]["elements"][0]["text"].startswith("…more than Slack shows")


def test_long_text_splits_on_word_boundaries() -> None:
    """A 10,000-character paragraph becomes several sections of ≤ 3000, split between words."""
    words = " ".join(f"word{n}" for n in range(1500))
    sections = [
        b for b in render(Reply("T", (Paragraph(words),)))["blocks"] if b["type"] == "section"
    ]
    assert len(sections) >= 4
    assert all(len(s["text"]["text"]) <= 3000 for s in sections)
    assert " ".join(s["text"]["text"] for s in sections) == words


def test_a_title_a_header_holds_is_a_header() -> None:
    """A title of up to 150 characters (escaped) is Slack's header block."""
    first = render(Reply("&" * 30))["blocks"][0]
    assert first == {"type": "header", "text": {"type": "plain_text", "text": "&amp;" * 30}}


def test_a_long_title_is_shown_whole_not_clipped() -> None:
    """An answer's first line longer than a header holds is a section with every word."""
    sentence = " ".join(f"word{i}" for i in range(60))  # about 400 characters
    blocks = render(Reply(sentence))["blocks"]
    assert blocks[0]["type"] == "section"
    assert blocks[0]["text"]["text"] == sentence
    assert not any(b["type"] == "header" for b in blocks)


@pytest.mark.parametrize("hostile", METACHARACTERS)
def test_escape_leaves_no_control_characters(hostile: str) -> None:
    """escape turns & < > into entities and nothing else."""
    escaped = escape(hostile)
    assert not RAW_CONTROL.search(escaped)
    assert escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == hostile


@pytest.mark.parametrize("limit", range(5, 16))
def test_clip_never_cuts_an_entity(limit: int) -> None:
    """Clipping escaped text never leaves half an ``&amp;``."""
    clipped = clip(escape("a&b<c>d&e&f&g"), limit)
    assert len(clipped) <= limit
    assert not RAW_CONTROL.search(clipped.removesuffix("…"))


def test_split_hard_cuts_a_single_long_word() -> None:
    """A word longer than the limit is cut, still without splitting an entity."""
    pieces = split(escape("&" * 20), 12)
    assert all(len(p) <= 12 and not RAW_CONTROL.search(p) for p in pieces)
    assert "".join(pieces) == escape("&" * 20)


@pytest.mark.parametrize(
    ("text", "shared"),
    [
        ("/role mlops", "/role mlops"),
        ("/salary 5 years mlops", "/salary 5 years mlops"),
        ("/faq mlops backend", "/faq mlops backend"),
        ("/salary senior", "/salary senior mlops-engineer"),
        ("/roles", "/roles"),
        ("/role astronaut", None),
        ("/salary 40 years mlops", None),
    ],
)
def test_share_repeats_exactly_what_was_asked(text: str, shared: str | None) -> None:
    """Share carries the command as asked (the member's words kept, the role the card
    answered for added when it was implied), and misses are not shared."""
    command = parse(text)
    assert command is not None
    assert share_command(answer(command, CATALOG)) == shared


async def test_format_reply_is_what_the_app_sends(slack: SlackClient) -> None:
    """``careerbot ask --format slack`` prints exactly the text and blocks the app answers."""
    sent = (await slack.command("/salary", "senior mlops")).json()
    command = parse("/salary senior mlops")
    assert command is not None
    printed = json.loads(format_reply(answer(command, CATALOG)))
    assert printed == {"text": sent["text"], "blocks": sent["blocks"]}


def test_salary_card_shows_its_chart_under_the_public_url() -> None:
    """With CAREERBOT_PUBLIC_URL the pay ladder carries an image block naming the bands."""
    reply = answer(parse("/salary mlops"), CATALOG)
    assert reply.picture is not None
    blocks = SlackRenderer(public_url="https://bot.example.org")(reply)["blocks"]
    (image,) = [block for block in blocks if block["type"] == "image"]
    assert image["image_url"] == f"https://bot.example.org/charts/{reply.picture.key}.png"
    assert "Senior ₹45–80 LPA" in image["alt_text"]
    assert blocks.index(image) < [b["type"] for b in blocks].index("context")


def test_no_image_block_without_a_public_url() -> None:
    """Without CAREERBOT_PUBLIC_URL, Slack could not fetch a chart: no image block."""
    reply = answer(parse("/salary mlops"), CATALOG)
    assert [b for b in render(reply)["blocks"] if b["type"] == "image"] == []
    assert [b for b in json.loads(format_reply(reply))["blocks"] if b["type"] == "image"] == []
