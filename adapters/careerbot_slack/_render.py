"""Render a core ``Reply`` as a Slack message: Block Kit built from slack_sdk objects.

Blocks are ``slack_sdk.models.blocks`` objects, so ``to_dict()`` checks Slack's field
limits as the message is built; on top of that the renderer keeps a message within
50 blocks (slack_sdk does not check that), splits long text across sections, clips
headers and button labels, and escapes everything for mrkdwn. The result is the
message dict ``{"text": fallback, "blocks": [...]}`` that the app sends and that
``careerbot ask --format slack`` prints.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    ImageBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from careerbot_chat.adapter import (
    Bullets,
    Divider,
    Fields,
    Outcome,
    Paragraph,
    Picture,
    PlainRenderer,
    Reply,
    chart_url,
    command_spec,
    label_ends_sentence,
)
from careerbot_chat.adapter import messages as msg

from . import _words as texts
from ._text import ELLIPSIS, clip, escape, split

__all__ = [
    "ACTION_PIN",
    "ACTION_RUN",
    "ACTION_SHARE",
    "ALT_LIMIT",
    "BUTTONS_PER_ROW",
    "BUTTON_LIMIT",
    "FALLBACK_LIMIT",
    "HEADER_LIMIT",
    "MAX_BLOCKS",
    "RUN_PATTERN",
    "SECTION_LIMIT",
    "VALUE_LIMIT",
    "Message",
    "Mode",
    "SlackRenderer",
    "action_rows",
    "button",
    "buttons",
    "content_blocks",
    "fit",
    "footer",
    "format_reply",
    "header",
    "render",
    "share_command",
]

MAX_BLOCKS = 50
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
BUTTONS_PER_ROW = 25
VALUE_LIMIT = 2000
ALT_LIMIT = 2000
FALLBACK_LIMIT = 3000

ACTION_RUN = "careerbot_run"
"""Buttons that run a command carry ``careerbot_run_N`` (N: position) and the command text."""
ACTION_SHARE = "careerbot_share"
ACTION_PIN = "careerbot_pin"
RUN_PATTERN = re.compile(rf"^{ACTION_RUN}_\d+$")

Message = dict[str, Any]


class Mode(enum.Enum):
    """Who sees the message, which decides the extra buttons."""

    EPHEMERAL = "ephemeral"
    """Only the asker sees it: add "Share in channel"."""
    SHARED = "shared"
    """Shared for everyone: add "Pin" (moderators only, checked on press)."""
    POSTED = "posted"
    """Posted by the bot itself (pinned cards, App Home): only the card's own buttons."""


def share_command(reply: Reply) -> str | None:
    """The command Share repeats: exactly what the card answered; None if not shareable."""
    if reply.outcome is not Outcome.ANSWERED or not reply.asked:
        return None
    spec = command_spec(reply.command) if reply.command else None
    if spec is None or spec.moderator:
        return None
    return reply.asked


def _mrkdwn(text: str) -> Iterator[SectionBlock]:
    """Sections for already-escaped mrkdwn ``text``, split at line or word boundaries."""
    for piece in split(text, SECTION_LIMIT):
        yield SectionBlock(text=MarkdownTextObject(text=piece))


def _field_line(label: str, value: str) -> str:
    if label_ends_sentence(label):
        return f"*{escape(label)}*\n{escape(value)}"
    return f"*{escape(label)}:* {escape(value)}"


def content_blocks(reply: Reply) -> list[Block]:
    """The reply's own blocks, without header, footer or buttons."""
    blocks: list[Block] = []
    for block in reply.blocks:
        if isinstance(block, Paragraph):
            blocks.extend(_mrkdwn(escape(block.text)))
        elif isinstance(block, Fields):
            blocks.extend(_mrkdwn("\n".join(_field_line(k, v) for k, v in block.items)))
        elif isinstance(block, Bullets):
            lines = [f"*{escape(block.title)}*"] if block.title else []
            lines += [f"• {escape(item)}" for item in block.items]
            blocks.extend(_mrkdwn("\n".join(lines)))
        elif isinstance(block, Divider):
            blocks.append(DividerBlock())
    return blocks


def header(title: str) -> HeaderBlock:
    text = clip(escape(title.strip()), HEADER_LIMIT) or msg.BOT_NAME
    return HeaderBlock(text=PlainTextObject(text=text))


