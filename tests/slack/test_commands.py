"""Slash commands end to end: signed HTTP in, the card as the HTTP response body."""

from __future__ import annotations

import json
import logging
import time

import pytest

from careerbot_chat import load_catalog
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
    assert message["blocks"][0]["text"]["text"].startswith(f"{ROLE.title} · Senior pay")


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


@pytest.mark.parametrize(
    ("secret", "age", "status"),
    [(b.SECRET, 0, 200), ("not-the-secret", 0, 401), (b.SECRET, 6 * 60, 401)],
)
async def test_bolt_checks_members_commands(
    slack: SlackClient, secret: str, age: int, status: int
) -> None:
    """Members' commands are answered in Bolt's middleware chain, after Bolt's own
    signature and timestamp checks: with our route's check bypassed, Bolt alone still
    refuses a wrong signature or a stale timestamp, and nothing is answered or counted."""
    from slack_bolt.request.async_request import AsyncBoltRequest

    body = b.slash("/salary", "senior mlops")
    headers = {"content-type": "application/x-www-form-urlencoded"}
    headers |= b.sign(body, secret, int(time.time()) - age)
    answered = await slack.platform.app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
    assert answered.status == status
    if status == 200:
        assert "Senior pay" in json.loads(answered.body)["blocks"][0]["text"]["text"]
    else:
        assert "blocks" not in answered.body
        assert not slack.bot.usage._pending


async def test_bolt_checks_with_the_routes_verifier(slack: SlackClient) -> None:
    """Bolt's signature check is handed the verifier our route checks with first."""
    from slack_bolt.middleware.request_verification.async_request_verification import (
        AsyncRequestVerification,
    )

    app = slack.platform.app
    checks = [m for m in app._async_middleware_list if isinstance(m, AsyncRequestVerification)]
    assert [check.verifier for check in checks] == [slack.platform.verifier]


def test_a_signature_is_worked_out_once_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second check of the same request (bytes from our route, text from Bolt) reuses
    the HMAC; another body or timestamp gets its own; the comparison always runs."""
    from slack_sdk.signature import SignatureVerifier

    from careerbot_slack._inbound import OnceVerifier

    worked_out: list[str] = []
    original = SignatureVerifier.generate_signature

    def counted(self: SignatureVerifier, *, timestamp: str, body: str | bytes) -> str | None:
        worked_out.append(timestamp)
        return original(self, timestamp=timestamp, body=body)

    monkeypatch.setattr(SignatureVerifier, "generate_signature", counted)
    verifier = OnceVerifier(b.SECRET)
    body = b.slash("/role", "mlops")
    signed = b.sign(body)
    ts, signature = signed["X-Slack-Request-Timestamp"], signed["X-Slack-Signature"]
    assert verifier.is_valid(body.encode(), ts, signature)
    assert verifier.is_valid(body, ts, signature)
    assert len(worked_out) == 1
    assert not verifier.is_valid(body, ts, "v0=" + "0" * 64)
    assert not verifier.is_valid(f"{body}&text=staff", ts, signature)
    assert not verifier.is_valid(body, str(int(ts) - 1), signature)
    assert len(worked_out) == 3


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
