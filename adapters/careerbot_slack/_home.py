"""The App Home tab: the role catalogue with a button per role, or one opened card."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from careerbot_chat.adapter import Catalog, Reply, messages

from . import _words as texts
from ._render import ACTION_RUN, Mode, SlackRenderer, action_rows, button, header
from ._text import clip, escape

__all__ = ["ACTION_HOME", "MAX_HOME_BLOCKS", "SUMMARY_LIMIT", "catalogue_blocks", "home_view"]

MAX_HOME_BLOCKS = 100
SUMMARY_LIMIT = 300
ACTION_HOME = "careerbot_home"
"""The "All roles" button that brings the catalogue back."""


def _role_row(index: int, title: str, summary: str, slug: str) -> SectionBlock:
    text = f"*{escape(title)}*\n{clip(escape(summary), SUMMARY_LIMIT)}"
    return SectionBlock(
        text=MarkdownTextObject(text=text),
        accessory=button(texts.HOME_OPEN, f"{ACTION_RUN}_{index}", f"/role {slug}"),
    )


def catalogue_blocks(catalog: Catalog) -> list[Block]:
    """Header, a line on how to ask, then one row per role (as many as a tab holds)."""
    blocks: list[Block] = [
        header(messages.CATALOG_TITLE.format(count=len(catalog))),
        SectionBlock(text=MarkdownTextObject(text=escape(texts.HOME_INTRO))),
        DividerBlock(),
    ]
    room = MAX_HOME_BLOCKS - len(blocks)
    if len(catalog) == 0:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=escape(messages.CATALOG_EMPTY))))
    for index, role in enumerate(catalog.roles[:room]):
        blocks.append(_role_row(index, role.title, role.summary, role.slug))
    return blocks


_CARD = SlackRenderer(max_blocks=MAX_HOME_BLOCKS - 1)


def home_view(catalog: Catalog, card: Reply | None = None) -> dict[str, Any]:
    """The Home tab as a ``views.publish`` view dict, validated by slack_sdk."""
    if card is None:
        blocks = catalogue_blocks(catalog)
    else:
        back = action_rows([button(texts.HOME_BACK, ACTION_HOME, "/roles")])
        blocks = [*back, *_CARD.blocks(card, Mode.POSTED)]
    return View(type="home", blocks=blocks).to_dict()