def title_blocks(title: str) -> list[Block]:
    """The reply's title: a header block, or sections when it is longer than a header
    holds. An answer's first line is often a whole sentence, and a header would cut it."""
    text = escape(title.strip())
    if len(text) <= HEADER_LIMIT:
        return [header(title)]
    return list(_mrkdwn(text))


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=clip(escape(label.strip()), BUTTON_LIMIT) or ELLIPSIS),
        action_id=action_id,
        value=value,
        style=style,
    )


def buttons(reply: Reply, mode: Mode) -> list[ButtonElement]:
    """The card's command buttons, then Share or Pin as the mode allows."""
    found = [
        button(action.label, f"{ACTION_RUN}_{index}", action.command)
        for index, action in enumerate(reply.actions)
        if 0
        < len(action.command)
        <= VALUE_LIMIT  # a button that can't carry its command is dropped
    ]
    shared = share_command(reply)
    if mode is Mode.EPHEMERAL and shared is not None:
        found.append(button(texts.SHARE_LABEL, ACTION_SHARE, shared, style="primary"))
    if mode is Mode.SHARED and shared is not None and reply.role is not None:
        found.append(button(texts.PIN_LABEL, ACTION_PIN, f"/pin {reply.role}"))
    return found


def action_rows(elements: Sequence[ButtonElement]) -> list[Block]:
    return [
        ActionsBlock(elements=list(elements[start : start + BUTTONS_PER_ROW]))
        for start in range(0, len(elements), BUTTONS_PER_ROW)
    ]


def footer(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(escape(text), SECTION_LIMIT))])


def fit(head: list[Block], body: list[Block], tail: list[Block], limit: int) -> list[Block]:
    """``head + body + tail`` within ``limit`` blocks: cut the body and say so, never fail."""
    if len(head) + len(body) + len(tail) <= limit:
        return [*head, *body, *tail]
    room = max(0, limit - len(head) - len(tail) - 1)
    note = ContextBlock(elements=[MarkdownTextObject(text=escape(texts.TRUNCATED))])
    return [*head, *body[:room], note, *tail][:limit]


class SlackRenderer:
    """Render a ``Reply`` as a Slack message dict. Configure once; calls only transform.

    Every call builds a new message (the caller may change it). The one answer worth
    keeping, a slash command's response body, is cached by ``_listeners.AnswerBodies``.
    """

    def __init__(self, *, max_blocks: int = MAX_BLOCKS, public_url: str | None = None) -> None:
        self.max_blocks = max_blocks
        self.public_url = public_url
        """Where Slack fetches chart images (``CAREERBOT_PUBLIC_URL``); None: no images."""
        self._plain = PlainRenderer(show_actions=False)

    def __call__(self, reply: Reply, mode: Mode = Mode.EPHEMERAL) -> Message:
        return {
            "text": self.fallback(reply),
            "blocks": [block.to_dict() for block in self.blocks(reply, mode)],
        }

    def blocks(self, reply: Reply, mode: Mode = Mode.EPHEMERAL) -> list[Block]:
        """The message as slack_sdk block objects, within ``max_blocks``."""
        tail: list[Block] = [footer(reply.footer)] if reply.footer else []
        tail += action_rows(buttons(reply, mode))
        body = content_blocks(reply) + self.image(reply.picture)
        return fit(title_blocks(reply.title), body, tail, self.max_blocks)

    def image(self, picture: Picture | None) -> list[Block]:
        """The chart as an image block, when the server's public URL is known."""
        if picture is None or self.public_url is None:
            return []
        return [
            ImageBlock(
                image_url=chart_url(self.public_url, picture.key),
                alt_text=clip(picture.alt, ALT_LIMIT),
            )
        ]

    def fallback(self, reply: Reply) -> str:
        """The plain ``text`` shown in notifications and read by screen readers."""
        return clip(escape(self._plain(reply).strip()), FALLBACK_LIMIT) or msg.BOT_NAME


render = SlackRenderer()


def format_reply(reply: Reply) -> str:
    """The message (fallback ``text`` and ``blocks``) the app sends for ``reply``, as JSON.

    What ``careerbot ask --format slack`` prints: paste it into Slack's Block Kit
    Builder to preview the card.
    """
    return json.dumps(render(reply, Mode.EPHEMERAL), indent=2, ensure_ascii=False)
