"""The Slack Web API calls the adapter makes, with Slack's errors mapped to the core's.

Every failure becomes a ``PlatformError`` naming the method and Slack's error code
(``PermissionMissing`` when an admin can fix it), and is counted in the metrics.
Rate limits are retried once by slack_sdk's own ``AsyncRateLimitErrorRetryHandler``.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from careerbot_chat.adapter import PermissionMissing, PlatformError, count_api_error

from ._render import Message
from ._words import NOT_IN_CHANNEL, PIN_SCOPE
from ._workspace import workspace_client

__all__ = ["API_TIMEOUT_SECONDS", "HARMLESS", "NOT_A_MEMBER", "SlackWeb", "make_client"]

log = logging.getLogger("careerbot.slack")
_WEBHOOK_LOG = logging.getLogger("careerbot.slack.response_url")
"""The logger slack_sdk's webhook client is given: at WARNING, so slack_sdk's retry
notes (written at INFO, with the URL, whenever its logger's own level is unset) are not."""
_WEBHOOK_LOG.setLevel(logging.WARNING)

NOT_A_MEMBER = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
HARMLESS = {
    "pins.add": frozenset({"already_pinned"}),
    "pins.remove": frozenset({"no_pin", "message_not_found"}),
}


API_TIMEOUT_SECONDS = 10
"""Timeout of each Web API call; connection errors and 429s are retried once."""


def make_client(
    token: str | None, base_url: str, timeout: float = API_TIMEOUT_SECONDS
) -> AsyncWebClient:
    """An ``AsyncWebClient`` aimed at ``base_url`` that retries rate limits once; each call
    (and each ``response_url`` post through ``SlackWeb``) may take ``timeout`` seconds."""
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,  # type: ignore[arg-type]  # annotated int; aiohttp takes any number
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=1),
        ],
    )


def _code(exc: SlackApiError) -> str:
    """Slack's error code, or ``http NNN`` when the body was not Slack's JSON."""
    data = exc.response.data
    error = data.get("error") if isinstance(data, dict) else None
    return str(error or f"http {exc.response.status_code}")


def _error(method: str, exc: SlackApiError) -> PlatformError:
    code = _code(exc)
    if code in NOT_A_MEMBER:
        return PermissionMissing(
            f"{method}: {code}", method=method, reason="slack_not_in_channel", hint=NOT_IN_CHANNEL
        )
    if code == "missing_scope" and method.startswith("pins."):
        return PermissionMissing(
            f"{method}: {code}", method=method, reason="slack_pin_scope", hint=PIN_SCOPE
        )
    return PlatformError(f"{method}: {code}", method=method, reason=code)


class SlackWeb:
    """The handful of Web API methods careerbot uses, with the current workspace's token
    during a request (``_workspace``), else ``default``'s."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.default = client

    @property
    def client(self) -> AsyncWebClient:
        return workspace_client() or self.default

    async def call(self, method: str, *, read: bool = False, **params: Any) -> AsyncSlackResponse:
        """Call ``method`` (a JSON body, or query parameters when ``read``).

        Raises ``PlatformError`` on any failure except the harmless ones (pinning
        what is already pinned).
        """
        args: dict[str, Any] = {"http_verb": "GET", "params": params} if read else {"json": params}
        try:
            return await self.client.api_call(method, **args)
        except SlackApiError as exc:
            if _code(exc) in HARMLESS.get(method, ()):
                return exc.response  # type: ignore[no-any-return]
            count_api_error("slack", method)
            raise _error(method, exc) from None
        except (TimeoutError, aiohttp.ClientError) as exc:
            count_api_error("slack", method)
            raise PlatformError(
                f"{method}: {type(exc).__name__}", method=method, reason="network error"
            ) from None

    async def post(self, channel: str, message: Message) -> str:
        """Post ``message`` for everyone in ``channel``; return its ``ts``."""
        response = await self.call("chat.postMessage", channel=channel, **message)
        return str(response["ts"])

    async def update(self, channel: str, ts: str, message: Message) -> None:
        await self.call("chat.update", channel=channel, ts=ts, **message)

    async def pin(self, channel: str, ts: str) -> None:
        await self.call("pins.add", channel=channel, timestamp=ts)

    async def unpin(self, channel: str, ts: str) -> None:
        await self.call("pins.remove", channel=channel, timestamp=ts)

    async def is_admin(self, user_id: str) -> bool:
        """Whether ``user_id`` is a workspace admin or owner (users.info)."""
        response = await self.call("users.info", read=True, user=user_id)
        user = response.get("user") or {}
        return any(bool(user.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner"))

    async def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        await self.call("views.publish", user_id=user_id, view=view)

    async def respond(self, response_url: str | None, message: dict[str, Any]) -> bool:
        """Post ``message`` to a payload's ``response_url``; whether it was delivered.

        The route admitted only a URL on a Slack host (or the test fake's). A payload
        without one (App Home) or a failed post is one log line, never the URL, and is
        counted as an API error; nothing is raised.
        """
        if not response_url:
            log.info("slack: nothing to answer through: the payload has no response_url")
            return False
        client = AsyncWebhookClient(
            url=response_url, timeout=self.default.timeout, logger=_WEBHOOK_LOG
        )
        try:
            response = await client.send_dict(message)
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            reason = type(exc).__name__
        else:
            if response.status_code < 400:
                return True
            reason = f"http {response.status_code}"
        count_api_error("slack", "response_url")
        log.warning("slack: posting to the response_url failed (%s)", reason)
        return False
