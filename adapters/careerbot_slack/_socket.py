"""Socket Mode: ``careerbot run slack``, for a bot with no public URL.

The same Bolt app as ``careerbot serve`` receives its slash commands, buttons and
events over a WebSocket that the bot opens to Slack (``SLACK_APP_TOKEN``), through
slack_sdk's aiohttp ``SocketModeClient``:

- a slash command is acknowledged with its answer in the acknowledgement (the card);
  an event is acknowledged, and answered through the Web API as over HTTP;
- the WebSocket's address comes from ``apps.connections.open``, asked for under the
  adapter's retry policy: a Web API that cannot be reached is one WARNING line per
  attempt, with backoff; an app token Slack rejects is ``StartupError`` (exit 1);
- a dropped link is reconnected by slack_sdk (a fresh address, the same policy);
  slack_sdk writes a failed WebSocket connect with its traceback, here one WARNING
  line (``_OneLine``, on the logger it is given);
- ``stop()`` stops taking envelopes (one arriving then is not acknowledged, so Slack
  delivers it again), lets those in hand finish and be acknowledged, closes the link,
  then finishes the work that outlived its acknowledgement.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient
from starlette.routing import Route

from careerbot_chat.adapter import (
    Backoff,
    CareerBot,
    Chat,
    PlatformError,
    Reply,
    Settings,
    StartupError,
    retry_policy,
)

from ._app import LEARN_SECONDS, REJECTED, Identity, build_parts, required_secret
from ._listeners import ANSWER_BUDGET_SECONDS
from ._render import Mode
from ._settings import SlackSettings
from ._web import API_TIMEOUT_SECONDS

__all__ = ["SocketModePlatform", "create_runner", "run_dev"]

log = logging.getLogger("careerbot.slack")

CONNECT_SECONDS = Backoff(1.0, 60.0)
"""Backoff between ``apps.connections.open`` attempts: the first pause, the longest."""
PING_SECONDS = 10.0
"""How often slack_sdk pings the link (and looks whether it dropped)."""
DRAIN_SECONDS = 20.0
"""How long ``stop()`` waits for the envelopes in hand (below systemd's TimeoutStopSec)."""


class _OneLine(logging.Filter):
    """slack_sdk writes each failed connect as an ERROR with its traceback; a link that
    cannot be made is an outage: one WARNING line naming the cause (it is in the message).
    Other records, a bug's traceback among them, pass as they are."""

    OUTAGES = (
        "Failed to connect",
        "Failed to check the current session",
        "Failed to receive or enqueue a message",
    )

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith(self.OUTAGES):
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def _sdk_logger() -> logging.Logger:
    """The logger handed to slack_sdk's Socket Mode client."""
    logger = logging.getLogger("careerbot.slack.socket")
    if not any(isinstance(f, _OneLine) for f in logger.filters):
        logger.addFilter(_OneLine())
    return logger


def _curable(exc: BaseException) -> bool:
    """An ``apps.connections.open`` failure that waiting may cure (not a rejected token)."""
    if isinstance(exc, PlatformError):
        return exc.reason not in REJECTED
    return isinstance(exc, (aiohttp.ClientError, TimeoutError, OSError))


class SocketClient(SocketModeClient):
    """slack_sdk's aiohttp client, asking for each new address under the adapter's retry
    policy (slack_sdk's own retries every ping, and only rate limits)."""

    def __init__(
        self,
        app_token: str,
        web_client: AsyncWebClient,
        *,
        pauses: Backoff,
        ping_interval: float,
    ) -> None:
        super().__init__(
            app_token, logger=_sdk_logger(), web_client=web_client, ping_interval=ping_interval
        )
        self.pauses = pauses

    async def issue_new_wss_url(self) -> str:
        """``apps.connections.open``, retried with backoff; ``StartupError`` if rejected."""
        try:
            async for attempt in retry_policy(
                "slack: apps.connections.open failed", self.pauses, log=log, retry_if=_curable
            ):
                with attempt:
                    return await self.connections_open()
        except PlatformError as exc:
            raise StartupError(f"SLACK_APP_TOKEN was rejected ({exc})") from None
        raise AssertionError("unreachable: tenacity returns or raises")

    async def connections_open(self) -> str:
        """One ``apps.connections.open``: the new address; ``PlatformError`` on Slack's error."""
        try:
            response = await self.web_client.apps_connections_open(app_token=self.app_token)
        except SlackApiError as exc:  # its text is several lines: the code is enough
            data = exc.response.data
            error = data.get("error") if isinstance(data, dict) else None
            code = str(error or f"http {exc.response.status_code}")
            method = "apps.connections.open"
            raise PlatformError(f"{method}: {code}", method=method, reason=code) from None
        return str(response["url"])


def _retry_headers(request: SocketModeRequest) -> dict[str, str | Sequence[str]] | None:
    """The headers Slack puts on a redelivered HTTP request, from the envelope."""
    headers: dict[str, str | Sequence[str]] = {}
    if request.retry_attempt is not None:
        headers["x-slack-retry-num"] = str(request.retry_attempt)
    if request.retry_reason is not None:
        headers["x-slack-retry-reason"] = request.retry_reason
    return headers or None


def _acknowledgement(envelope_id: str, answer: BoltResponse) -> SocketModeResponse:
    """The envelope's acknowledgement, carrying what the HTTP response body would have."""
    if answer.status != 200 or not answer.body:
        return SocketModeResponse(envelope_id=envelope_id)
    content_type = (answer.headers.get("content-type") or [""])[0]
    if content_type.startswith("application/json"):
        return SocketModeResponse(envelope_id=envelope_id, payload=json.loads(answer.body))
    return SocketModeResponse(envelope_id=envelope_id, payload={"text": answer.body})


class SocketModePlatform:
    """What ``careerbot run slack`` runs: the Bolt app over Socket Mode, with the card
    edits of ``SlackPlatform`` (so the runtime refreshes pinned cards) and no route."""

    name = "slack"

    def __init__(
        self,
        settings: Settings,
        bot: CareerBot,
        client: AsyncWebClient | None = None,
        *,
        learn_pauses: Backoff = LEARN_SECONDS,
        connect_pauses: Backoff = CONNECT_SECONDS,
        ping_interval: float = PING_SECONDS,
        api_timeout: float = API_TIMEOUT_SECONDS,
        answer_budget: float = ANSWER_BUDGET_SECONDS,
    ) -> None:
        section = settings.section(SlackSettings)
        self.identity = Identity(
            required_secret(section.bot_token, "SLACK_BOT_TOKEN"), pauses=learn_pauses
        )
        self.app_token = required_secret(section.app_token, "SLACK_APP_TOKEN")
        self.app, self.listeners = build_parts(
            settings,
            bot,
            client=client,
            socket_mode=True,
            identity=self.identity,
            api_timeout=api_timeout,
            answer_budget=answer_budget,
        )
        self.render = self.listeners.render
        self.web = self.listeners.web
        self.connect_pauses = connect_pauses
        self.ping_interval = ping_interval
        self.socket: SocketClient | None = None
        self.accepting = False
        self.handling: set[asyncio.Task[Any]] = set()
        """The envelopes being answered (each in its own slack_sdk task)."""

    def routes(self) -> Sequence[Route]:
        return []

    async def start(self) -> None:
        """Open the link (retried while the Web API cannot be reached), then learn the
        bot's ids (auth.test) in the background. May be called again after it failed."""
        if self.socket is None:
            socket = SocketClient(
                self.app_token,
                self.app.client,
                pauses=self.connect_pauses,
                ping_interval=self.ping_interval,
            )
            socket.socket_mode_request_listeners.append(self.handle)
            self.socket = socket
        self.accepting = True
        try:
            # Asked for here, not inside slack_sdk's connect(), which retries every
            # error forever: a rejected token must stop the start.
            self.socket.wss_uri = await self.socket.issue_new_wss_url()
            await self.socket.connect()  # type: ignore[no-untyped-call]  # slack_sdk leaves it untyped
        except BaseException:
            self.accepting = False
            await self._close_socket()
            raise
        self.identity.learn_in_background(self.web)
        log.info("slack: connected over Socket Mode")

    async def handle(self, client: AsyncBaseSocketModeClient, request: SocketModeRequest) -> None:
        """Dispatch one envelope to the app; acknowledge it with the answer."""
        if not self.accepting:
            return  # stopping: not acknowledged, so Slack delivers it again
        task = asyncio.current_task()
        if task is not None:
            self.handling.add(task)
        try:
            bolt = AsyncBoltRequest(
                mode="socket_mode", body=request.payload, headers=_retry_headers(request)
            )
            answer = await self.app.async_dispatch(bolt)
            if answer.status == 404:
                kind = request.payload.get("type") or request.payload.get("command")
                log.info("slack: nothing here handles a %.40s request; acknowledged", kind)
            await client.send_socket_mode_response(_acknowledgement(request.envelope_id, answer))
        finally:
            if task is not None:
                self.handling.discard(task)

    async def stop(self) -> None:
        """Take no new envelope, finish those in hand, close the link, then finish the
        work that outlived its acknowledgement (a slow pin, a follow-up)."""
        self.accepting = False
        if self.handling:
            _, late = await asyncio.wait(set(self.handling), timeout=DRAIN_SECONDS)
            if late:
                log.warning(
                    "slack: %d envelope(s) still in hand after %g s", len(late), DRAIN_SECONDS
                )
        await self._close_socket()
        await self.identity.stop_learning()
        await self.listeners.drain()

    async def _close_socket(self) -> None:
        if self.socket is not None:
            socket, self.socket = self.socket, None
            await socket.close()  # type: ignore[no-untyped-call]  # slack_sdk leaves it untyped

    async def edit_card(self, chat: Chat, message_id: str, reply: Reply) -> None:
        """Edit a posted card in place (chat.update); ``PlatformError`` on failure."""
        await self.web.update(chat.chat_id, message_id, self.render(reply, Mode.POSTED))


def create_runner(settings: Settings, bot: CareerBot, **options: Any) -> SocketModePlatform:
    """The Slack platform for ``careerbot run``: Socket Mode; needs the bot and app tokens."""
    return SocketModePlatform(settings, bot, **options)


async def run_dev(settings: Settings, bot: CareerBot, **options: Any) -> None:
    """Socket Mode until cancelled, without the runtime ``careerbot run slack`` puts
    around it (no store, reload or pinned-card refresh)."""
    platform = SocketModePlatform(settings, bot, **options)
    try:
        await platform.start()
        await asyncio.Event().wait()
    finally:
        await platform.stop()
