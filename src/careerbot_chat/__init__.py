"""careerbot-chat: one content core for career answers, with Telegram and Slack adapters.

The public surface is re-exported here; everything else lives in private modules.
"""

from typing import TYPE_CHECKING

from . import messages
from ._errors import (
    AdapterMissing,
    CareerbotError,
    ContentError,
    PermissionMissing,
    PlatformError,
    Problem,
    SettingsError,
    StartupError,
    StoreError,
    StoreUnavailable,
)
from .answering._answer import answer
from .answering._decide import find_role
from .answering._parser import Command, parse
from .answering._registry import (
    COMMANDS,
    CommandSpec,
    command_spec,
    member_commands,
    moderator_commands,
)
from .answering._render_plain import PlainRenderer, render_plain
from .answering._reply import (
    Action,
    Block,
    Bullets,
    Divider,
    Fields,
    Outcome,
    Paragraph,
    Picture,
    Reply,
)
from .catalog._content import Band, Level, Role
from .catalog._loader import Catalog, CatalogHolder, bundled_content_dir, load_catalog
from .catalog._money import format_amount, format_band, format_rupees, parse_rupees

if TYPE_CHECKING:
    from .service._bot import CareerBot
    from .service._inbound import Chat, Inbound, Moderation, Publisher
    from .service._settings import Settings
    from .store import PinnedCard, SQLiteStore, Store, open_store

__version__ = "0.1.0"

# The service and the store (asyncio, sqlite3, pydantic-settings) load on first use,
# so `careerbot ask` imports only what answering needs.
_LAZY = {
    "CareerBot": ".service._bot",
    **dict.fromkeys(("Chat", "Inbound", "Moderation", "Publisher"), ".service._inbound"),
    "Settings": ".service._settings",
    **dict.fromkeys(("PinnedCard", "SQLiteStore", "Store", "open_store"), ".store"),
}


def __getattr__(name: str) -> object:
    """Import a lazily loaded public name on first use (and keep it)."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "COMMANDS",
    "Action",
    "AdapterMissing",
    "Band",
    "Block",
    "Bullets",
    "CareerBot",
    "CareerbotError",
    "Catalog",
    "CatalogHolder",
    "Chat",
    "Command",
    "CommandSpec",
    "ContentError",
    "Divider",
    "Fields",
    "Inbound",
    "Level",
    "Moderation",
    "Outcome",
    "Paragraph",
    "PermissionMissing",
    "Picture",
    "PinnedCard",
    "PlainRenderer",
    "PlatformError",
    "Problem",
    "Publisher",
    "Reply",
    "Role",
    "SQLiteStore",
    "Settings",
    "SettingsError",
    "StartupError",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "__version__",
    "answer",
    "bundled_content_dir",
    "command_spec",
    "find_role",
    "format_amount",
    "format_band",
    "format_rupees",
    "load_catalog",
    "member_commands",
    "messages",
    "moderator_commands",
    "open_store",
    "parse",
    "parse_rupees",
    "render_plain",
]
