"""Malformed, forged and abandoned requests: a 4xx and at most one short log line each.

Every case runs against the whole `careerbot serve` process over real HTTP, and checks
both the status and what the server wrote to its log for that request: no traceback,
at most one line, never the request body or a ``response_url``.
"""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest

from bench.load import SLACK_SECRET, WEBHOOK_SECRET
from tests.server.stack import Stack
from tests.slack import builders as slack_builders
from tests.telegram import builders as tg_builders

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MARK = "hostile-marker-7f3a"
"""Put in every hostile body: if it reaches the log, a body was logged."""
RESPONSE_URL = "https://hooks.slack.com/commands/T0CAREER/1234/secret-response-path"
DEEP = "[" * 20_000 + "]" * 20_000


@pytest.fixture
def stack(stack_for_test: Stack) -> Stack:
    """One server for the module: every case here leaves it as it found it."""
    return stack_for_test


def slack_json_bodies() -> list[str]:
    return ["[1]", '"x"', "null", DEEP, f'["{MARK}"]', f'"{MARK}\\n{MARK}"']


def slack_form_bodies() -> list[str]:
    return [
        urlencode({"payload": "[1]"}),
        urlencode({"payload": "null"}),
        urlencode({"payload": json.dumps(MARK)}),
        urlencode({"payload": DEEP}),
    ]


def interactivity(action_id: str, response_url: str, **changes: object) -> str:
    """A block_actions payload for ``action_id`` with some fields broken."""
    form = dict(parse_qsl(slack_builders.block_action(action_id, MARK, response_url=response_url)))
    payload = {**json.loads(form["payload"]), **changes}
    return urlencode({"payload": json.dumps(payload)})


SETTLED = "/careerbot-log-settled"
"""A slash command nothing handles: answered 200 with one INFO line naming it."""


