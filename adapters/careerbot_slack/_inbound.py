"""What ``POST /slack/events`` checks before Bolt sees a request: signature first, then shape.

Bolt parses a body (JSON, or a form's ``payload``) before it checks the signature, and a
body of the wrong shape (``[1]``, ``null``, 20,000 nested brackets, ``actions: null``)
then fails deep inside it as a 500 with a traceback. Here the signature is checked
first, with slack_sdk's ``SignatureVerifier`` (the check Bolt would make; the
platform's Bolt app runs with its own turned off, so it is made once), so nothing
unsigned is ever parsed; a signed body is then parsed by Bolt's own ``AsyncBoltRequest``
and its fields checked for the types Bolt and our listeners read: a body that is neither
a slash command nor a typed Slack payload, an action without an ``action_id``, and a
``response_url`` that is not https on a Slack host (nor on the host of
``SLACK_API_BASE_URL``) are refused with 400, so no request is ever made to such a
URL. Refusals say why in a few words, never quoting the body (nor a URL).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request

__all__ = [
    "ACTION_STRINGS",
    "LISTS",
    "OBJECTS",
    "SLACK_HOSTS",
    "STRINGS",
    "WINDOW_SECONDS",
    "Refused",
    "bolt_request",
    "response_url_allowed",
    "shape_problem",
    "verify",
]

WINDOW_SECONDS = 5 * 60
"""Slack's replay window: a timestamp further from now than this is refused."""
OBJECTS = ("team", "user", "channel", "container", "view", "event", "enterprise", "message")
"""Top-level fields that are JSON objects (or null) in every Slack payload that has them."""
LISTS = ("actions", "authorizations")
STRINGS = ("type", "event_id", "command", "text", "user_id", "channel_id", "response_url")
ACTION_STRINGS = ("action_id", "block_id", "value", "type")
SLACK_HOSTS = ("slack.com", "slack-gov.com")
"""The domains (and their subdomains) a ``response_url`` may name over https."""


def response_url_allowed(url: str, api_base_url: str) -> bool:
    """Whether ``url`` is https on a Slack host, or on the host of ``api_base_url``
    (``SLACK_API_BASE_URL``: a fake in tests), in its scheme or https."""
    try:
        parts, api = urlsplit(url), urlsplit(api_base_url)
        host, api_host = parts.hostname, api.hostname
    except ValueError:
        return False
    if not host or parts.username is not None or parts.password is not None:
        return False
    if parts.scheme == "https" and any(host == d or host.endswith(f".{d}") for d in SLACK_HOSTS):
        return True
    return host == api_host and parts.scheme in {"https", api.scheme}


class Refused(Exception):
    """The request is not from Slack, or not a payload we can read; ``status`` says which."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def verify(verifier: SignatureVerifier, headers: Mapping[str, str], body: bytes) -> None:
    """Raise ``Refused(401)`` unless ``body`` carries a valid, fresh Slack signature."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not signature or not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) < 12):
        raise Refused(401, "no signature or no numeric timestamp")
    skew = abs(time.time() - int(timestamp))
    if skew > WINDOW_SECONDS:
        raise Refused(401, f"timestamp {int(skew)} s away from this server's clock")
    try:
        valid = verifier.is_valid(body, timestamp, signature)
    except UnicodeDecodeError:
        raise Refused(400, "body is not UTF-8") from None
    if not valid:
        raise Refused(401, "signature does not match (is SLACK_SIGNING_SECRET right?)")


def bolt_request(
    request: Request, body: bytes, api_base_url: str = "https://slack.com/api/"
) -> AsyncBoltRequest:
    """The signed ``body`` as Bolt's request; ``Refused(400)`` when it is not a Slack
    payload (or names a ``response_url`` not allowed beside ``api_base_url``)."""
    try:
        # What Bolt's Starlette adapter builds, with the query string handed over as it
        # came (Slack sends none): there is nothing for Starlette's QueryParams to parse.
        query = request.scope["query_string"].decode("latin-1") or None
        parsed = AsyncBoltRequest(
            body=body.decode("utf-8"),
            query=query,
            headers=request.headers,  # type: ignore[arg-type]
        )
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError):
        raise Refused(400, "body is not a Slack payload") from None
    problem = shape_problem(parsed.body, api_base_url)
    if problem is not None:
        raise Refused(400, problem)
    return parsed


def shape_problem(payload: Any, api_base_url: str = "https://slack.com/api/") -> str | None:
    """Why ``payload`` is not shaped like a Slack request, or ``None``."""
    if not isinstance(payload, dict) or not payload:
        return "not a JSON object"
    if payload.get("ssl_check") == "1":
        return None  # Slack's periodic certificate check: Bolt answers it with 200
    if not isinstance(payload.get("command") or payload.get("type"), str):
        return "neither a slash command nor a typed Slack payload"
    for key in OBJECTS:
        if payload.get(key) is not None and not isinstance(payload[key], dict):
            return f"{key} is not an object"
    for key in STRINGS:
        if payload.get(key) is not None and not isinstance(payload[key], str):
            return f"{key} is not a string"
    for key in LISTS:
        items = payload.get(key)
        if items is not None and not (
            isinstance(items, list) and all(isinstance(item, dict) for item in items)
        ):
            return f"{key} is not a list of objects"
    if payload.get("type") == "block_actions" and not payload.get("actions"):
        return "block_actions without actions"
    for action in payload.get("actions") or ():
        for key in ACTION_STRINGS:
            if action.get(key) is not None and not isinstance(action[key], str):
                return f"actions[].{key} is not a string"
        if not action.get("action_id"):
            return "an action without action_id"
    url = payload.get("response_url")
    if url is not None and not response_url_allowed(url, api_base_url):
        return "response_url is not https on a Slack host"
    return None
