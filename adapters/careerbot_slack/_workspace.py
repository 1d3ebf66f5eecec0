"""The Web API client of the workspace a request came from (Add to Slack mode).

Bolt's ``authorize`` gives each request a client carrying its workspace's token
(``context.client``). ``CurrentWorkspace``, the first of the app's own middleware,
makes it the client every ``SlackWeb`` call in that request uses (Bolt runs the
listeners after its middleware chain has returned, so the value is set, not scoped
there), and the work a request leaves running behind it (a task copies the context it
was started in). ``one_request`` bounds it to one dispatch. Outside a request (the
pinned-card refresh, ``auth.test`` at start) the platform's own client is used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from ._installations import installation_key

__all__ = ["CurrentWorkspace", "one_request", "workspace_client", "workspace_key"]

_CLIENT: ContextVar[AsyncWebClient | None] = ContextVar("careerbot_slack_client", default=None)
_KEY: ContextVar[str | None] = ContextVar("careerbot_slack_workspace", default=None)


def workspace_client() -> AsyncWebClient | None:
    """The client of the workspace the current request came from, if any."""
    return _CLIENT.get()


def workspace_key() -> str | None:
    """The installation key (``_installations.installation_key``) of the current request."""
    return _KEY.get()


@contextlib.contextmanager
def one_request() -> Iterator[None]:
    """No workspace's client before the dispatch it wraps, nor after it."""
    reset, unset = _CLIENT.set(None), _KEY.set(None)
    try:
        yield
    finally:
        _CLIENT.reset(reset)
        _KEY.reset(unset)


class CurrentWorkspace(AsyncMiddleware):
    """Make the request's authorised client (its workspace's token) the current one."""

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],  # Bolt passes it by this name
    ) -> BoltResponse | None:
        context = req.context
        _CLIENT.set(context.client)
        _KEY.set(
            installation_key(context.enterprise_id, context.team_id, context.is_enterprise_install)
        )
        return await next()
