"""A slash command's HTTP answer: the card's JSON, serialised once per question."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from careerbot_chat import Catalog, Reply, answer, load_catalog, parse
from careerbot_slack import Mode, SlackRenderer, render
from careerbot_slack._listeners import AnswerBodies
from tests.slack import builders as b
from tests.slack.conftest import SlackClient, StartSlack

CATALOG = load_catalog()


async def test_the_answer_is_the_rendered_card_as_json(slack: SlackClient) -> None:
    """200, application/json, and exactly the renderer's text and blocks for the card."""
    response = await slack.command("/salary", "senior mlops")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    command = parse("/salary senior mlops")
    assert command is not None
    card = render(answer(command, load_catalog()), Mode.EPHEMERAL)
    assert response.json() == {"response_type": "ephemeral", **card}


def _answer(text: str, catalog: Catalog = CATALOG, default_role: str | None = None) -> Reply:
    command = parse(text)
    assert command is not None
    return answer(command, catalog, default_role)


class CountingRenderer(SlackRenderer):
    """Counts the messages it renders."""

    renders = 0

    def __call__(self, reply: Reply, mode: Mode = Mode.EPHEMERAL) -> dict[str, Any]:
        self.renders += 1
        return super().__call__(reply, mode)


def test_a_body_is_built_once_per_question_and_reply() -> None:
    """Asked again with the same reply (or an equal one), the very same text comes back,
    rendered once; another reply under the same key is rendered anew, never mixed up."""
    renderer = CountingRenderer()
    bodies = AnswerBodies(renderer)
    key = (CATALOG.version, "/role mlops", None)
    reply = _answer("/role mlops")
    first = bodies.body(key, reply, Mode.EPHEMERAL, "ephemeral")
    assert json.loads(first) == {"response_type": "ephemeral", **render(reply, Mode.EPHEMERAL)}
    assert bodies.body(key, reply, Mode.EPHEMERAL, "ephemeral") is first
    assert bodies.body(key, replace(reply), Mode.EPHEMERAL, "ephemeral") is first
    assert renderer.renders == 1
    other = _answer("/help")
    anew = json.loads(bodies.body(key, other, Mode.EPHEMERAL, "ephemeral"))
    assert anew["text"] == render(other)["text"]
    assert renderer.renders == 2


def test_the_cache_keeps_only_its_size() -> None:
    """The least recently asked question is dropped when the cache is full."""
    bodies = AnswerBodies(SlackRenderer(), size=2)
    for text in ("/role mlops", "/help", "/roles"):
        bodies.body((CATALOG.version, text, None), _answer(text), Mode.EPHEMERAL, "ephemeral")
    assert list(bodies.cache) == [(CATALOG.version, t, None) for t in ("/help", "/roles")]


async def test_the_same_words_in_two_channels_get_each_channels_card(
    start_slack: StartSlack, two_roles: Catalog
) -> None:
    """``/salary senior`` where a moderator set a default role answers for that role; in
    another channel, asked in turn with the same words, it answers across all roles."""
    role = two_roles.roles[0]
    expected = {
        b.CHANNEL: render(_answer("/salary senior", two_roles, role.slug), Mode.EPHEMERAL),
        "C0ELSEWHERE": render(_answer("/salary senior", two_roles), Mode.EPHEMERAL),
    }
    assert expected[b.CHANNEL] != expected["C0ELSEWHERE"]
    async with start_slack(catalog=two_roles) as slack:
        setrole = await slack.command("/careerbot", f"setrole {role.slug}", user=b.ADMIN)
        assert setrole.status_code == 200
        for channel in (b.CHANNEL, "C0ELSEWHERE", b.CHANNEL, "C0ELSEWHERE"):
            shown = (await slack.command("/salary", "senior", channel=channel)).json()
            assert shown == {"response_type": "ephemeral", **expected[channel]}, channel
