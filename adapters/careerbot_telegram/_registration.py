"""What the Telegram adapter registers with the core. Imports no python-telegram-bot:
``later`` imports it when a function is first called, so ``careerbot ask`` stays quick."""

from __future__ import annotations

import re

from careerbot_chat.adapter import AdapterRegistration, SecretShape, later

from ._preview_style import PREVIEW_CSS
from ._settings import TelegramSettings
from ._words import SETUP_HINT

__all__ = ["ADAPTER", "BOT_TOKEN"]

BOT_TOKEN = SecretShape(":", re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}"))
"""A bot token (``123456789:AA…``): it is also part of every Bot API URL."""


ADAPTER = AdapterRegistration(
    name="telegram",
    settings=TelegramSettings,
    create_platform=later("careerbot_telegram._platform:create_platform"),
    format_reply=later("careerbot_telegram._render:format_reply"),
    run_dev=later("careerbot_telegram._platform:run_dev"),
    create_runner=later("careerbot_telegram._platform:create_runner"),
    edit_pace=0.0,  # the flood budget paces edits, with what member answers leave
    setup_hint=SETUP_HINT,
    preview_card=later("careerbot_telegram._preview:preview_card"),
    preview_css=PREVIEW_CSS,
    secret_shapes=(BOT_TOKEN,),
)
