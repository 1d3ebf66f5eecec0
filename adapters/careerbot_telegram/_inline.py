"""Inline mode: ``@BotName mlops`` offers the role card, the pay ladder and the pitfalls.

A query in words (``@BotName senior mlops ka salary``) is answered first, as a
private chat would answer it, then the cards of the role it names. An empty query
lists the roles (each as its role card). A query that names no role offers the
closest roles ("did you mean"), so something useful always appears.
"""

from __future__ import annotations

import hashlib

from telegram import InlineQueryResultArticle, InputTextMessageContent, LinkPreviewOptions
from telegram.constants import InlineQueryLimit, InlineQueryResultLimit, ParseMode

from careerbot_chat.adapter import (
    Catalog,
    Outcome,
    Reply,
    Role,
    answer,
    find_role,
    parse,
    render_plain,
)

from . import _words as words
from ._render import TelegramRenderer, render

__all__ = ["CARDS", "DESCRIPTION_MAX", "inline_results"]

CARDS = (
    ("role", words.INLINE_ROLE),
    ("salary", words.INLINE_SALARY),
    ("pitfalls", words.INLINE_PITFALLS),
)
DESCRIPTION_MAX = 120
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
"""Spelled out (not left to ``Defaults``): results may ride in a webhook answer."""


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
    asked = _asked(catalog, query, renderer) if words else None
    if asked is not None and asked.id not in {result.id for result in results}:
        results.insert(0, asked)
    return results[: InlineQueryLimit.RESULTS]


def _asked(
    catalog: Catalog, query: str, renderer: TelegramRenderer
) -> InlineQueryResultArticle | None:
    """The answer to ``query`` read as a question in words, when it has one."""
    command = parse(query, plain=True)
    if command is None:
        return None
    reply = answer(command, catalog)
    if reply.outcome is not Outcome.ANSWERED or not reply.asked:
        return None
    rendered = renderer(reply)
    first = next((line for line in render_plain(reply).splitlines()[1:] if line.strip()), "")
    return InlineQueryResultArticle(
        id=_asked_id(reply.asked),
        title=reply.title,
        description=_short(first),
        input_message_content=InputTextMessageContent(
            rendered.chunks[0], parse_mode=ParseMode.HTML
        ),
        reply_markup=rendered.keyboard,
    )


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
            rendered.chunks[0], parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
        ),
        reply_markup=rendered.keyboard,
    )


def _asked_id(asked: str) -> str:
    """``kind:slug`` for a plain card (so it is offered once), else a digest of the command."""
    words = asked.removeprefix("/").split()
    if len(words) == 2:
        return _result_id(*words)
    return _result_id("ask", hashlib.sha256(asked.encode()).hexdigest()[:32])


def _result_id(kind: str, slug: str) -> str:
    """``kind:slug``, or a digest when that would pass the 64-byte id limit."""
    result_id = f"{kind}:{slug}"
    if len(result_id.encode()) <= InlineQueryResultLimit.MAX_ID_LENGTH:
        return result_id
    return f"{kind}:{hashlib.sha256(slug.encode()).hexdigest()[:32]}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1].rstrip() + "…"
