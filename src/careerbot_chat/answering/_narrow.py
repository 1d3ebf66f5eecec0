"""Put what was asked first: the lines of a card about some words, or lines from the
role's other cards, and what one role pays over others.

Part of composing an answer (read → decide → compose → render): these take a card
already built and a reading's words, and return a new ``Reply``. Pure.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .. import messages as msg
from ..catalog import _show as show
from ..catalog._content import Role
from . import _cards as cards
from . import _derived as derived
from ._reply import Action, Block, Bullets, Fields, Paragraph, Reply, label_separator
from ._vocabulary import TOPIC_SYNONYMS

if TYPE_CHECKING:
    from ..catalog._loader import Catalog
    from ._search import Hit

__all__ = [
    "SEARCH_HITS",
    "compare",
    "expand",
    "has_topic",
    "insert",
    "narrow",
    "set_aside",
    "without",
]

SEARCH_HITS = 3


def narrow(
    catalog: Catalog, reply: Reply, words: tuple[str, ...], role: Role, *, quiet: bool = True
) -> Reply:
    """``reply`` with the lines about ``words`` first; lines from the role's other cards
    when this one has none; unless ``quiet``, a short note when nothing mentions them.

    A pay answer keeps its band first: only lines from other cards are added to it.
    """
    if not words:
        return reply
    stems = _stems(words)
    first: list[str] = []
    blocks: list[Block] = []
    for block in reply.blocks:
        lines, left = _pull(block, stems)
        first += lines
        if left is not None:
            blocks.append(left)
    if first and reply.command == "salary":
        return reply
    first.sort(key=lambda line: -_matches(line, stems))  # the line about most words first
    if first:
        return replace(reply, blocks=(Bullets(tuple(first)), *blocks))
    hits = [
        hit
        for hit in derived.search_index(catalog).search(expand(words), role.slug, SEARCH_HITS)
        if hit.piece.card != reply.card
    ]
    if hits:
        also = Fields(tuple((hit.piece.label, hit.piece.text) for hit in hits))
        return replace(reply, blocks=(*reply.blocks, Paragraph(msg.ALSO_IN_SOURCE + ":"), also))
    if quiet:
        return reply
    note = Paragraph(msg.NOTHING_IN_CARD.format(words=msg.echo(" ".join(words))))
    return replace(reply, blocks=(note, *reply.blocks))


def set_aside(items: tuple[str, ...], words: tuple[str, ...]) -> tuple[str, ...]:
    """``items`` without those about ``words`` ("besides deploying models"): the items
    that mention the most of them go; the rest stay in order."""
    if not words:
        return items
    stems = _stems(words)
    scores = [_matches(item, stems) for item in items]
    best = max(scores, default=0)
    if not best:
        return items
    return tuple(item for item, score in zip(items, scores, strict=True) if score < best)


def without(reply: Reply, words: tuple[str, ...]) -> Reply:
    """``reply`` with the items of its lists about ``words`` set aside."""
    if not words:
        return reply
    blocks: list[Block] = []
    for block in reply.blocks:
        if isinstance(block, Bullets):
            block = Bullets(set_aside(block.items, words) or block.items, block.title)
        blocks.append(block)
    return replace(reply, blocks=tuple(blocks))


def has_topic(catalog: Catalog, role: Role, words: tuple[str, ...]) -> bool:
    """Whether any of ``words`` appears anywhere in ``role``'s cards."""
    return bool(derived.search_index(catalog).search(expand(words), role.slug, 1))


def compare(catalog: Catalog, role: Role, level: str | None, others: tuple[str, ...]) -> Reply:
    """What ``role`` earns over ``others`` (its premiums), or a plain gap and what we know."""
    lines = []
    for premium in role.premiums:
        if level is not None and premium.level != level:
            continue
        over = " ".join(premium.over).casefold()
        if any(other.casefold() in over for other in others):
            lvl = role.level(premium.level)
            lines.append(f"{lvl.label if lvl else premium.level}: {show.premium_noted(premium)}")
    other = msg.join_names(list(others), "and")
    title = msg.COMPARE_TITLE.format(
        role=role.title, other=other, region=role.region, as_of=role.as_of
    )
    actions = (
        Action(msg.BUTTON_SALARY, f"/salary {role.slug}"),
        Action(msg.BUTTON_FAQ, f"/faq {role.slug}"),
    )
    if lines:
        blocks: tuple[Block, ...] = (Bullets(tuple(lines)),)
        return Reply(title, blocks, cards.footer(role), actions, command="salary", role=role.slug)
    gap: tuple[Block, ...] = (Paragraph(msg.GAP_PREMIUM.format(role=role.title, other=other)),)
    hits = derived.search_index(catalog).search((*others, "pay"), role.slug, SEARCH_HITS)
    asked = role.level(level) if level is not None else None
    if asked is not None and not any(asked.label in hit.piece.text for hit in hits):
        band = msg.PAY_NEXT.format(level=f"{asked.label} {role.title}", band=show.band(asked))
        gap = (*gap, Paragraph(band))  # "and at mid level?" after "vs backend": that band
    blocks = (*gap, *_hit_blocks(hits)) if hits else gap
    return Reply(title, blocks, cards.footer(role), actions, command="salary", role=role.slug)


def _hit_blocks(hits: list[Hit]) -> tuple[Block, ...]:
    return (Fields(tuple((hit.piece.label, hit.piece.text) for hit in hits)),)


def expand(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` and their synonyms, each once, in order."""
    return tuple(dict.fromkeys(w for word in words for w in (word, *TOPIC_SYNONYMS.get(word, ()))))


def _stems(words: tuple[str, ...]) -> tuple[str, ...]:
    stems = []
    for word in expand(words):
        stem = word[: max(4, len(word) - 3)] if len(word) > 6 else word.rstrip("s")
        if len(stem) >= 2:
            stems.append(stem)
    return tuple(stems)


def _matches(text: str, stems: tuple[str, ...]) -> int:
    folded = text.casefold()
    return sum(stem in folded for stem in stems)


def _mentions(text: str, stems: tuple[str, ...]) -> bool:
    folded = text.casefold()
    return any(stem in folded for stem in stems)


def _pull(block: Block, stems: tuple[str, ...]) -> tuple[list[str], Block | None]:
    """The lines of ``block`` about ``stems``, and the block without them (or None)."""
    if isinstance(block, Bullets):
        hits = [item for item in block.items if _mentions(item, stems)]
        rest = tuple(item for item in block.items if item not in hits)
        return hits, (Bullets(rest, block.title) if rest else None)
    if isinstance(block, Fields):
        pairs = [pair for pair in block.items if _mentions(" ".join(pair), stems)]
        left = tuple(pair for pair in block.items if pair not in pairs)
        lines = [f"{label}{label_separator(label)}{value}" for label, value in pairs]
        return lines, (Fields(left) if left else None)
    if isinstance(block, Paragraph) and _mentions(block.text, stems):
        return [block.text], None
    return [], block


def insert(reply: Reply, blocks: tuple[Block, ...], at: int) -> Reply:
    """``blocks`` after the first ``at`` blocks, so the answer's first line stays first."""
    if not blocks:
        return reply
    at = min(at, len(reply.blocks))
    return replace(reply, blocks=(*reply.blocks[:at], *blocks, *reply.blocks[at:]))
