"""The Telegram side of ``careerbot preview``: a reply as a chat bubble with its keyboard.

The bubble holds the exact HTML the bot sends (the renderer's output, whose only tags
are ``b`` and ``i`` around escaped text), in Telegram's light theme; each inline
button carries the command it runs, so the page can show what pressing it does.
A chart reply is the photo with its caption, as ``sendPhoto`` shows it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from careerbot_chat.adapter import Reply

from ._chart import caption
from ._render import render, sends_photo

if TYPE_CHECKING:
    from jinja2 import Environment

    from careerbot_chat.adapter import ChartSource, PreviewCard

__all__ = ["preview_card"]


@functools.cache
def _env() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("careerbot_telegram"), autoescape=select_autoescape())


def preview_card(
    reply: Reply, chart_src: ChartSource, public_url: str | None = None
) -> PreviewCard:
    """``reply`` as the Telegram bot sends it, for the preview page."""
    from markupsafe import Markup

    from careerbot_chat.adapter import PreviewCard

    env = _env()
    if sends_photo(reply):
        assert reply.picture is not None
        text = caption(reply)
        html = env.get_template("preview.html").render(
            photo=chart_src(reply.picture.key),
            alt=reply.picture.alt,
            chunks=[Markup(text)],  # noqa: S704 - the renderer's own escaped HTML
            rows=[],
        )
        return PreviewCard("Telegram", html, text, "Copy caption HTML")
    rendered = render(reply)
    rows = [] if rendered.keyboard is None else rendered.keyboard.inline_keyboard
    html = env.get_template("preview.html").render(
        photo=None,
        chunks=[Markup(chunk) for chunk in rendered.chunks],  # noqa: S704 - escaped by the renderer
        rows=[[(b.text, b.callback_data) for b in row] for row in rows],
    )
    return PreviewCard("Telegram", html, "\n\n".join(rendered.chunks), "Copy HTML")
