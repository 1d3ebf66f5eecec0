"""The adapter's lifecycle: webhook mode for ``careerbot serve`` (``TelegramPlatform``),
long polling for ``careerbot run`` (``PollingPlatform``, the adapter's runner).

``careerbot run telegram`` polls until SIGINT or SIGTERM, then stops gracefully:
polling ends (the offset of the updates already fetched is confirmed to Telegram),
updates in flight are finished, and the call returns (exit status 0). A Bot API that
cannot be reached at start is one line (``StartupError``: a wrong address is better
said at once); once polling, a failed poll is one line per retry (python-telegram-bot
backs off between them), never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator, Sequence
from typing import Any

from starlette.routing import Route
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from careerbot_chat.adapter import (
    CareerBot,
    Chat,
    Reply,
    Settings,
    SettingsError,
    StartupError,
    count_api_error,
)

from ._api import PLATFORM, api_call, is_not_modified, platform_error
from ._app import (
    ALLOWED_UPDATES,
    API_TIMEOUT_SECONDS,
    FloodLimits,
    build_application,
    publish_commands,
)
from ._flood import FloodBudget
from ._render import TelegramRenderer, render
from ._settings import TelegramSettings
from ._webhook import webhook_route

__all__ = ["PollingPlatform", "TelegramPlatform", "create_platform", "create_runner", "run_dev"]

log = logging.getLogger("careerbot.telegram")


class TelegramPlatform:
    """What ``careerbot serve`` mounts: the webhook route and the Application's lifecycle."""

    name = "telegram"

    def __init__(
        self,
        settings: Settings,
        careerbot: CareerBot,
        *,
        limits: FloodLimits | None = None,
        renderer: TelegramRenderer = render,
        budget: FloodBudget | None = None,
        api_timeout: float = API_TIMEOUT_SECONDS,
    ) -> None:
        self.section = settings.section(TelegramSettings)
        secret = self.section.webhook_secret
        if secret is None or not secret.get_secret_value():
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET: required for webhook mode")
        self.settings = settings
        self.careerbot = careerbot
        self.renderer = renderer
        self.application: Application = build_application(  # type: ignore[type-arg]
            settings,
            careerbot,
            webhook=True,
            limits=limits,
            renderer=renderer,
            budget=budget,
            api_timeout=api_timeout,
        )
        self._route = webhook_route(self.application, careerbot, secret.get_secret_value())

    def routes(self) -> Sequence[Route]:
        return [self._route]

    async def start(self) -> None:
        """Connect (getMe), start processing, publish the menu, register the webhook.

        May be called again after it failed (the server retries while the Bot API
        cannot be reached); a token the Bot API rejects raises ``StartupError``.
        """
        await connect(self.application)
        if not self.application.running:
            await self.application.start()
        try:
            await publish_commands(self.application.bot)
        except Exception as exc:  # the menu is a convenience; answering matters more
            log.warning("could not publish the Telegram command menu: %s", exc)
        url = self.section.webhook_url
        if url:
            secret = self.section.webhook_secret
            assert secret is not None
            await api_call(
                "setWebhook",
                self.application.bot.set_webhook(
                    url, secret_token=secret.get_secret_value(), allowed_updates=ALLOWED_UPDATES
                ),
            )
            log.info("Telegram webhook set to %s", url)

    async def stop(self) -> None:
        """Finish queued updates and disconnect; the webhook stays for the next replica."""
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        # A getMe that never succeeded leaves the Application uninitialised, so its
        # shutdown skips the bot; close the bot's HTTP clients here.
        await self.application.bot.shutdown()

    async def edit_card(self, chat: Chat, message_id: str, reply: Reply) -> None:
        """Edit a posted card in place (its first message); "not modified" is success."""
        await edit_card(self.application, self.renderer, chat, message_id, reply)


async def edit_card(
    application: Application,  # type: ignore[type-arg]
    renderer: TelegramRenderer,
    chat: Chat,
    message_id: str,
    reply: Reply,
) -> None:
    """Edit a posted card's first message; "not modified" is success, else ``PlatformError``."""
    rendered = renderer(reply)
    try:
        await application.bot.edit_message_text(
            rendered.chunks[0],
            chat_id=int(chat.chat_id),
            message_id=int(message_id),
            reply_markup=rendered.keyboard,
        )
    except TelegramError as exc:
        if is_not_modified(exc):
            return
        count_api_error(PLATFORM, "editMessageText")
        raise platform_error("editMessageText", exc) from exc


