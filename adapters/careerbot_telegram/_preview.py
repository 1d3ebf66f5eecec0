"""The Telegram side of ``careerbot preview``: a reply as a chat bubble with its keyboard.

The bubble holds the exact HTML the bot sends (the renderer's output, whose only tags
are ``b`` and ``i`` around escaped text), in Telegram's light theme; each inline
button carries the command it runs, so the page can show what pressing it does.
A chart reply is the photo with its caption, as ``sendPhoto`` shows it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from careerbot_chat import Reply

from ._chart import caption
from ._render import render, sends_photo

if TYPE_CHECKING:
    from jinja2 import Environment

    from careerbot_chat.preview import ChartSource, PreviewCard

PREVIEW_CSS = """
.tg-chat { background: #c4d9a9 linear-gradient(160deg, #d5e6b8, #a8c98f); padding: 12px;
  border-radius: 10px; }
.tg-bubble { background: #fff; border-radius: 12px 12px 12px 4px; padding: 7px 10px 8px;
  max-width: 440px; font: 15px/1.35 -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #000; white-space: pre-wrap; overflow-wrap: anywhere; box-shadow: 0 1px 1px #0002;
  margin-bottom: 6px; }
.tg-bubble img { display: block; width: 100%; border-radius: 8px; margin-bottom: 6px;
  background: #fff; }
.tg-keyboard { max-width: 460px; }
.tg-row { display: flex; gap: 4px; margin-top: 4px; }
.tg-button { flex: 1; background: #0000002e; color: #fff; border: 0; border-radius: 8px;
  padding: 8px 6px; font: 500 14px/1.2 -apple-system, "Segoe UI", Roboto, sans-serif;
  cursor: pointer; text-shadow: 0 1px 1px #0003; }
.tg-button:hover { background: #0000004a; }
"""


@functools.cache
def _env() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("careerbot_telegram"), autoescape=select_autoescape())


def preview_card(
    reply: Reply, chart_src: ChartSource, public_url: str | None = None
) -> PreviewCard:
    """``reply`` as the Telegram bot sends it, for the preview page."""
    from markupsafe import Markup

    from careerbot_chat.preview import PreviewCard

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
