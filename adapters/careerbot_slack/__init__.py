"""careerbot on Slack: slash commands answered at once, Block Kit cards, App Home.

The core finds ``ADAPTER`` by entry point (group ``careerbot_chat.adapters``): the
adapter's name, its ``SLACK_*`` settings, its ``--format slack`` renderer (the message
JSON), its edit pacing, its words and the ``careerbot slack-manifest`` command.
Importing this package imports no slack-bolt or slack_sdk; the other names below
import them on first use.
"""

from typing import TYPE_CHECKING

from careerbot_chat.adapter import lazy_names

from ._registration import ADAPTER
from ._settings import SlackSettings

if TYPE_CHECKING:
    from ._app import SlackPlatform, build_app, create_platform
    from ._home import home_view
    from ._manifest import manifest, manifest_yaml, slash_commands
    from ._moderation import SlackModeration
    from ._render import Mode, SlackRenderer, format_reply, render
    from ._socket import SocketModePlatform, run_dev
    from ._text import escape

_LAZY = {
    "SlackPlatform": "._app",
    "build_app": "._app",
    "create_platform": "._app",
    "home_view": "._home",
    "manifest": "._manifest",
    "manifest_yaml": "._manifest",
    "slash_commands": "._manifest",
    "SlackModeration": "._moderation",
    "Mode": "._render",
    "SlackRenderer": "._render",
    "format_reply": "._render",
    "render": "._render",
    "escape": "._text",
    "SocketModePlatform": "._socket",
    "run_dev": "._socket",
}


__getattr__ = lazy_names(__name__, _LAZY)
"""Import the platform SDK only when a name that needs it is used."""


__all__ = [
    "ADAPTER",
    "Mode",
    "SlackModeration",
    "SlackPlatform",
    "SlackRenderer",
    "SlackSettings",
    "SocketModePlatform",
    "build_app",
    "create_platform",
    "escape",
    "format_reply",
    "home_view",
    "manifest",
    "manifest_yaml",
    "render",
    "run_dev",
    "slash_commands",
]