class LogWatch:
    """The server log written since this watch began (until ``settle``, once called)."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.start = len(stack.log())
        self.end: int | None = None

    def new(self) -> str:
        return self.stack.log()[self.start : self.end]

    def lines(self) -> list[str]:
        return [line for line in self.new().splitlines() if line.strip()]

    async def wait_for(self, text: str, within: float = 10) -> None:
        """Until ``text`` is in the log written since the watch began."""
        async with asyncio.timeout(within):
            while text not in self.stack.log()[self.start :]:  # noqa: ASYNC110 - a file
                await asyncio.sleep(0.01)

    async def settle(self) -> None:
        """End the watch once the server has logged all it will for what came before.

        The server writes its log in order, on a thread of its own: a request sent now
        that logs one line of its own (``SETTLED``, signed, handled by nothing) is
        written after every line of the requests that were answered before it. Its
        line ends the watch, so a case that logs nothing is seen to log nothing at once,
        and a line a case logs late does not land in the next case's watch.
        """
        body = slack_builders.slash(SETTLED, "", response_url=self.stack.slack.response_url())
        headers = {**slack_builders.sign(body, secret=SLACK_SECRET), "Content-Type": FORM}
        async with httpx.AsyncClient(timeout=10) as client:
            response = await post(client, f"{self.stack.url}/slack/events", body, headers)
        assert (response.status_code, response.text) == (200, "")
        await self.wait_for(SETTLED)
        text = self.stack.log()
        self.end = max(self.start, text.rfind("\n", 0, text.index(SETTLED, self.start)) + 1)


async def assert_quiet(watch: LogWatch, case: str, *, at_most: int = 1) -> None:
    """No traceback, at most ``at_most`` line(s), no body or response URL in the log
    (what the server logged for the requests since ``watch`` began: ``settle``)."""
    await watch.settle()
    text = watch.new()
    lines = watch.lines()
    assert "Traceback" not in text, f"{case}: {text[:2000]}"
    assert len(lines) <= at_most, f"{case}: {len(lines)} lines: {text[:2000]}"
    assert MARK not in text, f"{case}: the body reached the log: {text[:2000]}"
    assert "hooks.slack.com" not in text, f"{case}: a response_url reached the log"
    for line in lines:
        assert len(line) <= 1300, f"{case}: a {len(line)}-character log line"


async def post(
    client: httpx.AsyncClient, url: str, body: str | bytes, headers: dict[str, str]
) -> httpx.Response:
    return await client.post(url, content=body, headers=headers)


async def test_slack_unsigned_garbage_is_refused_quietly(stack: Stack) -> None:
    """JSON and form bodies of the wrong shape, unsigned: 401, no traceback, no body logged."""
    cases = [(body, JSON) for body in slack_json_bodies()]
    cases += [(body, FORM) for body in slack_form_bodies()]
    async with httpx.AsyncClient(timeout=10) as client:
        for body, content_type in cases:
            watch = LogWatch(stack)
            response = await post(
                client, f"{stack.url}/slack/events", body, {"Content-Type": content_type}
            )
            assert response.status_code == 401, (body[:40], response.status_code)
            await assert_quiet(watch, body[:40])
        assert (await client.get(f"{stack.url}/healthz")).status_code == 200


async def test_slack_signed_garbage_is_a_400(stack: Stack) -> None:
    """Correctly signed bodies that are not Slack payloads: 400, quietly."""
    cases = [(body, JSON) for body in slack_json_bodies()]
    cases += [(body, FORM) for body in slack_form_bodies()]
    async with httpx.AsyncClient(timeout=10) as client:
        for body, content_type in cases:
            watch = LogWatch(stack)
            headers = {
                **slack_builders.sign(body, secret=SLACK_SECRET),
                "Content-Type": content_type,
            }
            response = await post(client, f"{stack.url}/slack/events", body, headers)
            assert response.status_code == 400, (body[:40], response.status_code)
            await assert_quiet(watch, body[:40])


@pytest.mark.parametrize("timestamp", ["abc", "", "1e9", "-1", "99999999999999999999999"])
async def test_slack_bad_timestamp_header(stack: Stack, timestamp: str) -> None:
    """A timestamp header that is not a number: 401 and at most one line."""
    body = slack_builders.slash("/role", MARK, response_url=RESPONSE_URL)
    headers = {
        **slack_builders.sign(body, secret=SLACK_SECRET),
        "X-Slack-Request-Timestamp": timestamp,
        "Content-Type": FORM,
    }
    watch = LogWatch(stack)
    async with httpx.AsyncClient(timeout=10) as client:
        response = await post(client, f"{stack.url}/slack/events", body, headers)
    assert response.status_code == 401
    await assert_quiet(watch, timestamp)


async def test_failed_verification_logs_one_capped_escaped_line(stack: Stack) -> None:
    """A forged signature or a genuine one on clock skew: 401; the log keeps no body,
    no response_url, no forged line (raw newlines), and nothing near a mebibyte."""
    forged_line = f'x\n{{"level": "ERROR", "message": "{MARK} forged"}}\n'
    big = slack_builders.slash("/role", forged_line + "y" * 900_000, response_url=RESPONSE_URL)
    skewed = slack_builders.slash("/role", "mlops", response_url=RESPONSE_URL)
    cases = {
        "wrong secret": (big, slack_builders.sign(big, secret="not-the-secret")),
        "no signature": (big, {}),
        "clock skew": (
            skewed,
            slack_builders.sign(skewed, secret=SLACK_SECRET, timestamp=int(time.time()) - 600),
        ),
    }
    async with httpx.AsyncClient(timeout=10) as client:
        for case, (body, signature) in cases.items():
            watch = LogWatch(stack)
            headers = {**signature, "Content-Type": FORM}
            response = await post(client, f"{stack.url}/slack/events", body, headers)
            assert response.status_code == 401, case
            await assert_quiet(watch, case)
            for line in watch.lines():
                json.loads(line)  # every line is still one whole JSON record


@pytest.mark.parametrize(
    "changes",
    [
        {"actions": None},
        {"actions": "x"},
        {"actions": [None]},
        {"user": "U0MEMBER"},
        {"user": None},
        {"container": "x"},
        {"channel": 7},
        {"type": None},
    ],
    ids=lambda changes: "-".join(f"{k}={v!r}" for k, v in changes.items()),
)
@pytest.mark.parametrize("action_id", ["careerbot_run_0", "careerbot_share", "careerbot_pin"])
async def test_slack_signed_broken_interactivity(
    stack: Stack, changes: dict[str, object], action_id: str
) -> None:
    """Signed button payloads with wrong types: a 4xx or a quiet 200, never a 500."""
    body = interactivity(action_id, stack.slack.response_url(), **changes)
    headers = {**slack_builders.sign(body, secret=SLACK_SECRET), "Content-Type": FORM}
    watch = LogWatch(stack)
    async with httpx.AsyncClient(timeout=10) as client:
        response = await post(client, f"{stack.url}/slack/events", body, headers)
        assert response.status_code < 500, response.text
        assert (await client.get(f"{stack.url}/healthz")).status_code == 200
    await assert_quiet(watch, str(changes))
    assert stack.slack.to("chat.postMessage") == []


def telegram_bodies() -> dict[str, bytes]:
    date_overflow = tg_builders.text_update(f"/role {MARK}")
    date_overflow["message"]["date"] = 1e20
    negative = tg_builders.text_update(f"/role {MARK}")
    negative["message"]["date"] = -1e20
    return {
        "deep list": ('{"update_id": 1, "x": ' + DEEP + "}").encode(),
        "deep object": (
            '{"update_id": 2, "message": ' + '{"a": ' * 20_000 + "1" + "}" * 20_001
        ).encode(),
        "date 1e20": json.dumps(date_overflow).encode(),
        "date -1e20": json.dumps(negative).encode(),
        "NaN": b'{"update_id": NaN}',
        "huge int": b'{"update_id": 1' + b"0" * 5000 + b"}",
    }


async def test_telegram_hostile_updates_with_the_secret(stack: Stack) -> None:
    """With the secret: deep nesting, dates past year 9999, NaN, huge numbers: 400, quietly."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": JSON}
    async with httpx.AsyncClient(timeout=10) as client:
        for case, body in telegram_bodies().items():
            watch = LogWatch(stack)
            response = await post(client, f"{stack.url}/telegram/webhook", body, headers)
            assert response.status_code == 400, (case, response.status_code)
            await assert_quiet(watch, case)
        assert (await client.get(f"{stack.url}/healthz")).status_code == 200
    assert stack.telegram.called("sendMessage") == []


