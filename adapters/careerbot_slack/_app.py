"""The Bolt ``AsyncApp``, its Starlette route and the platform object the server runs.

- ``build_app``: an ``AsyncApp`` with ``process_before_response=True`` (Bolt's default
  mode polls for ``ack()`` every 10 ms; the core answers in microseconds, so the
  listener runs inline and its card is the HTTP response body). Requests are
  authorised from configuration (``SLACK_BOT_TOKEN``) through Bolt's public
  ``authorize``, not by Bolt's ``auth.test`` on the first request: an answer from
  memory never waits for, or fails with, the Web API. The bot's ids are learned by
  ``auth.test`` in the background (``Identity``), retried by the adapter's one retry
  policy (the core's ``retry_policy``, tenacity).
- ``SlackPlatform.routes()``: ``POST /slack/events``: bodies over ``MAX_BODY`` bytes get
  413 before anything is read further; the signature is checked before anything is
  parsed (bad or older than 5 minutes: 401); a signed body that is not a Slack payload,
  or is malformed, gets 400 (``_inbound``); the rest goes to Bolt's dispatch, and a
  Slack payload nothing here handles gets an empty 200 and one log line. The route is where Slack's
  signature is checked: the platform's Bolt app runs with its public
  ``request_verification_enabled=False``, so a request is verified once, by us.
- Add to Slack (``SLACK_CLIENT_ID`` + ``SLACK_CLIENT_SECRET`` instead of a bot token):
  Bolt's own OAuth flow (``AsyncOAuthSettings``) at ``GET /slack/install`` and
  ``GET /slack/oauth_redirect``, installations and OAuth states in our database
  (``_installations``), and Bolt's ``AsyncInstallationStoreAuthorize`` (its results
  cached per token, so ``auth.test`` runs once per workspace token, not per request)
  giving each request its workspace's client (``_workspace``). ``app_uninstalled`` and
  ``tokens_revoked`` delete the installation (Bolt's token revocation listeners).
- ``build_parts``: the same app over Socket Mode, for ``careerbot run slack`` (``_socket``).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slack_bolt.adapter.asgi.http_response import AsgiHttpResponse
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import (
    AsyncAuthorize,
    AsyncInstallationStoreAuthorize,
)
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.logger.messages import (
    warning_client_prioritized_and_token_skipped,
    warning_token_skipped,
)
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from careerbot_chat.adapter import (
    Backoff,
    CareerBot,
    Chat,
    PlatformError,
    Reply,
    Settings,
    SettingsError,
    StoreError,
    count_rejected,
    read_capped,
    retry_policy,
)

from ._home import ACTION_HOME
from ._inbound import Refused, bolt_request, verify
from ._installations import Sealer, SignedStates, StoreInstallations
from ._listeners import ANSWER_BUDGET_SECONDS, DropRetries, Listeners, SlashCommands
from ._manifest import EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH, SCOPES, slash_commands
from ._moderation import SlackModeration
from ._render import ACTION_PIN, ACTION_SHARE, RUN_PATTERN, Mode, SlackRenderer
from ._settings import SlackSettings
from ._web import API_TIMEOUT_SECONDS, SlackWeb, make_client
from ._words import NOT_INSTALLED
from ._workspace import CurrentWorkspace, one_request, workspace_key

__all__ = [
    "LEARN_SECONDS",
    "REJECTED",
    "Identity",
    "SlackPlatform",
    "build_app",
    "build_parts",
    "create_platform",
    "required_secret",
]

log = logging.getLogger("careerbot.slack")


def required_secret(value: Any, name: str) -> str:
    if value is None or not value.get_secret_value():
        raise SettingsError(f"{name}: required for Slack")
    return str(value.get_secret_value())


APP_NAME = "careerbot"
"""The name Bolt gives the app in its log lines. Given, because without one Bolt takes
its caller's file name from ``inspect.stack()``, which reads the source of every frame
on the stack each time an app is built (24 ms of CPU from a shallow stack)."""
REJECTED = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked"})
"""auth.test errors that waiting does not cure."""
LEARN_SECONDS = Backoff(1.0, 60.0)
"""Backoff between auth.test attempts: first pause, then doubling up to the last."""


def _curable(exc: BaseException) -> bool:
    """An ``auth.test`` failure that waiting may cure (not a rejected token)."""
    return isinstance(exc, PlatformError) and exc.reason not in REJECTED


class Identity(AsyncAuthorize):
    """Who the bot is (``auth.test``), learned in the background; requests never wait for it.

    Bolt's ``authorize``: the configured token, and the ids once known. A subclass of
    Bolt's public ``AsyncAuthorize`` (which ``AsyncApp`` takes as it is) rather than a
    plain function, which Bolt would call through per-request keyword-argument matching.
    """

    def __init__(self, token: str, *, pauses: Backoff = LEARN_SECONDS) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # Bolt leaves it untyped
        self.token = token
        self.pauses = pauses
        """The first and the longest pause between ``auth.test`` attempts."""
        self.bot_id: str | None = None
        self.bot_user_id: str | None = None
        self.learning: asyncio.Task[None] | None = None
        """``learn`` running in the background (``learn_in_background``)."""

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult:
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=self.token,
            bot_id=self.bot_id,
            bot_user_id=self.bot_user_id,
        )

    def learn_in_background(self, web: SlackWeb) -> None:
        """Start ``learn`` unless it has started; requests never wait for it."""
        if self.learning is None:
            self.learning = asyncio.get_running_loop().create_task(self.learn(web))

    async def stop_learning(self) -> None:
        """Cancel ``learn`` if it still runs (a platform stopping)."""
        if self.learning is not None:
            task, self.learning = self.learning, None
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def learn(self, web: SlackWeb) -> None:
        """Call ``auth.test`` until it answers, with backoff; stop if the token is rejected."""
        try:
            async for attempt in retry_policy(
                "slack: auth.test failed", self.pauses, log=log, retry_if=_curable
            ):
                with attempt:
                    response = await web.call("auth.test")
        except PlatformError as exc:
            log.error("slack: SLACK_BOT_TOKEN was rejected (%s)", exc.reason)
            return
        self.bot_id, self.bot_user_id = response.get("bot_id"), response.get("user_id")
        log.info("slack: connected as %s in team %s", self.bot_user_id, response.get("team_id"))


def build_app(
    settings: Settings,
    bot: CareerBot,
    *,
    client: AsyncWebClient | None = None,
    socket_mode: bool = False,
    identity: Identity | None = None,
) -> AsyncApp:
    """The careerbot Slack app: every slash command, button, App Home, mention and DM.

    Mounted in one of Bolt's own adapters, it checks Slack's signature itself (Bolt's
    request verification); ``SlackPlatform`` turns that off, its route checks first.
    """
    app, _ = build_parts(settings, bot, client=client, socket_mode=socket_mode, identity=identity)
    return app


def build_parts(
    settings: Settings,
    bot: CareerBot,
    *,
    client: AsyncWebClient | None = None,
    socket_mode: bool = False,
    identity: Identity | None = None,
    verified: bool = False,
    api_timeout: float = API_TIMEOUT_SECONDS,
    answer_budget: float = ANSWER_BUDGET_SECONDS,
) -> tuple[AsyncApp, Listeners]:
    """The app and its listeners (which hold the work that outlives a request).

    ``verified``: our route has checked every request's signature before Bolt sees it,
    so Bolt's own check is off (and Socket Mode has no signature to check).
    ``api_timeout``: seconds for each Web API call; ``answer_budget``: seconds a command
    may take before Slack hears "on it" and the result follows.
    """
    section = settings.section(SlackSettings)
    secret = (
        None if socket_mode else required_secret(section.signing_secret, "SLACK_SIGNING_SECRET")
    )
    if section.oauth and not socket_mode:
        client = client or make_client(None, section.api_base_url, api_timeout)
        app = AsyncApp(
            name=APP_NAME,
            client=client,
            logger=_bolt_logger(),
            signing_secret=secret,
            process_before_response=True,
            request_verification_enabled=not verified,
            user_facing_authorize_error_message=NOT_INSTALLED,
            **_oauth(settings, bot, client),
        )
        app.enable_token_revocation_listeners()
        app.use(CurrentWorkspace())
    else:
        token = required_secret(section.bot_token, "SLACK_BOT_TOKEN")
        client = client or make_client(token, section.api_base_url, api_timeout)
        app = AsyncApp(
            name=APP_NAME,
            client=client,
            logger=_bolt_logger(),
            signing_secret=secret,
            authorize=identity or Identity(token),
            process_before_response=True,
            request_verification_enabled=not (socket_mode or verified),
        )
    render = SlackRenderer(public_url=settings.public_url)
    web = SlackWeb(client)
    installations = app.installation_store
    pinned = _remember(installations) if isinstance(installations, StoreInstallations) else None
    moderation = SlackModeration(web, render, section.moderator_ids, pinned=pinned)
    listen = Listeners(
        bot, web, render, moderation, in_channel=section.in_channel, answer_budget=answer_budget
    )
    # Members' slash commands are answered by the first middleware after Bolt's own;
    # moderator commands reach the listener (one for every command, registered first,
    # since Bolt builds keyword arguments for each matcher it tries).
    app.use(SlashCommands(listen, slash_commands()))
    app.use(DropRetries(bot))
    names = "|".join(re.escape(name) for name in slash_commands())
    app.command(re.compile(f"^(?:{names})$"))(listen.command)
    app.action(RUN_PATTERN)(listen.run)
    app.action(ACTION_SHARE)(listen.share)
    app.action(ACTION_PIN)(listen.pin)
    app.action(ACTION_HOME)(listen.home_button)
    app.event("app_home_opened")(listen.home_opened)
    app.event("app_mention")(listen.mention)
    app.event("message")(listen.direct)
    return app, listen


def _remember(installations: StoreInstallations) -> Callable[[Chat], Awaitable[None]]:
    """After a pin: note the chat's workspace, so the refresher edits with its token."""

    async def pinned(chat: Chat) -> None:
        key = workspace_key()
        if key is None:
            return
        try:
            await installations.remember_chat(chat.chat_id, key)
        except StoreError as exc:
            log.warning("slack: could not note the workspace of %s: %s", chat.chat_id, exc)

    return pinned


