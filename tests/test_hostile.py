"""Hostile input through every renderer: always valid, within limits, escaped and capped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerbot_chat import Catalog, answer, parse
from careerbot_chat.messages import ECHO_MAX
from tests.strategies import METACHARACTERS, hostile_text

careerbot_telegram = pytest.importorskip("careerbot_telegram")
careerbot_slack = pytest.importorskip("careerbot_slack")
from tests.telegram.html_check import telegram_html_problems  # noqa: E402

PINGS = ("<!channel>", "<!here>", "<!everyone>", "<@U123>")


def mrkdwn_texts(message: dict[str, Any]) -> Iterator[str]:
    """The fallback text and every mrkdwn text object in a Slack message."""
    yield message["text"]

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
                yield node["text"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    yield from walk(message.get("blocks", []))


def replies(catalog: Catalog, text: str) -> Iterator[Any]:
    for plain in (False, True):
        command = parse(text, plain=plain)
        if command is not None:
            yield answer(command, catalog)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile_text)
def test_telegram_html_always_valid(catalog: Catalog, text: str) -> None:
    """Every chunk is Telegram HTML with allowed tags only, ≤ 4,096 chars; buttons ≤ 64 bytes."""
    for reply in replies(catalog, text):
        rendered = careerbot_telegram.render(reply)
        assert rendered.chunks
        for chunk in rendered.chunks:
            assert telegram_html_problems(chunk) == []
        if rendered.keyboard is not None:
            for row in rendered.keyboard.inline_keyboard:
                for button in row:
                    assert len(button.callback_data.encode()) <= 64


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile_text, mode=st.sampled_from(list(careerbot_slack.Mode)))
def test_slack_blocks_always_valid_and_escaped(catalog: Catalog, text: str, mode: Any) -> None:
    """Slack messages validate, stay within 50 blocks and never carry a live ping."""
    for reply in replies(catalog, text):
        message = careerbot_slack.render(reply, mode)
        json.dumps(message)  # serialisable as sent
        assert 1 <= len(message["blocks"]) <= 50
        for piece in mrkdwn_texts(message):
            for ping in PINGS:
                assert ping not in piece


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(word=st.sampled_from(METACHARACTERS), filler=st.text(min_size=60, max_size=200))
def test_user_text_echoed_only_capped(catalog: Catalog, word: str, filler: str) -> None:
    """A long unknown role name is echoed back at most ECHO_MAX characters long."""
    query = "zz" + filler.replace("/", "")
    command = parse(f"/role {word} {query}")
    assert command is not None
    reply = answer(command, catalog)
    assert len(reply.query) <= ECHO_MAX
    plain_query = " ".join(query.split())
    if len(plain_query) > ECHO_MAX:
        for chunk in careerbot_telegram.render(reply).chunks:
            assert plain_query not in chunk


@pytest.mark.parametrize("role", ["mlops-engineer"])
@pytest.mark.parametrize(
    "command",
    [
        "/role",
        "/salary",
        "/salary senior",
        "/salary staff",
        "/pitfalls",
        "/skills",
        "/faq",
        "/roles",
        "/help",
        "/start",
    ],
)
def test_every_card_within_limits(catalog: Catalog, command: str, role: str) -> None:
    """Every command for every role: Telegram ≤ 4,096 per message, Slack ≤ 50 blocks."""
    parsed = parse(f"{command} {role}")
    assert parsed is not None
    reply = answer(parsed, catalog)
    for chunk in careerbot_telegram.render(reply).chunks:
        assert telegram_html_problems(chunk) == []
    for mode in careerbot_slack.Mode:
        assert len(careerbot_slack.render(reply, mode)["blocks"]) <= 50


@pytest.fixture(scope="module")
def big_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    from bench.generate import generate_catalog
    from careerbot_chat import load_catalog

    return load_catalog(generate_catalog(tmp_path_factory.mktemp("big"), 1000))


@pytest.mark.parametrize(
    "text",
    [
        "/roles",
        "/pitfalls",
        "/skills",
        "/faq devops",
        "/salary senior",
        "/salary 5y",
        "/role mlop",
        "/help",
        "/role",
    ],
)
def test_large_catalogue_answers_fit_one_message(big_catalog: Catalog, text: str) -> None:
    """With 1,000 roles, role-less answers stay one Telegram message and ≤ 50 Slack blocks."""
    command = parse(text)
    assert command is not None
    reply = answer(command, big_catalog)
    (chunk,) = careerbot_telegram.render(reply).chunks
    assert telegram_html_problems(chunk) == []
    assert len(careerbot_slack.render(reply, careerbot_slack.Mode.EPHEMERAL)["blocks"]) <= 50
