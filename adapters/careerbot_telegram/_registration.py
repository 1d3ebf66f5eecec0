"""What the Telegram adapter registers with the core. Imports no python-telegram-bot:
the functions below import it when called, so ``careerbot ask`` stays quick."""

from __future__ import annotations

from typing import TYPE_CHECKING

from careerbot_chat.adapter import AdapterRegistration, CareerBot, Reply, Settings

from ._preview_style import PREVIEW_CSS
from ._settings import TelegramSettings
from ._words import SETUP_HINT

if TYPE_CHECKING:
    from careerbot_chat.preview import ChartSource, PreviewCard

    from ._platform import TelegramPlatform

__all__ = ["ADAPTER"]


def _format_reply(reply: Reply) -> str:
    from ._render import format_reply

    return format_reply(reply)


def _create_platform(settings: Settings, bot: CareerBot) -> TelegramPlatform:
    from ._platform import create_platform

    return create_platform(settings, bot)


async def _run_dev(settings: Settings, bot: CareerBot) -> None:
    from ._platform import run_dev

    await run_dev(settings, bot)


def _preview_card(reply: Reply, chart_src: ChartSource, public_url: str | None) -> PreviewCard:
    from ._preview import preview_card

    return preview_card(reply, chart_src, public_url)


ADAPTER = AdapterRegistration(
    name="telegram",
    settings=TelegramSettings,
    create_platform=_create_platform,
    format_reply=_format_reply,
    run_dev=_run_dev,
    edit_pace=0.05,  # the Bot API allows about 30 calls a second
    setup_hint=SETUP_HINT,
    preview_card=_preview_card,
    preview_css=PREVIEW_CSS,
)
