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
from tests.slack.block_check import assert_valid  # noqa: E402
from tests.telegram.html_check import telegram_html_problems  # noqa: E402


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
    """Slack messages pass slack_sdk's validation, stay within 50 blocks and escape every
    control character (so no ``<!channel>`` or ``<@U…>`` a member typed can ping)."""
    for reply in replies(catalog, text):
        message = careerbot_slack.render(reply, mode)
        json.dumps(message)  # serialisable as sent
        assert_valid(message)


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