async def connect(application: Application) -> None:  # type: ignore[type-arg]
    """``application.initialize()`` (getMe); ``StartupError`` when the token is rejected."""
    try:
        await application.initialize()
    except InvalidToken:
        raise StartupError(
            "TELEGRAM_BOT_TOKEN was rejected by the Bot API (getMe: unauthorized)"
        ) from None


def create_platform(settings: Settings, bot: CareerBot, **options: Any) -> TelegramPlatform:
    """The Telegram platform for ``careerbot serve``; needs a token and a webhook secret."""
    return TelegramPlatform(settings, bot, **options)


class PollingPlatform:
    """What ``careerbot run telegram`` runs: long polling, with the same lifecycle and
    card edits as ``TelegramPlatform`` (so the runtime refreshes pinned cards) and no route."""

    name = "telegram"

    def __init__(
        self,
        settings: Settings,
        careerbot: CareerBot,
        *,
        renderer: TelegramRenderer = render,
        **options: Any,
    ) -> None:
        self.settings = settings
        self.renderer = renderer
        self.application: Application = build_application(  # type: ignore[type-arg]
            settings, careerbot, webhook=False, renderer=renderer, **options
        )

    def routes(self) -> Sequence[Route]:
        return []

    async def start(self) -> None:
        """Connect (getMe), publish the menu, start polling; ``StartupError`` when the
        token is rejected or the Bot API cannot be reached (said at once: a wrong address
        is likelier than an outage at the very start)."""
        application = self.application
        try:
            await connect(application)
        except NetworkError as exc:
            await application.bot.shutdown()
            url = self.settings.section(TelegramSettings).api_base_url
            raise StartupError(f"cannot reach the Bot API at {url} ({exc})") from None
        except StartupError:
            await application.bot.shutdown()
            raise
        log.warning(
            "Polling Telegram for updates. Polling deletes any webhook set for this bot token: "
            "do not poll with a production bot's token while `careerbot serve` receives its "
            "webhook."
        )
        try:
            await publish_commands(application.bot)
        except TelegramError as exc:  # the menu is a convenience; answering matters more
            log.warning("could not publish the Telegram command menu: %s", exc)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            allowed_updates=ALLOWED_UPDATES, error_callback=_polling_failed
        )

    async def stop(self) -> None:
        """Stop polling (the offset of the updates fetched is confirmed to Telegram),
        finish the updates in hand, disconnect."""
        application = self.application
        updater = application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        await application.bot.shutdown()  # when getMe never succeeded (see TelegramPlatform)

    async def edit_card(self, chat: Chat, message_id: str, reply: Reply) -> None:
        """Edit a posted card in place (its first message); "not modified" is success."""
        await edit_card(self.application, self.renderer, chat, message_id, reply)


def create_runner(settings: Settings, bot: CareerBot, **options: Any) -> PollingPlatform:
    """The Telegram platform for ``careerbot run``: long polling; needs a token."""
    return PollingPlatform(settings, bot, **options)


async def run_dev(
    settings: Settings, bot: CareerBot, *, stop: asyncio.Event | None = None, **options: Any
) -> None:
    """Long polling until SIGINT or SIGTERM (or ``stop`` is set), without the runtime
    ``careerbot run telegram`` puts around it (no store, reload or pinned-card refresh)."""
    stop = stop or asyncio.Event()
    platform = PollingPlatform(settings, bot, **options)
    with _stopped_by(stop, (signal.SIGINT, signal.SIGTERM)):
        await platform.start()
        try:
            await stop.wait()
        finally:
            await platform.stop()


def _polling_failed(exc: TelegramError) -> None:
    """One line per failed poll (python-telegram-bot retries with its own backoff)."""
    log.warning("polling Telegram failed (%s: %s); retrying", type(exc).__name__, exc)


@contextlib.contextmanager
def _stopped_by(stop: asyncio.Event, signals: Sequence[signal.Signals]) -> Iterator[None]:
    """Set ``stop`` on any of ``signals`` while inside (the event loop's handlers)."""
    loop = asyncio.get_running_loop()
    installed = []
    for sig in signals:
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
            continue
        installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
