"""careerbot on Telegram (python-telegram-bot 22).

The core finds this module by entry point and calls three functions:
``format_reply(reply)`` (``careerbot ask --format telegram``), ``run_dev(settings,
bot)`` (``careerbot run telegram``, long polling) and ``create_platform(settings,
bot)`` (``careerbot serve``: the ``POST /telegram/webhook`` route and the lifecycle).
"""

import os

# Opt in to python-telegram-bot's timedelta durations (RetryAfter.retry_after and
# friends) in every process, so tests and production take the same code paths and
# PTB 22.8 does not log a deprecation warning on each 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from ._app import FloodLimits, build_application, publish_commands
from ._moderation import TelegramModeration
from ._platform import TelegramPlatform, create_platform, run_dev
from ._preview import PREVIEW_CSS, preview_card
from ._render import Rendered, TelegramRenderer, format_reply, render
from ._webhook import webhook_route

__all__ = [
    "FloodLimits",
    "PREVIEW_CSS",
    "Rendered",
    "TelegramModeration",
    "TelegramPlatform",
    "TelegramRenderer",
    "build_application",
    "create_platform",
    "format_reply",
    "preview_card",
    "publish_commands",
    "render",
    "run_dev",
    "webhook_route",
]
