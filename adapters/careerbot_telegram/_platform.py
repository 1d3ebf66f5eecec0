"""The adapter's lifecycle: webhook mode for ``careerbot serve``, long polling for ``run``.

``careerbot run telegram`` polls until SIGINT or SIGTERM, then stops gracefully:
polling ends (the offset of the updates already fetched is confirmed to Telegram),
updates in flight are finished, and the call returns (exit status 0). While the Bot
API cannot be reached, starting and polling retry with backoff and log one line per
retry, never a traceback.
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
from ._app import ALLOWED_UPDATES, FloodLimits, build_application, publish_commands
from ._flood import FloodBudget
from ._render import TelegramRenderer, render
from ._settings import TelegramSettings
from ._webhook import webhook_route

__all__ = ["TelegramPlatform", "create_platform", "run_dev"]

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
    ) -> None:
        self.section = settings.section(TelegramSettings)
        secret = self.section.webhook_secret
        if secret is None or not secret.get_secret_value():
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET: required for webhook mode")
        self.settings = settings
        self.careerbot = careerbot
        self.renderer = renderer
        self.application: Application = build_application(  # type: ignore[type-arg]
            settings, careerbot, webhook=True, limits=limits, renderer=renderer, budget=budget
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
        rendered = self.renderer(reply)
        try:
            await self.application.bot.edit_message_text(
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


RETRY_FIRST_SECONDS = 1.0
RETRY_MAX_SECONDS = 60.0


async def run_dev(
    settings: Settings, bot: CareerBot, *, stop: asyncio.Event | None = None, **options: Any
) -> None:
    """``careerbot run telegram``: long polling until SIGINT or SIGTERM (or ``stop`` is set)."""
    stop = stop or asyncio.Event()
    application = build_application(settings, bot, webhook=False, **options)
    with _stopped_by(stop, (signal.SIGINT, signal.SIGTERM)):
        try:
            if not await _connect_retrying(application, settings, stop):
                return
        except StartupError:
            await application.bot.shutdown()
            raise
        log.warning(
            "Polling Telegram for updates. Polling deletes any webhook set for this bot token: "
            "do not poll with a production bot's token while `careerbot serve` receives "
            "its webhook."
        )
        async with application:
            try:
                await publish_commands(application.bot)
            except TelegramError as exc:  # the menu is a convenience; answering matters more
                log.warning("could not publish the Telegram command menu: %s", exc)
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(
                allowed_updates=ALLOWED_UPDATES, error_callback=_polling_failed
            )
            try:
                await stop.wait()
                log.info("Stopping: finishing the updates in hand")
            finally:
                await application.updater.stop()
                await application.stop()


async def _connect_retrying(
    application: Application,  # type: ignore[type-arg]
    settings: Settings,
    stop: asyncio.Event,
) -> bool:
    """``connect`` until it succeeds (True) or ``stop`` is set (False); backoff between."""
    delay = RETRY_FIRST_SECONDS
    url = settings.section(TelegramSettings).api_base_url
    while True:
        try:
            await connect(application)
            return True
        except NetworkError as exc:
            log.warning("cannot reach the Bot API at %s (%s); retrying in %.0f s", url, exc, delay)
        try:
            await asyncio.wait_for(stop.wait(), delay)
        except TimeoutError:
            delay = min(delay * 2, RETRY_MAX_SECONDS)
            continue
        await application.bot.shutdown()
        return False


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
