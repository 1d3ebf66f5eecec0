"""Replays: a signed moderator slash command runs once, on one replica or across two."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from careerbot_chat import CareerBot, Settings, Store, load_catalog, messages, open_store
from careerbot_slack import _words as words
from careerbot_slack import create_platform
from tests.conftest import POSTGRES_URL, _postgres_reachable, _postgres_store
from tests.fakes.slack_api import FakeSlackApi
from tests.servers import serve_asgi
from tests.slack import builders as b
from tests.slack.conftest import FORM, SlackClient

ROLE = load_catalog().roles[0]


def signed_pin(timestamp: int | None = None) -> tuple[str, dict[str, str]]:
    body = b.slash("/careerbot", f"pin {ROLE.slug}", user=b.ADMIN)
    return body, {**b.sign(body, timestamp=timestamp), "Content-Type": FORM}


async def test_replayed_pin_runs_once(slack: SlackClient) -> None:
    """The same signed /careerbot pin sent twice pins once; the copy is told so."""
    body, headers = signed_pin()
    first = await slack.http.post("/slack/events", content=body, headers=headers)
    again = await slack.http.post("/slack/events", content=body, headers=headers)
    assert first.json()["text"] == messages.PINNED.format(role=ROLE.title)
    assert again.status_code == 200
    assert again.json()["text"] == words.ALREADY_RUN
    assert len(slack.fake.to("pins.add")) == 1
    assert len(await slack.bot.store.pins("slack", b.CHANNEL)) == 1  # type: ignore[union-attr]


async def test_a_new_request_runs_again(slack: SlackClient) -> None:
    """A second, separately signed pin is a new request and runs."""
    for timestamp in (int(time.time()) - 1, int(time.time())):
        body, headers = signed_pin(timestamp)
        response = await slack.http.post("/slack/events", content=body, headers=headers)
        assert response.json()["text"] == messages.PINNED.format(role=ROLE.title)
    assert len(slack.fake.to("pins.add")) == 2


async def test_member_commands_are_not_remembered(slack: SlackClient) -> None:
    """Member cards cost no store write: the same signed /role answers twice."""
    body = b.slash("/role", ROLE.slug)
    headers = {**b.sign(body), "Content-Type": FORM}
    for _ in range(2):
        response = await slack.http.post("/slack/events", content=body, headers=headers)
        assert response.json()["text"] != words.ALREADY_RUN
    assert await slack.bot.store.claim_update("probe", ttl=60)  # type: ignore[union-attr]


@contextlib.asynccontextmanager
async def replica(fake: FakeSlackApi, store: Store) -> AsyncIterator[httpx.AsyncClient]:
    """One `careerbot serve` replica's Slack route, on its own connection to ``store``."""
    settings = Settings(
        _env_file=None,
        slack_bot_token=b.TOKEN,
        slack_signing_secret=b.SECRET,
        slack_api_base_url=f"{fake.base}/api/",
    )
    await store.open()
    platform = create_platform(settings, CareerBot(load_catalog(), store))
    try:
        app = Starlette(routes=list(platform.routes()))
        async with serve_asgi(app) as base, httpx.AsyncClient(base_url=base) as http:
            yield http
    finally:
        await store.close()


@pytest.mark.postgres
async def test_replay_to_another_replica_runs_once(fake_slack: FakeSlackApi) -> None:
    """Two replicas on one PostgreSQL: a request replayed to the other one pins once."""
    reason = _postgres_reachable()
    if reason is not None:
        pytest.skip(reason)
    shared = await _postgres_store()
    other = open_store(POSTGRES_URL)
    body, headers = signed_pin()
    async with replica(fake_slack, shared) as first, replica(fake_slack, other) as second:
        answers = [
            (await http.post("/slack/events", content=body, headers=headers)).json()["text"]
            for http in (first, second)
        ]
    assert answers == [messages.PINNED.format(role=ROLE.title), words.ALREADY_RUN]
    assert len(fake_slack.to("pins.add")) == 1


def signed_pin_button(
    fake: FakeSlackApi, action_id: str = "careerbot_pin"
) -> tuple[str, dict[str, str]]:
    body = b.block_action(
        action_id,
        f"/pin {ROLE.slug}",
        response_url=fake.response_url(),
        user=b.ADMIN,
        ephemeral=False,
    )
    return body, {**b.sign(body), "Content-Type": FORM}


@pytest.mark.parametrize("action_id", ["careerbot_pin", "careerbot_run_0"])
async def test_replayed_pin_button_runs_once(slack: SlackClient, action_id: str) -> None:
    """The same signed Pin press sent three times posts, pins and records once; the
    copies are told it already ran (a run button carrying /pin too)."""
    body, headers = signed_pin_button(slack.fake, action_id)
    for _ in range(3):
        response = await slack.http.post("/slack/events", content=body, headers=headers)
        assert response.status_code == 200
    told = [call.params.get("text") for call in await slack.fake.wait_for_responses(3)]
    assert told.count(words.ALREADY_RUN) == 2
    assert len(slack.fake.to("chat.postMessage")) == 1
    assert len(slack.fake.to("pins.add")) == 1
    assert len(await slack.bot.store.pins("slack", b.CHANNEL)) == 1  # type: ignore[union-attr]


@pytest.mark.postgres
async def test_pin_button_replayed_to_another_replica_runs_once(fake_slack: FakeSlackApi) -> None:
    """Two replicas on one PostgreSQL: a Pin press replayed to the other one pins once."""
    reason = _postgres_reachable()
    if reason is not None:
        pytest.skip(reason)
    shared = await _postgres_store()
    other = open_store(POSTGRES_URL)
    body, headers = signed_pin_button(fake_slack)
    async with replica(fake_slack, shared) as first, replica(fake_slack, other) as second:
        for http in (first, second):
            response = await http.post("/slack/events", content=body, headers=headers)
            assert response.status_code == 200
        await fake_slack.wait_for_responses(2)
    assert len(fake_slack.to("pins.add")) == 1
    assert len(fake_slack.to("chat.postMessage")) == 1
