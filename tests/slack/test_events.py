"""Events and App Home end to end: publishing the tab, its buttons, retried deliveries."""

from __future__ import annotations

from typing import Any

from careerbot_chat import load_catalog, messages
from tests.slack import builders as b
from tests.slack.conftest import SlackClient

CATALOG = load_catalog()
ROLE = CATALOG.roles[0]


def _values(view: dict[str, Any]) -> list[str]:
    values = []
    for block in view["blocks"]:
        if "accessory" in block:
            values.append(block["accessory"]["value"])
        values += [element["value"] for element in block.get("elements", []) if "value" in element]
    return values


async def test_home_opened_publishes_catalogue(slack: SlackClient) -> None:
    """Opening the Home tab publishes the role catalogue with a button per role."""
    response = await slack.event(b.home_opened())
    assert response.status_code == 200
    [published] = slack.fake.to("views.publish")
    assert published["user_id"] == b.MEMBER
    view = published["view"]
    assert view["type"] == "home"
    assert view["blocks"][0]["text"]["text"] == messages.CATALOG_TITLE.format(count=len(CATALOG))
    assert _values(view) == [f"/role {role.slug}" for role in CATALOG.roles]


async def test_retried_event_is_not_processed_twice(slack: SlackClient) -> None:
    """A redelivery of the same event id (X-Slack-Retry-Num) is acknowledged and dropped."""
    first = await slack.event(b.home_opened("Ev0SAME"))
    retry = await slack.event(
        b.home_opened("Ev0SAME"),
        **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    other = await slack.event(b.home_opened("Ev0OTHER"))
    assert (first.status_code, retry.status_code, other.status_code) == (200, 200, 200)
    assert len(slack.fake.to("views.publish")) == 2


async def test_home_role_button_shows_card_in_tab(slack: SlackClient) -> None:
    """A role's button in App Home re-publishes the tab with that card and a way back."""
    await slack.send(b.home_action("careerbot_run_0", f"/role {ROLE.slug}"))
    [published] = slack.fake.to("views.publish")
    blocks = published["view"]["blocks"]
    assert blocks[0]["elements"][0]["action_id"] == "careerbot_home"
    assert blocks[1]["text"]["text"].startswith(ROLE.title)
    assert "careerbot_share" not in str(blocks)
    assert f"/salary {ROLE.slug}" in _values(published["view"])


async def test_home_back_button_shows_catalogue(slack: SlackClient) -> None:
    """All roles in App Home brings the catalogue back."""
    await slack.send(b.home_action("careerbot_home", "/roles"))
    [published] = slack.fake.to("views.publish")
    assert _values(published["view"]) == [f"/role {role.slug}" for role in CATALOG.roles]


async def test_home_publish_failure_still_acknowledges(slack: SlackClient) -> None:
    """If views.publish fails, Slack still gets its 200 (no retry storm)."""
    slack.fake.fail("views.publish", "invalid_arguments")
    response = await slack.event(b.home_opened())
    assert response.status_code == 200


async def test_garbage_payload_is_400_signed_401_unsigned(slack: SlackClient) -> None:
    """A form whose payload is not JSON: 400 when signed; unsigned, 401 before any parsing."""
    signed = await slack.send("payload=not-json")
    unsigned = await slack.http.post(
        "/slack/events",
        content="payload=not-json",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert signed.status_code == 400
    assert unsigned.status_code == 401
