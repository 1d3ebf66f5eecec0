"""The Slack side of ``careerbot preview``: a message's blocks drawn as Slack draws them.

Each block of the exact message the app sends becomes HTML: the header, sections
with their mrkdwn turned into bold, italics, strike and code, context lines,
dividers, the chart image and the buttons (each carrying its command). The card
links to Slack's Block Kit Builder with the same blocks and copies the JSON.
"""

from __future__ import annotations

import functools
import html
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from careerbot_chat.adapter import Reply

from ._render import ACTION_RUN, Mode, SlackRenderer

if TYPE_CHECKING:
    from jinja2 import Environment

    from careerbot_chat.adapter import ChartSource, PreviewCard

__all__ = [
    "BUILDER",
    "PREVIEW_HOST",
    "block_html",
    "builder_link",
    "mrkdwn_html",
    "preview_card",
    "text_html",
]

BUILDER = "https://app.slack.com/block-kit-builder/#"
PREVIEW_HOST = "https://careerbot.preview.invalid"
"""Stands in for ``CAREERBOT_PUBLIC_URL`` when none is set, so the image block shows."""


_MRKDWN = (
    (re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])"), r"<b>\1</b>"),
    (re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])"), r"<i>\1</i>"),
    (re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])"), r"<s>\1</s>"),
    (re.compile(r"`([^`\n]+)`"), r"<code>\1</code>"),
)


def text_html(text: str) -> str:
    """Slack text (``&amp; &lt; &gt;`` escaped) as HTML text."""
    return html.escape(html.unescape(text), quote=False)


def mrkdwn_html(text: str) -> str:
    """mrkdwn as HTML: escaped first, so only the tags added here are tags."""
    out = text_html(text)
    for pattern, tag in _MRKDWN:
        out = pattern.sub(tag, out)
    return out


def _chart_key(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1].removesuffix(".png")


def block_html(block: dict[str, Any], chart_src: ChartSource) -> dict[str, Any]:
    """One block as what the template draws: its kind and its HTML parts."""
    kind = block["type"]
    if kind == "header":
        return {"kind": kind, "html": text_html(block["text"]["text"])}
    if kind == "section":
        return {"kind": kind, "html": mrkdwn_html(block["text"]["text"])}
    if kind == "context":
        return {"kind": kind, "html": " ".join(mrkdwn_html(e["text"]) for e in block["elements"])}
    if kind == "image":
        return {
            "kind": kind,
            "src": chart_src(_chart_key(block["image_url"])),
            "alt": block["alt_text"],
        }
    if kind == "actions":
        buttons = [
            {
                "label": text_html(e["text"]["text"]),
                "command": e["value"] if e["action_id"].startswith(ACTION_RUN) else "",
                "style": e.get("style", ""),
            }
            for e in block["elements"]
        ]
        return {"kind": kind, "buttons": buttons}
    return {"kind": kind}


@functools.cache
def _env() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("careerbot_slack"), autoescape=select_autoescape())


def builder_link(message: dict[str, Any]) -> str:
    """Slack's Block Kit Builder, opened on ``message``'s blocks."""
    return BUILDER + quote(json.dumps({"blocks": message["blocks"]}, separators=(",", ":")))


def preview_card(
    reply: Reply, chart_src: ChartSource, public_url: str | None = None
) -> PreviewCard:
    """``reply`` as the Slack app sends it (ephemeral, with Share), for the preview page."""
    from markupsafe import Markup

    from careerbot_chat.adapter import PreviewCard

    message = SlackRenderer(public_url=public_url or PREVIEW_HOST)(reply, Mode.EPHEMERAL)
    blocks = [block_html(block, chart_src) for block in message["blocks"]]
    for block in blocks:
        if "html" in block:
            block["html"] = Markup(block["html"])  # noqa: S704 - escaped by text_html
    body = _env().get_template("preview.html").render(blocks=blocks)
    copy = json.dumps(message, indent=2, ensure_ascii=False)
    return PreviewCard(
        "Slack", body, copy, "Copy JSON", builder_link(message), "Open in Block Kit Builder"
    )
