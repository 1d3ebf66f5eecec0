"""Slack payloads and signatures, built in one place for every Slack test."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

TOKEN = "xoxb-1111-2222-testbottoken"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
CHANNEL = "C0CAREERS"
DM = "D0DIRECT"
MEMBER = "U0MEMBER"
ADMIN = "U0ADMIN"
LISTED = "U0LISTED"
_TRIGGERS = itertools.count(1)


def sign(body: str, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 signature headers for ``body`` (HMAC-SHA256 of ``v0:ts:body``)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def slash(
    command: str,
    text: str = "",
    *,
    user: str = MEMBER,
    channel: str = CHANNEL,
    response_url: str = "http://127.0.0.1:9/response/none",
) -> str:
    """A slash command as Slack posts it: form-encoded, with a fresh ``trigger_id`` (as
    Slack's own differ, so two invocations in one second are two signed requests)."""
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": "T0CAREER",
            "team_domain": "careers",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "careers",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0CAREER",
            "response_url": response_url,
            "trigger_id": f"{next(_TRIGGERS)}.2.3",
        }
    )


def _form(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_action(
    action_id: str,
    value: str,
    *,
    response_url: str,
    user: str = MEMBER,
    channel: str = CHANNEL,
    ephemeral: bool = True,
) -> str:
    """A button press on a message (private when ``ephemeral``)."""
    return _form(
        {
            "type": "block_actions",
            "team": {"id": "T0CAREER", "domain": "careers"},
            "user": {"id": user, "username": user.lower(), "team_id": "T0CAREER"},
            "api_app_id": "A0CAREER",
            "token": "deprecated-verification-token",
            "container": {
                "type": "message",
                "message_ts": "1700000000.000001",
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": "1.2.3",
            "channel": {"id": channel, "name": "careers"},
            "response_url": response_url,
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b1",
                    "value": value,
                    "action_ts": "1700000001.000001",
                }
            ],
        }
    )


def home_action(action_id: str, value: str, *, user: str = MEMBER) -> str:
    """A button press in the App Home tab: no channel, no response URL."""
    return _form(
        {
            "type": "block_actions",
            "team": {"id": "T0CAREER", "domain": "careers"},
            "user": {"id": user, "team_id": "T0CAREER"},
            "api_app_id": "A0CAREER",
            "container": {"type": "view", "view_id": "V1"},
            "trigger_id": "1.2.3",
            "view": {"id": "V1", "type": "home", "blocks": []},
            "actions": [{"type": "button", "action_id": action_id, "value": value}],
        }
    )


def event_callback(event: dict[str, Any], event_id: str) -> str:
    """``event`` in the envelope Slack posts to the events URL, as JSON."""
    return json.dumps(
        {
            "token": "deprecated-verification-token",
            "team_id": "T0CAREER",
            "api_app_id": "A0CAREER",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1700000000,
            "event": event,
            "authorizations": [{"team_id": "T0CAREER", "user_id": "UCAREERBOT", "is_bot": True}],
        }
    )


def home_opened(event_id: str = "Ev0HOME1", *, user: str = MEMBER) -> str:
    """The ``app_home_opened`` event, as JSON."""
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0HOME",
        "tab": "home",
        "event_ts": "1700000000.000100",
    }
    return event_callback(event, event_id)


def message_event(
    text: str,
    *,
    kind: str = "app_mention",
    channel: str = CHANNEL,
    user: str = MEMBER,
    ts: str = "1700000100.000100",
    thread_ts: str | None = None,
    event_id: str = "Ev0ASK1",
    **extra: Any,
) -> str:
    """An ``app_mention`` (``kind``) or ``message`` event as Slack sends it, as JSON."""
    event: dict[str, Any] = {
        "type": kind,
        "user": user,
        "text": text,
        "channel": channel,
        "ts": ts,
        "event_ts": ts,
        **extra,
    }
    if kind == "message":
        event.setdefault("channel_type", "im" if channel.startswith("D") else "channel")
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return event_callback(event, event_id)
