"""careerbot on Telegram (python-telegram-bot 22).

The core finds ``ADAPTER`` by entry point (group ``careerbot_chat.adapters``): the
adapter's name, its ``TELEGRAM_*`` settings, its ``--format telegram`` renderer, its
edit pacing and its words. Importing this package imports no python-telegram-bot;
the other names below import it on first use.
"""

import os
from typing import TYPE_CHECKING

from careerbot_chat.adapter import lazy_names

# Opt in to python-telegram-bot's timedelta durations (RetryAfter.retry_after and
# friends) in every process, so tests and production take the same code paths and
# PTB 22.8 does not log a deprecation warning on each 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from ._registration import ADAPTER
from ._settings import TelegramSettings

if TYPE_CHECKING:
    from ._app import FloodLimits, build_application, publish_commands
    from ._flood import FloodBudget, LocalBudget, SharedBudget
    from ._moderation import TelegramModeration
    from ._platform import PollingPlatform, TelegramPlatform, create_platform, run_dev
    from ._render import Rendered, TelegramRenderer, format_reply, render
    from ._webhook import webhook_route

_LAZY = {
    "FloodLimits": "._app",
    "FloodBudget": "._flood",
    "LocalBudget": "._flood",
    "SharedBudget": "._flood",
    "build_application": "._app",
    "publish_commands": "._app",
    "TelegramModeration": "._moderation",
    "TelegramPlatform": "._platform",
    "create_platform": "._platform",
    "run_dev": "._platform",
    "PollingPlatform": "._platform",
    "Rendered": "._render",
    "TelegramRenderer": "._render",
    "format_reply": "._render",
    "render": "._render",
    "webhook_route": "._webhook",
}


__getattr__ = lazy_names(__name__, _LAZY)
"""Import the platform SDK only when a name that needs it is used."""


__all__ = [
    "ADAPTER",
    "FloodBudget",
    "FloodLimits",
    "LocalBudget",
    "PollingPlatform",
    "Rendered",
    "SharedBudget",
    "TelegramModeration",
    "TelegramPlatform",
    "TelegramRenderer",
    "TelegramSettings",
    "build_application",
    "create_platform",
    "format_reply",
    "publish_commands",
    "render",
    "run_dev",
    "webhook_route",
]
