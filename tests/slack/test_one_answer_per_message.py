"""A message that arrives as two events is answered once, across replicas (issue 22,
item 6).

A direct message to the app that also mentions it comes as ``message.im`` and as
``app_mention``: two event ids, one channel and ``ts``.
"""

from __future__ import annotations

import asyncio

import pytest

from careerbot_chat import open_store
from tests.conftest import POSTGRES_URL, _postgres_reachable, _postgres_store
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackApi
from tests.slack import builders as b
from tests.slack.conftest import SlackClient
from tests.slack.test_replay import replica

TEXT = f"<@{BOT_USER_ID}> how much does a senior make?"
TS = "1700000500.000001"


def both_events(ts: str = TS) -> list[str]:
    """The same direct message, as ``message.im`` and as ``app_mention``."""
    return [
        b.message_event(TEXT, kind="message", channel=b.DM, ts=ts, event_id=f"Ev0IM{ts}"),
        b.message_event(TEXT, kind="app_mention", channel=b.DM, ts=ts, event_id=f"Ev0AM{ts}"),
    ]


def headers(body: str) -> dict[str, str]:
    return {**b.sign(body), "Content-Type": "application/json"}


async def test_a_message_delivered_twice_is_answered_once(slack: SlackClient) -> None:
    """On one replica: the two events of one message make one answer; another message
    (another ts) is answered too."""
    for body in both_events():
        assert (await slack.event(body)).status_code == 200
    assert len(slack.fake.to("chat.postMessage")) == 1
    await slack.event(both_events("1700000501.000001")[1])
    assert len(slack.fake.to("chat.postMessage")) == 2


@pytest.mark.postgres
async def test_a_message_delivered_to_two_replicas_is_answered_once(
    fake_slack: FakeSlackApi,
) -> None:
    """Two replicas on one PostgreSQL, each sent one of the message's two events at the
    same time: one answer in the thread."""
    reason = _postgres_reachable()
    if reason is not None:
        pytest.skip(reason)
    shared = await _postgres_store()
    other = open_store(POSTGRES_URL)
    async with replica(fake_slack, shared) as first, replica(fake_slack, other) as second:
        sent = await asyncio.gather(
            *(
                http.post("/slack/events", content=body, headers=headers(body))
                for http, body in zip((first, second), both_events(), strict=True)
            )
        )
    assert [response.status_code for response in sent] == [200, 200]
    [posted] = fake_slack.to("chat.postMessage")
    assert posted["channel"] == b.DM
    assert posted["thread_ts"] == TS
    assert "₹45–80 LPA" in str(posted.get("blocks", ""))
