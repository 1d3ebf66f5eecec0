"""careerbot on Slack: slash commands answered at once, Block Kit cards, App Home.

The module-level API the core calls (``careerbot_chat.service._plugins``):

- ``format_reply(reply)``: the message JSON ``careerbot ask --format slack`` prints;
- ``manifest_yaml(url)``: the Slack app manifest (``careerbot slack-manifest``);
- ``run_dev(settings, bot)``: Socket Mode (``careerbot run slack``);
- ``create_platform(settings, bot)``: the ``POST /slack/events`` route for
  ``careerbot serve``.
"""

from __future__ import annotations

import json

from careerbot_chat import Reply

from ._app import SlackPlatform, build_app, create_platform, run_dev
from ._home import home_view
from ._manifest import manifest, manifest_yaml, slash_commands
from ._moderation import SlackModeration
from ._preview import PREVIEW_CSS, preview_card
from ._render import Mode, SlackRenderer, render
from ._text import escape


def format_reply(reply: Reply) -> str:
    """The message (fallback ``text`` and ``blocks``) the app sends for ``reply``, as JSON.

    Paste it into Slack's Block Kit Builder to preview the card.
    """
    return json.dumps(render(reply, Mode.EPHEMERAL), indent=2, ensure_ascii=False)


__all__ = [
    "Mode",
    "PREVIEW_CSS",
    "SlackModeration",
    "SlackPlatform",
    "SlackRenderer",
    "build_app",
    "create_platform",
    "escape",
    "format_reply",
    "home_view",
    "manifest",
    "manifest_yaml",
    "preview_card",
    "render",
    "run_dev",
    "slash_commands",
]
