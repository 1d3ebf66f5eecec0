"""``careerbot chat``: the bot in a terminal, as a private chat on the same core.

The prompt reads in the main thread, so Ctrl-C interrupts it at once; Ctrl-C, Ctrl-D
(end of input) and a line saying ``quit`` or ``exit`` all quit with status 0. Only
warnings and errors are logged here: an INFO line before every answer would bury the
conversation.
"""

from __future__ import annotations

import asyncio
import logging
import sys

from .. import messages as msg
from ..answering._render_plain import render_plain
from ..catalog._loader import Catalog
from ._bot import CareerBot
from ._inbound import Chat, Inbound

__all__ = ["PROMPT", "console_chat"]

PROMPT = "you> "
QUIT = frozenset({"quit", "exit", "/quit", "/exit", "q", ":q"})
"""Lines that end the chat, as they end most terminal programs."""


def console_chat(catalog: Catalog) -> int:
    """Chat until Ctrl-D, Ctrl-C or ``quit``; return the exit status (0)."""
    root = logging.getLogger()
    root.setLevel(max(root.level, logging.WARNING))
    bot = CareerBot(catalog)
    chat = Chat("console", "local", is_group=False)
    print(
        f"{msg.BOT_NAME}: {msg.TAGLINE}\n"
        "Type /help, or just a role such as mlops. quit (or Ctrl-D) quits.\n"
    )
    with asyncio.Runner() as runner:
        try:
            while True:
                line = input(PROMPT)
                if line.strip().casefold() in QUIT:
                    return 0
                reply = runner.run(bot.handle(Inbound(line, chat, "console", addressed=True)))
                if reply is not None:
                    print(render_plain(reply), end="\n\n")
                    sys.stdout.flush()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
