"""The fake Slack Web API refuses what the published method list refuses."""

from __future__ import annotations

from tests.fakes.slack_spec import web_api_spec


def test_the_fake_refuses_a_call_missing_a_required_parameter() -> None:
    """The Web API method list is the judge: chat.update without ts is refused."""
    assert web_api_spec().check("chat.update", {"channel": "C1", "text": "x"}) == [
        "chat.update: ts is required"
    ]
    assert web_api_spec().check("chat.update", {"channel": "C1", "ts": "1.2"}) == []
    assert web_api_spec().check("apps.brand.new", {}) == []  # newer than the list: not held