def _oauth(settings: Settings, bot: CareerBot, client: AsyncWebClient) -> dict[str, Any]:
    """``AsyncApp``'s Add to Slack arguments: Bolt's OAuth flow and authorize, over our store."""
    from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
    from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

    section = settings.section(SlackSettings)
    if bot.store is None:
        raise SettingsError("SLACK_CLIENT_ID: Add to Slack keeps installations in the database")
    client_id = section.client_id or ""
    client_secret = required_secret(section.client_secret, "SLACK_CLIENT_SECRET")
    key = section.secret_key.get_secret_value() if section.secret_key is not None else None
    rotator = AsyncTokenRotator(client_id=client_id, client_secret=client_secret, client=client)
    installations = StoreInstallations(bot.store, Sealer(key), rotator)
    public = settings.public_url
    oauth = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(SCOPES),
        redirect_uri=public.rstrip("/") + REDIRECT_PATH if public else None,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=installations,
        state_store=SignedStates(bot.store, client_secret),
        logger=_bolt_logger(),
    )
    authorize = AsyncInstallationStoreAuthorize(
        logger=_bolt_logger(),
        installation_store=installations,
        client_id=client_id,
        client_secret=client_secret,
        cache_enabled=True,  # auth.test once per token; an uninstalled one is not found first
        client=client,
    )
    return {"oauth_settings": oauth, "installation_store": installations, "authorize": authorize}


