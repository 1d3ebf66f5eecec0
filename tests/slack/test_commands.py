"""Slash commands end to end: signed HTTP in, the card as the HTTP response body."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from careerbot_chat import CareerBot, SQLiteStore, load_catalog
from careerbot_chat.adapter import Settings
from careerbot_slack import create_platform
from tests.fakes.slack_api import FakeSlackApi
from tests.servers import serve_asgi
from tests.slack import builders as b
from tests.slack.conftest import SlackClient, StartSlack

ROLE = load_catalog().roles[0]


def _texts(message: dict[str, object]) -> str:
    """Every string in a message, for searching."""
    return json.dumps(message, ensure_ascii=False)


def _action_values(message: dict[str, object]) -> list[str]:
    values = []
    for block in message["blocks"]:  # type: ignore[attr-defined]
        if block["type"] == "actions":
            values += [element["value"] for element in block["elements"]]
    return values


@pytest.mark.parametrize(
    ("command", "text", "title"),
    [
        ("/role", "mlops", ROLE.title),
        ("/salary", "senior mlops", "Senior pay"),
        ("/salary", "", "pay"),
        ("/pitfalls", "mlops", "interview pitfalls"),
        ("/skills", "mlops", "skills and toolchains"),
        ("/faq", "mlops", "common questions"),
        ("/roles", "", "Roles I know"),
        ("/careerbot", "salary senior", "Senior pay"),
        ("/careerbot", "", "What I can answer"),
        ("/careerbot", "roles", "Roles I know"),
    ],
)
async def test_command_answers_in_http_response(
    slack: SlackClient, command: str, text: str, title: str
) -> None:
    """Each command and the umbrella form answer with a private card in the HTTP body."""
    response = await slack.command(command, text)
    assert response.status_code == 200
    message = response.json()
    assert message["response_type"] == "ephemeral"
    assert message["blocks"][0]["type"] == "header"
    assert title in message["blocks"][0]["text"]["text"]
    assert message["text"].startswith(message["blocks"][0]["text"]["text"])
    assert slack.fake.responses == []
    assert slack.fake.to("chat.postMessage") == []


async def test_umbrella_equals_short_command(slack: SlackClient) -> None:
    """``/careerbot salary senior`` answers exactly what ``/salary senior`` answers."""
    short = await slack.command("/salary", "senior")
    umbrella = await slack.command("/careerbot", "salary senior")
    assert short.json() == umbrella.json()


async def test_umbrella_with_a_sentence_answers_it(slack: SlackClient) -> None:
    """``/careerbot`` followed by a question in words (Hinglish, short forms) answers the
    question, as a mention would, rather than listing the commands."""
    message = (await slack.command("/careerbot", "sr mlops ka ctc kitna hai")).json()
    assert message["blocks"][0]["text"]["text"].startswith(f"Senior {ROLE.title} pay")


async def test_private_card_offers_share(slack: SlackClient) -> None:
    """A private role card carries the card's buttons and "Share in channel"."""
    message = (await slack.command("/role", "mlops")).json()
    values = _action_values(message)
    assert f"/salary {ROLE.slug}" in values
    assert values[-1] == "/role mlops"
    share = message["blocks"][-1]["elements"][-1]
    assert share["action_id"] == "careerbot_share"


async def test_in_channel_setting_shares_answers(start_slack: StartSlack) -> None:
    """With SLACK_IN_CHANNEL the card goes to everyone and offers Pin instead of Share."""
    async with start_slack(slack_in_channel=True) as slack:
        message = (await slack.command("/role", "mlops")).json()
        refusal = (await slack.command("/careerbot", "pin mlops")).json()
    assert message["response_type"] == "in_channel"
    assert _action_values(message)[-1] == f"/pin {ROLE.slug}"
    assert "careerbot_share" not in _texts(message)
    assert refusal["response_type"] == "ephemeral"


async def test_not_found_stays_private_and_has_no_share(start_slack: StartSlack) -> None:
    """A miss is never shared: ephemeral even in in-channel mode, and no Share button."""
    async with start_slack(slack_in_channel=True) as slack:
        message = (await slack.command("/role", "astronaut")).json()
    assert message["response_type"] == "ephemeral"
    assert "careerbot_share" not in _texts(message)
    assert "careerbot_pin" not in _texts(message)


@pytest.mark.parametrize("hostile", ["<!channel>", "<!here> <@U123>", "<script>alert(1)</script>"])
async def test_user_text_is_escaped(slack: SlackClient, hostile: str) -> None:
    """Control characters typed by a member come back escaped, so nobody is pinged."""
    message = (await slack.command("/role", hostile)).json()
    shown = _texts(message)
    assert "<" not in shown
    assert ">" not in shown
    assert "&lt;" in shown


