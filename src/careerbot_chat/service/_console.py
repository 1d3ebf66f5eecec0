"""``careerbot chat``: the bot in a terminal, as a private chat on the same core."""

from __future__ import annotations

import asyncio
import sys

from .. import messages as msg
from ..answering._render_plain import render_plain
from ..catalog._loader import Catalog
from ._bot import CareerBot
from ._inbound import Chat, Inbound

PROMPT = "you> "


async def console_chat(catalog: Catalog) -> int:
    bot = CareerBot(catalog)
    chat = Chat("console", "local", is_group=False)
    print(
        f"{msg.BOT_NAME}: {msg.TAGLINE}\nType /help, or just a role such as mlops. Ctrl-D quits.\n"
    )
    while True:
        try:
            line = await asyncio.to_thread(input, PROMPT)
        except EOFError:
            print()
            return 0
        reply = await bot.handle(Inbound(line, chat, "console", addressed=True))
        if reply is not None:
            print(render_plain(reply), end="\n\n")
            sys.stdout.flush()
