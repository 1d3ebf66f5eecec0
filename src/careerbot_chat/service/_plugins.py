"""Find platform adapters without importing them up front.

Adapters register under the entry-point group ``careerbot_chat.adapters``; the core
imports one only when a command needs it, so ``careerbot ask`` never loads
python-telegram-bot or slack-bolt. An adapter module provides:

- ``format_reply(reply) -> str``: what ``careerbot ask --format NAME`` prints;
- ``async run_dev(settings, bot)``: ``careerbot run NAME`` (polling / Socket Mode);
- ``create_platform(settings, bot) -> Platform``: the routes ``careerbot serve`` mounts.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from types import ModuleType

GROUP = "careerbot_chat.adapters"
PLATFORMS = ("telegram", "slack")


class AdapterMissing(ImportError):
    """The adapter or its platform SDK is not installed."""


def load_adapter(name: str) -> ModuleType:
    """Import the adapter called ``name``; raise ``AdapterMissing`` with the pip extra."""
    target = next((ep.value for ep in entry_points(group=GROUP, name=name)), f"careerbot_{name}")
    try:
        return importlib.import_module(target)
    except ImportError as exc:
        raise AdapterMissing(
            f"the {name} adapter needs its extra: pip install 'careerbot-chat[{name}]' ({exc})"
        ) from exc