async def hang_up_mid_body(url: str, path: str, headers: dict[str, str]) -> None:
    """Send the headers and part of a body, then close the connection."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Length: 5000"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + b'{"update_id": 1, "mess')
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    del reader


async def rejected(client: httpx.AsyncClient, stack: Stack, reason: str) -> float:
    """The server's count of requests rejected for ``reason`` (both routes)."""
    text = (await client.get(f"{stack.url}/metrics")).text
    total = 0.0
    for line in text.splitlines():
        if line.startswith("careerbot_http_rejected_total{") and f'reason="{reason}"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


async def test_client_hanging_up_mid_body(stack: Stack) -> None:
    """A client that closes the connection mid-body: counted, no traceback, no ERROR line."""
    routes = {
        "/telegram/webhook": {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        "/slack/events": {"Content-Type": FORM},
    }
    async with httpx.AsyncClient(timeout=10) as client:
        before = await rejected(client, stack, "client_gone")
        watch = LogWatch(stack)
        for path, headers in routes.items():
            await hang_up_mid_body(stack.url, path, headers)
        deadline = time.monotonic() + 10
        while await rejected(client, stack, "client_gone") < before + 2:
            assert time.monotonic() < deadline, watch.new()[:3000]
            await asyncio.sleep(0.02)
        assert (await client.get(f"{stack.url}/healthz")).status_code == 200
    await assert_quiet(watch, "hang up", at_most=0)


def without(body: str, key: str) -> str:
    """``body`` (a button's form) with ``key`` taken out of its payload."""
    payload = json.loads(dict(parse_qsl(body))["payload"])
    payload.pop(key, None)
    if key == "action_id":
        for action in payload["actions"]:
            action.pop("action_id")
    return urlencode({"payload": json.dumps(payload)})


async def send_signed(
    client: httpx.AsyncClient, stack: Stack, body: str, content_type: str = FORM
) -> httpx.Response:
    headers = {**slack_builders.sign(body, secret=SLACK_SECRET), "Content-Type": content_type}
    return await post(client, f"{stack.url}/slack/events", body, headers)


@pytest.mark.parametrize("action_id", ["careerbot_run_0", "careerbot_share", "careerbot_pin"])
async def test_slack_signed_action_without_action_id_is_a_400(stack: Stack, action_id: str) -> None:
    """An action with no ``action_id``: 400 and one line, not Bolt's 500 and traceback."""
    body = without(interactivity(action_id, stack.slack.response_url()), "action_id")
    watch = LogWatch(stack)
    async with httpx.AsyncClient(timeout=10) as client:
        response = await send_signed(client, stack, body)
    assert response.status_code == 400, response.text
    await assert_quiet(watch, action_id)


@pytest.mark.parametrize("action_id", ["careerbot_run_0", "careerbot_share", "careerbot_pin"])
async def test_slack_signed_action_without_response_url(stack: Stack, action_id: str) -> None:
    """``block_actions`` with no ``response_url``: a quiet 200 and at most one line (no
    500, no "Task exception was never retrieved")."""
    body = without(interactivity(action_id, stack.slack.response_url()), "response_url")
    watch = LogWatch(stack)
    async with httpx.AsyncClient(timeout=10) as client:
        response = await send_signed(client, stack, body)
    assert response.status_code == 200, response.text
    await assert_quiet(watch, action_id)
    assert "never retrieved" not in watch.new()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://attacker.example/response/x",
        "http://hooks.slack.com/commands/1",
        "https://hooks.slack.com.attacker.example/x",
        "https://user@hooks.slack.com@127.0.0.1/x",
        "gopher://127.0.0.1/x",
    ],
)
@pytest.mark.parametrize("action_id", ["careerbot_run_0", "careerbot_share"])
async def test_slack_response_url_off_slack_is_refused(
    stack: Stack, url: str, action_id: str
) -> None:
    """A ``response_url`` not https on a Slack host (nor on SLACK_API_BASE_URL's host):
    400 without a request to it, and the URL is not logged."""
    body = interactivity(action_id, url)
    watch = LogWatch(stack)
    async with httpx.AsyncClient(timeout=10) as client:
        response = await send_signed(client, stack, body)
        slash = slack_builders.slash("/role", "", response_url=url)
        command = await send_signed(client, stack, slash)
    assert (response.status_code, command.status_code) == (400, 400), response.text
    await assert_quiet(watch, url, at_most=2)
    assert url not in watch.new()
    assert stack.slack.responses == []
    assert stack.slack.to("chat.postMessage") == []


