"""An answer that never reached Slack is counted as failed, not answered (issue 23, item 7).

A button's answer goes out through the payload's ``response_url``; when that post
fails (here: nothing listens at the URL's port on the fake's host), the command is
counted in ``careerbot_commands_total`` with outcome ``failed``.
"""

from __future__ import annotations

import socket

from careerbot_chat import load_catalog
from careerbot_chat.service import _metrics as metrics
from careerbot_slack import _words as words
from tests.slack import builders as b
from tests.slack.conftest import SlackClient, StartSlack

ROLE = load_catalog().roles[0]


def commands(command: str, outcome: str) -> float:
    labels = {"platform": "slack", "command": command, "outcome": outcome}
    return metrics.REGISTRY.get_sample_value("careerbot_commands_total", labels) or 0.0


def closed_port_url() -> str:
    """A response URL on 127.0.0.1 (the fake's host, so allowed) where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/response/gone"


async def test_failed_response_url_post_counts_as_failed(slack: SlackClient) -> None:
    """A button whose response_url post fails counts its command as failed, not answered;
    one whose post arrives counts it as answered."""
    metrics.enable()
    answered, failed = commands("skills", "answered"), commands("skills", "failed")

    response = await slack.press(
        "careerbot_run_0", f"/skills {ROLE.slug}", response_url=closed_port_url()
    )
    assert response.status_code == 200
    assert commands("skills", "failed") == failed + 1
    assert commands("skills", "answered") == answered

    await slack.press("careerbot_run_0", f"/skills {ROLE.slug}")
    assert len(slack.fake.responses) == 1
    assert commands("skills", "answered") == answered + 1
    assert commands("skills", "failed") == failed + 1


async def test_failed_share_counts_as_failed(slack: SlackClient) -> None:
    """Share whose chat.postMessage fails counts the card as failed."""
    metrics.enable()
    failed = commands("role", "failed")
    slack.fake.fail("chat.postMessage", "not_in_channel")
    await slack.press("careerbot_share", f"/role {ROLE.slug}")
    assert commands("role", "failed") == failed + 1


async def test_slow_command_whose_follow_up_fails_counts_as_failed(
    start_slack: StartSlack,
) -> None:
    """A moderator command past the budget ("on it"), whose result then cannot be posted
    to its response_url, is counted as failed once that post has failed."""
    metrics.enable()
    answered, failed = commands("pin", "answered"), commands("pin", "failed")
    async with start_slack(options={"answer_budget": 0.2}) as slack:
        slack.fake.delay("chat.postMessage", 0.8)
        response = await slack.command(
            "/careerbot", f"pin {ROLE.slug}", user=b.ADMIN, response_url=closed_port_url()
        )
        assert response.json()["text"] == words.STILL_WORKING
        assert commands("pin", "failed") == failed  # not known yet: counted neither way
        await slack.platform.stop()  # waits for the work going on behind
        assert commands("pin", "failed") == failed + 1
        assert commands("pin", "answered") == answered