async def test_bad_signature_is_401(slack: SlackClient) -> None:
    """A request signed with the wrong secret is refused before any listener runs."""
    response = await slack.send(b.slash("/role", "mlops"), secret="not-the-secret")
    assert response.status_code == 401
    assert [c.method for c in slack.fake.calls] == ["auth.test"]  # at start, not per request


STALE = 6 * 60
"""Seconds: older than Slack's 5-minute window."""


@pytest.mark.parametrize(("secret", "age"), [("not-the-secret", 0), (b.SECRET, STALE)])
async def test_bolts_own_check_is_off(slack: SlackClient, secret: str, age: int) -> None:
    """Bolt runs with ``request_verification_enabled=False``: handed a wrongly signed or
    stale request directly, bypassing our route, it answers it. Our route is the check."""
    from slack_bolt.request.async_request import AsyncBoltRequest

    body = b.slash("/salary", "senior mlops")
    headers = {"content-type": "application/x-www-form-urlencoded"}
    headers |= b.sign(body, secret, int(time.time()) - age)
    answered = await slack.platform.app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
    assert answered.status == 200
    assert "Senior pay" in json.loads(answered.body)["blocks"][0]["text"]["text"]


@pytest.mark.parametrize(("secret", "age"), [("not-the-secret", 0), (b.SECRET, STALE)])
async def test_the_route_refuses_before_bolt_is_reached(
    slack: SlackClient, secret: str, age: int
) -> None:
    """A wrong signature or a stale timestamp gets our route's 401 (plain text; Bolt's
    own would be JSON) and never reaches Bolt: a middleware added to the app sees only
    the request that is signed right."""
    reached: list[str] = []

    # Bolt passes the next step by the name ``next``.
    async def spy(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> None:
        reached.append(str(body.get("type")))
        await next()

    slack.platform.app.use(spy)
    press = b.block_action("careerbot_run_0", "/role mlops", response_url=slack.fake.response_url())
    refused = await slack.send(press, secret=secret, timestamp=int(time.time()) - age)
    assert (refused.status_code, refused.text) == (401, "invalid request")
    assert reached == []
    assert (await slack.send(press)).status_code == 200
    assert reached == ["block_actions"]


async def test_no_auth_test_before_a_first_answer(
    fake_slack: FakeSlackApi, sqlite_store: SQLiteStore
) -> None:
    """Bolt's ``authorize`` is ours (the configured token): a platform that never learned
    its ids, whose auth.test would fail, answers its first command and its first mention
    without Bolt ever calling auth.test."""
    fake_slack.fail("auth.test", "invalid_auth", times=10)
    settings = Settings(
        _env_file=None,
        slack_bot_token=b.TOKEN,
        slack_signing_secret=b.SECRET,
        slack_api_base_url=f"{fake_slack.base}/api/",
    )
    bot = CareerBot(load_catalog(), sqlite_store)
    platform = create_platform(settings, bot)  # not started: nothing learned in the background
    try:
        app = Starlette(routes=list(platform.routes()))
        async with serve_asgi(app) as base, httpx.AsyncClient(base_url=base) as http:
            client = SlackClient(http, fake_slack, platform, bot)
            first = await client.command("/salary", "senior mlops")
            mention = await client.event(b.message_event("<@UCAREERBOT> role mlops"))
    finally:
        await platform.stop()
    assert first.status_code == 200
    assert "Senior pay" in first.json()["blocks"][0]["text"]["text"]
    assert mention.status_code == 200
    assert [c.method for c in fake_slack.calls] == ["chat.postMessage"]


async def test_only_post_is_routed(slack: SlackClient) -> None:
    """``GET /slack/events`` is not an endpoint."""
    response = await slack.http.get("/slack/events")
    assert response.status_code == 405


async def test_no_secret_in_responses_or_logs(
    slack: SlackClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Neither the bot token nor the signing secret appears in a response, call or log."""
    caplog.set_level(logging.DEBUG)
    seen = [(await slack.command("/role", "mlops")).text]
    seen.append((await slack.command("/careerbot", "pin mlops", user=b.ADMIN)).text)
    seen.append((await slack.send(b.slash("/role"), secret="wrong")).text)
    seen += [json.dumps(call.params) for call in slack.fake.calls]
    seen += [record.getMessage() for record in caplog.records]
    assert any("chat.postMessage" in line for line in seen)  # the logs were captured at all
    for text in seen:
        assert b.TOKEN not in text
        assert b.SECRET not in text