class _DropTokenSkipped(logging.Filter):
    """Bolt warns that our client's token is skipped in favour of ``authorize``; it is meant.

    (It reads SLACK_BOT_TOKEN itself too, and warns that the client's token wins.) Its
    note on an unhandled request, a developer's hint ("[Suggestion] … @app.command"), is
    dropped too: the route writes one short line for it instead.
    """

    SKIPPED = frozenset({warning_client_prioritized_and_token_skipped(), warning_token_skipped()})
    UNHANDLED = "Unhandled request"
    NOT_INSTALLED = "Although the app should be installed"
    """A workspace with no installation: the store wrote its own line, the member got one."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return message not in self.SKIPPED and not message.startswith(
            (self.UNHANDLED, self.NOT_INSTALLED)
        )


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("slack_bolt.AsyncApp")
    if not any(isinstance(f, _DropTokenSkipped) for f in logger.filters):
        logger.addFilter(_DropTokenSkipped())
    return logger


class SlackPlatform:
    """What ``careerbot serve`` mounts and runs for Slack (``careerbot_chat.service._platform``)."""

    name = "slack"

    def __init__(
        self,
        settings: Settings,
        bot: CareerBot,
        client: AsyncWebClient | None = None,
        *,
        learn_pauses: Backoff = LEARN_SECONDS,
        api_timeout: float = API_TIMEOUT_SECONDS,
        answer_budget: float = ANSWER_BUDGET_SECONDS,
    ) -> None:
        self.settings = settings
        self.bot = bot
        section = settings.section(SlackSettings)
        self.oauth = section.oauth
        """Add to Slack: tokens come from the installations, not from configuration."""
        self.identity = (
            None
            if self.oauth
            else Identity(
                required_secret(section.bot_token, "SLACK_BOT_TOKEN"), pauses=learn_pauses
            )
        )
        self.api_base_url = section.api_base_url
        """Where a ``response_url`` may point besides Slack's own hosts (a fake, in tests)."""
        self.verifier = SignatureVerifier(
            required_secret(section.signing_secret, "SLACK_SIGNING_SECRET")
        )
        """The one signature check: the route's (Bolt's own is off)."""
        self.app, self.listeners = build_parts(
            settings,
            bot,
            client=client,
            identity=self.identity,
            verified=True,
            api_timeout=api_timeout,
            answer_budget=answer_budget,
        )
        self.render = self.listeners.render
        self.web = self.listeners.web
        self.api_timeout = api_timeout

    def routes(self) -> Sequence[Route]:
        # An ASGI endpoint rather than a request handler: Bolt's own ASGI response is
        # sent as it is, with no Starlette ``Response`` built and copied in between.
        routes = [Route(EVENTS_PATH, _Endpoint(self.events), methods=["POST"])]
        if self.oauth:
            from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

            handler = AsyncSlackRequestHandler(self.app)
            for path in (INSTALL_PATH, REDIRECT_PATH):
                routes.append(Route(path, handler.handle, methods=["GET"]))
        return routes

    async def events(self, scope: Scope, receive: Receive, send: Send) -> None:
        """``POST /slack/events``: cap the body, verify it, check its shape, then dispatch.

        Only a request whose signature checked out here reaches Bolt.
        """
        request = Request(scope, receive)
        body = await read_capped(request)
        if body is None:
            count_rejected("too_large")
            await PlainTextResponse("payload too large", status_code=413)(scope, receive, send)
            return
        try:
            verify(self.verifier, request.headers, body)
            parsed = bolt_request(request, body, self.api_base_url)
        except Refused as refused:
            count_rejected("bad_signature" if refused.status == 401 else "malformed")
            log.info("slack: refused a request with %d: %s", refused.status, refused.reason)
            text = "invalid request" if refused.status == 401 else "not a Slack request"
            await PlainTextResponse(text, status_code=refused.status)(scope, receive, send)
            return
        with one_request():
            answer = await self.app.async_dispatch(parsed)
        if answer.status == 404:
            # A signed Slack payload no listener takes (a shortcut, an event we did not
            # subscribe to): acknowledged with an empty 200 so Slack does not retry it.
            kind = parsed.body.get("type") or parsed.body.get("command")
            log.info("slack: nothing here handles a %.40s request; acknowledged", kind)
            await PlainTextResponse("", status_code=200)(scope, receive, send)
            return
        response = AsgiHttpResponse(answer.status, answer.headers, answer.body)
        await send(response.get_response_start())
        await send(response.get_response_body())

    async def start(self) -> None:
        """Serve at once; learn the bot's ids (auth.test) in the background."""
        installations = self.app.installation_store
        if isinstance(installations, StoreInstallations):
            await installations.count()
        if self.identity is not None:
            self.identity.learn_in_background(self.web)
        log.info("slack: serving %s", EVENTS_PATH)

    async def identified(self) -> None:
        """Wait until the background ``auth.test`` has answered or given up."""
        if self.identity is not None and self.identity.learning is not None:
            await asyncio.shield(self.identity.learning)

    async def stop(self) -> None:
        """Stop learning the ids; finish the work that outlived its request.

        uvicorn has answered every request by now; a pin past the answer budget (a slow
        pin or share, a follow-up) may still be posting, pinning or recording, and is
        let finish so no card ends up pinned but unrecorded. (slack_sdk opens an HTTP
        session per call: nothing else to close.)
        """
        if self.identity is not None:
            await self.identity.stop_learning()
        await self.listeners.drain()

    async def edit_card(self, chat: Chat, message_id: str, reply: Reply) -> None:
        """Edit a posted card in place (chat.update); ``PlatformError`` on failure.

        Add to Slack: with the token of the workspace the chat is in, looked up each time
        (an uninstalled workspace's cards are not edited: ``not_installed``)."""
        web = self.web
        installations = self.app.installation_store
        if isinstance(installations, StoreInstallations):
            try:
                token = await installations.token_of_chat(chat.chat_id)
            except SlackTokenRotationError as exc:  # refreshing a rotating token failed
                error = exc.api_error.response.get("error") or "error"
                raise PlatformError(
                    f"oauth.v2.access: {error}", method="oauth.v2.access", reason=str(error)
                ) from None
            except StoreError as exc:
                raise PlatformError(
                    f"chat.update: {exc}", method="chat.update", reason="store"
                ) from None
            if token is None:
                raise PlatformError(
                    "chat.update: not installed", method="chat.update", reason="not_installed"
                )
            web = SlackWeb(make_client(token, self.api_base_url, self.api_timeout))
        await web.update(chat.chat_id, message_id, self.render(reply, Mode.POSTED))


class _Endpoint:
    """An ASGI callable Starlette's ``Route`` mounts as it is (it wraps plain functions
    and methods as request handlers)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def create_platform(settings: Settings, bot: CareerBot, **options: Any) -> SlackPlatform:
    """The Slack platform for ``careerbot serve``; needs the bot token and signing secret.
    ``options`` go to ``SlackPlatform`` (``api_timeout``, ``answer_budget``, ...)."""
    return SlackPlatform(settings, bot, **options)
