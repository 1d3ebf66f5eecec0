"""A slash command's HTTP answer: the card's JSON, serialised once per card and mode."""

from __future__ import annotations

import json

from careerbot_chat import answer, load_catalog, parse
from careerbot_slack import Mode, SlackRenderer, render
from tests.slack.conftest import SlackClient


async def test_the_answer_is_the_rendered_card_as_json(slack: SlackClient) -> None:
    """200, application/json, and exactly the renderer's text and blocks for the card."""
    response = await slack.command("/salary", "senior mlops")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    command = parse("/salary senior mlops")
    assert command is not None
    card = render(answer(command, load_catalog()), Mode.EPHEMERAL)
    assert response.json() == {"response_type": "ephemeral", **card}


def test_a_body_is_built_once_per_card_mode_and_response_type() -> None:
    """The same card asked again returns the very same text; another mode, another body."""
    renderer = SlackRenderer()
    command = parse("/role mlops")
    assert command is not None
    reply = answer(command, load_catalog())
    first = renderer.response_body(reply, Mode.EPHEMERAL, "ephemeral")
    assert renderer.response_body(reply, Mode.EPHEMERAL, "ephemeral") is first
    shared = renderer.response_body(reply, Mode.SHARED, "in_channel")
    assert json.loads(shared)["response_type"] == "in_channel"
    assert json.loads(shared)["blocks"] == renderer(reply, Mode.SHARED)["blocks"]
    assert json.loads(first)["blocks"] == renderer(reply, Mode.EPHEMERAL)["blocks"]