async def test_slack_failed_response_url_is_one_line_without_the_url(stack: Stack) -> None:
    """A ``response_url`` on the allowed host that cannot be reached: the button answers
    200, one WARNING line, the URL never in the log (slack_sdk's retry note wrote it at
    INFO), and the failure counted as an API error."""
    dead = stack.slack.base.rsplit(":", 1)[0] + ":9/response/dead-path-6c1e"
    action = {"action_id": "careerbot_run_0", "block_id": "b", "type": "button", "value": "/roles"}
    body = interactivity("careerbot_run_0", dead, actions=[action])
    watch = LogWatch(stack)
    async with httpx.AsyncClient(timeout=10) as client:
        response = await send_signed(client, stack, body)
        metrics = (await client.get(f"{stack.url}/metrics")).text
    assert response.status_code == 200, response.text
    await watch.wait_for("posting to the response_url failed")
    await assert_quiet(watch, "dead response_url", at_most=2)  # the request's own line, and this
    assert "posting to the response_url failed" in watch.new()
    assert "dead-path-6c1e" not in watch.new()
    assert 'method="response_url"' in metrics


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("hello=world", FORM), ('{"a": 1}', JSON), (urlencode({"payload": '{"a": 1}'}), FORM)],
)
async def test_slack_signed_non_slack_bodies_are_a_400(
    stack: Stack, body: str, content_type: str
) -> None:
    """Signed bodies that are neither a slash command nor a typed Slack payload: 400
    (the README's word), not Bolt's 404 and its "[Suggestion]" hint."""
    watch = LogWatch(stack)
    async with httpx.AsyncClient(timeout=10) as client:
        response = await send_signed(client, stack, body, content_type)
    assert response.status_code == 400, response.text
    await assert_quiet(watch, body)


async def test_slack_payload_nothing_handles_is_an_empty_200(stack: Stack) -> None:
    """A Slack payload no listener takes (a global shortcut, an unsubscribed event, a
    slash command that is not ours): an empty 200 and one short line, without Bolt's
    developer hint ("[Suggestion] … @app.command")."""
    shortcut = urlencode(
        {"payload": json.dumps({"type": "shortcut", "callback_id": "x", "trigger_id": "1.2"})}
    )
    event = json.dumps(
        {"type": "event_callback", "event_id": "Ev0NOBODY", "event": {"type": "reaction_added"}}
    )
    ssl_check = urlencode({"ssl_check": "1", "token": "deprecated-verification-token"})
    async with httpx.AsyncClient(timeout=10) as client:
        checked = await send_signed(client, stack, ssl_check)
        assert checked.status_code == 200, "Slack's certificate check is answered"
        foo = slack_builders.slash("/foo", "bar", response_url=stack.slack.response_url())
        for body, content_type in ((shortcut, FORM), (event, JSON), (foo, FORM)):
            watch = LogWatch(stack)
            response = await send_signed(client, stack, body, content_type)
            assert (response.status_code, response.text) == (200, ""), body
            await assert_quiet(watch, body)
            assert "Suggestion" not in watch.new()


async def pinned_cards(client: httpx.AsyncClient, stack: Stack) -> float:
    text = (await client.get(f"{stack.url}/metrics")).text
    (line,) = [line for line in text.splitlines() if line.startswith("careerbot_pinned_cards ")]
    return float(line.split()[-1])


async def test_the_pinned_cards_gauge_follows_pin_and_unpin(stack: Stack) -> None:
    """A moderator's pin and unpin over HTTP move ``careerbot_pinned_cards`` at once
    (it was set only at start: 0 while the database held pins)."""
    stack.slack.add_user(slack_builders.ADMIN, admin=True)
    async with httpx.AsyncClient(timeout=10) as client:
        before = await pinned_cards(client, stack)
        for text, expected in (("pin mlops", before + 1), ("unpin", before)):
            body = slack_builders.slash(
                "/careerbot",
                text,
                user=slack_builders.ADMIN,
                response_url=stack.slack.response_url(),
            )
            response = await send_signed(client, stack, body)
            assert response.status_code == 200, response.text
            assert await pinned_cards(client, stack) == expected, text
