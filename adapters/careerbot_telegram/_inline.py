"""Inline mode: ``@BotName mlops`` offers the role card, the pay ladder and the pitfalls.

An empty query lists the roles (each as its role card). A query that names no role
offers the closest roles ("did you mean"), so something useful always appears.
"""

from __future__ import annotations

import hashlib

from telegram import InlineQueryResultArticle, InputTextMessageContent
from telegram.constants import InlineQueryLimit, InlineQueryResultLimit, ParseMode

from careerbot_chat import Catalog, Reply, Role, answer, find_role, parse

from . import _words as words
from ._render import TelegramRenderer, render

CARDS = (
    ("role", words.INLINE_ROLE),
    ("salary", words.INLINE_SALARY),
    ("pitfalls", words.INLINE_PITFALLS),
)
DESCRIPTION_MAX = 120


def inline_results(
    catalog: Catalog, query: str, renderer: TelegramRenderer = render
) -> list[InlineQueryResultArticle]:
    """The articles offered for ``query`` (at most ``InlineQueryLimit.RESULTS``)."""
    command = parse(f"/role {query}")
    words = command.args if command is not None else ()
    kinds: tuple[tuple[str, str], ...] = CARDS
    if not words:
        kinds = CARDS[:1]
        roles = list(catalog.roles)
    else:
        found = find_role(catalog, words)
        roles = [found.role] if found.role is not None else catalog.suggest(" ".join(words))
    results = [
        _article(catalog, role, kind, title, renderer) for role in roles for kind, title in kinds
    ]
    return results[: InlineQueryLimit.RESULTS]


def _article(
    catalog: Catalog, role: Role, kind: str, title: str, renderer: TelegramRenderer
) -> InlineQueryResultArticle:
    command = parse(f"/{kind} {role.slug}")
    assert command is not None
    reply: Reply = answer(command, catalog)
    rendered = renderer(reply)
    return InlineQueryResultArticle(
        id=_result_id(kind, role.slug),
        title=title.format(role=role.title),
        description=_short(role.summary),
        input_message_content=InputTextMessageContent(
            rendered.chunks[0], parse_mode=ParseMode.HTML
        ),
        reply_markup=rendered.keyboard,
    )


def _result_id(kind: str, slug: str) -> str:
    """``kind:slug``, or a digest when that would pass the 64-byte id limit."""
    result_id = f"{kind}:{slug}"
    if len(result_id.encode()) <= InlineQueryResultLimit.MAX_ID_LENGTH:
        return result_id
    return f"{kind}:{hashlib.sha256(slug.encode()).hexdigest()[:32]}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1].rstrip() + "…"
