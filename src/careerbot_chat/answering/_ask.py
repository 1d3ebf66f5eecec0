"""Answer a question in words: read it (``_understand``), pick the card, narrow it, and
say plainly what the source does not cover. Pure and synchronous.

``understand`` turns a sentence into the ``Command`` the grammar would have given
(``/salary senior mlops-engineer``, ``/pitfalls mlops-engineer kubernetes``), or
``None`` when only a search fits. ``ask`` answers it. A follow-up ("and staff?")
is read against the command of the card it replies to.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .. import messages as msg
from ..catalog import _show as show
from ..catalog._content import Level, Role
from . import _cards as cards
from . import _derived as derived
from ._parser import Command
from ._registry import command_spec
from ._reply import Action, Block, Bullets, Fields, Outcome, Paragraph, Reply, label_separator
from ._understand import Gap, Reading, read
from ._vocabulary import TOPIC_SYNONYMS

if TYPE_CHECKING:
    from ..catalog._loader import Catalog
    from ._search import Hit

__all__ = ["SEARCH_HITS", "Understood", "ask", "compare", "has_topic", "narrow", "understand"]

SEARCH_HITS = 3
_NEEDS_ROLE = ("salary", "compare", "path", "faq", "pitfalls", "skills", "demand", "role")


@dataclass(frozen=True, slots=True)
class Understood:
    """What a sentence asks: a ``Command`` (or ``None``: a search) and how it was read."""

    command: Command | None
    reading: Reading
    kind: str
    """The answer's kind: a command name, ``compare``, ``path``, ``demand``,
    ``other_role`` or ``search``."""
    role: Role | None


def understand(text: str, catalog: Catalog, replying_to: Command | None = None) -> Understood:
    """Read ``text`` (a follow-up to ``replying_to`` when given) into a command or a search."""
    reading = read(text, derived.lexicon(catalog))
    context_role, context_level = _context(catalog, replying_to)
    role = reading.role or context_role
    kind = _decide(reading, replying_to, role is not None)
    if kind == "salary" and replying_to is not None and _same_card(reading):
        reading = replace(reading, level=reading.level or context_level)
    return Understood(_command(kind, reading, role), reading, kind, role)


def _same_card(reading: Reading) -> bool:
    return reading.level is None and reading.years is None and not reading.intents


def _context(catalog: Catalog, replying_to: Command | None) -> tuple[Role | None, str | None]:
    if replying_to is None:
        return None, None
    from ._answer import find_role

    found = find_role(catalog, replying_to.args)
    role, level = found.role, None
    if role is not None and replying_to.name == "salary":
        level = next((lvl.id for a in found.rest if (lvl := catalog.level(role, a))), None)
    return role, level


def _decide(reading: Reading, replying_to: Command | None, has_role: bool) -> str:
    intents = [i for i in reading.intents if i != "compare" or reading.others]
    asks_other = reading.others and not reading.role and not has_role
    if asks_other and "compare" not in intents and intents[:1] != ["path"]:
        return "other_role"  # "sre salary": a role we have no card for
    if not intents and reading.others and has_role:
        return "path"  # "backend to mlops"
    if intents:
        intent = intents[0]
        return {"help": "start"}.get(intent, intent)
    if reading.level is not None or reading.years is not None:
        return "salary"
    if replying_to is not None and replying_to.spec.needs_role:
        return replying_to.name
    if reading.topics:
        return "search"
    if has_role or reading.gaps:
        return "role"
    return "start"


def _command(kind: str, reading: Reading, role: Role | None) -> Command | None:
    name = {"compare": "salary", "path": "faq", "demand": "role"}.get(kind, kind)
    spec = command_spec(name)
    if spec is None:
        return None
    args: list[str] = []
    if kind in ("salary", "compare"):
        if reading.years is not None:
            args += [f"{reading.years:g}", "years"]
        elif reading.level is not None:
            args.append(reading.level)
    if role is not None and spec.needs_role:
        args.append(role.slug)
    if kind == "compare":
        args += ["vs", *(other.casefold() for other in reading.others)]
    if kind == "path":
        args += ["switch", *(other.casefold() for other in reading.others)]
    if kind == "demand":
        args.append("demand")
    if spec.needs_role:
        args += reading.topics
    return Command(spec, tuple(args))


def ask(
    text: str,
    catalog: Catalog,
    default_role: str | None = None,
    replying_to: Command | None = None,
) -> Reply:
    """The answer to ``text``: a card that answers it first, or the best snippets.

    An answered reply's ``asked`` is the command it was understood as (with the
    role), so Share and buttons repeat it without the sentence or its context.
    """
    understood = understand(text, catalog, replying_to)
    reply = _reply(understood, catalog, default_role)
    if reply.outcome is not Outcome.ANSWERED:
        return reply
    command = understood.command
    asked = command.text if command is not None else f"/ask {text}"
    return replace(reply, asked=asked)


def _reply(understood: Understood, catalog: Catalog, default_role: str | None) -> Reply:
    from ._answer import answer, catalog_reply, fallback_role, start_reply

    reading, kind = understood.reading, understood.kind
    role = understood.role
    if role is None and kind in _NEEDS_ROLE:
        role = fallback_role(catalog, default_role)
    if kind == "start":
        return start_reply()
    if kind == "other_role":
        return _other_role(catalog, reading)
    if role is None:
        if kind == "search":
            return _search(catalog, reading, None)
        assert understood.command is not None
        return answer(understood.command, catalog, default_role)
    reply = _answer_for(kind, reading, role, catalog)
    if kind == "roles":
        reply = catalog_reply(catalog)
    # Asked for no card in particular ("is remote work common in bangalore?"): what the
    # source lacks is the answer, so it comes first; otherwise it follows the answer.
    return _with_gaps(reply, reading, role, at=0 if kind in ("search", "role") else 1)


def _answer_for(kind: str, reading: Reading, role: Role, catalog: Catalog) -> Reply:
    from ._answer import salary_answer

    if kind == "salary":
        return salary_answer(catalog, role, reading)
    if kind == "compare":
        return compare(catalog, role, reading.level, reading.others)
    if kind == "path":
        return _path(role, reading)
    if kind == "faq":
        return cards.faq_card(role, reading.topics)
    if kind == "search":
        return _search(catalog, reading, role)
    card = "role" if kind in ("demand", "role", "roles") else kind
    words = ("demand", "open") if kind == "demand" else reading.topics
    return narrow(
        catalog, cards.card_for(catalog, role, card) or cards.role_card(role), words, role
    )


def _path(role: Role, reading: Reading) -> Reply:
    words = ("switch", *(o.casefold() for o in reading.others), *reading.topics)
    reply = cards.faq_card(role, words)
    notes: list[str] = []
    known = [path.origin for path in role.paths]
    for other in reading.others:
        if known and not any(other.casefold() in origin.casefold() for origin in known):
            notes.append(
                msg.GAP_PATH.format(
                    role=role.title, origin=other, known=msg.join_names(known, "and")
                )
            )
    if reading.unknown_level and reading.level is not None and role.ladder:
        lowest = role.ladder[0]
        notes.append(
            msg.GAP_LEVEL.format(level=reading.level, role=role.title, lowest=_with_years(lowest))
        )
    return _insert(reply, tuple(Paragraph(note) for note in notes), at=0)


def _with_years(level: Level) -> str:
    return f"{level.label} ({show.years(level.years)})" if level.years else level.label


def compare(catalog: Catalog, role: Role, level: str | None, others: tuple[str, ...]) -> Reply:
    """What ``role`` earns over ``others`` (its premiums), or a plain gap and what we know."""
    lines = []
    for premium in role.premiums:
        if level is not None and premium.level != level:
            continue
        over = " ".join(premium.over).casefold()
        if any(other.casefold() in over for other in others):
            lvl = role.level(premium.level)
            note = f" ({premium.note})" if premium.note else ""
            lines.append(f"{lvl.label if lvl else premium.level}: {show.premium(premium)}{note}")
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
    gap = Paragraph(msg.GAP_PREMIUM.format(role=role.title, other=other))
    hits = derived.search_index(catalog).search((*others, "pay"), role.slug, SEARCH_HITS)
    blocks = (gap, *_hit_blocks(hits)) if hits else (gap,)
    return Reply(title, blocks, cards.footer(role), actions, command="salary", role=role.slug)


def _hit_blocks(hits: list[Hit]) -> tuple[Block, ...]:
    return (Fields(tuple((hit.piece.label, hit.piece.text) for hit in hits)),)


def _search(catalog: Catalog, reading: Reading, role: Role | None) -> Reply:
    query = " ".join(reading.topics)
    hits = derived.search_index(catalog).search(
        _expand(reading.topics), role.slug if role else None
    )
    if hits:
        return _search_reply(catalog, query, hits)
    if role is not None and reading.gaps:
        return cards.role_card(role)  # the gap note says what the source lacks
    if role is not None:
        note = Paragraph(msg.GAP_NOTHING.format(words=msg.echo(query), role=role.title))
        return replace(_insert(cards.role_card(role), (note,), at=0), query=query[: msg.ECHO_MAX])
    title = msg.SEARCH_NONE.format(query=msg.echo(query))
    reply = cards.notice(title, msg.SEARCH_TRY, outcome=Outcome.NOT_FOUND, command="ask")
    return replace(reply, query=query[: msg.ECHO_MAX])


def _search_reply(catalog: Catalog, query: str, hits: list[Hit]) -> Reply:
    roles = [role for hit in hits if (role := catalog.get(hit.piece.slug)) is not None]
    many = len({role.slug for role in roles}) > 1
    items = tuple(
        (f"{role.title} · {hit.piece.label}" if many else hit.piece.label, hit.piece.text)
        for role, hit in zip(roles, hits, strict=True)
    )
    actions: list[Action] = []
    for role, hit in zip(roles, hits, strict=True):
        label = {name: text for text, name in cards.CARD_ACTIONS}.get(
            hit.piece.card, msg.BUTTON_ROLE
        )
        if hit.piece.card == "role":
            label = msg.BUTTON_ROLE_CARD
        action = Action(
            f"{role.title}: {label}" if many else label, f"/{hit.piece.card} {role.slug}"
        )
        if action not in actions:
            actions.append(action)
    footer = " · ".join(dict.fromkeys(cards.footer(role) for role in roles))
    title = msg.SEARCH_TITLE.format(query=msg.echo(query))
    return Reply(title, (Fields(items),), footer, tuple(actions), command="ask", query=query)


def _other_role(catalog: Catalog, reading: Reading) -> Reply:
    names = msg.join_names([role.title for role in catalog.roles[:8]], "and")
    text = msg.GAP_OTHER_ROLE.format(name=reading.others[0], roles=names)
    actions = tuple(Action(role.title, f"/role {role.slug}") for role in catalog.roles[:8])
    reply = cards.notice(
        msg.OTHER_ROLE_TITLE.format(name=reading.others[0]),
        text,
        outcome=Outcome.NOT_FOUND,
        command="ask",
        actions=actions,
    )
    return replace(reply, query=reading.others[0][: msg.ECHO_MAX])


def _expand(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for word in words for w in (word, *TOPIC_SYNONYMS.get(word, ()))))


def _stems(words: tuple[str, ...]) -> tuple[str, ...]:
    stems = []
    for word in _expand(words):
        stem = word[: max(4, len(word) - 3)] if len(word) > 6 else word.rstrip("s")
        if len(stem) >= 2:
            stems.append(stem)
    return tuple(stems)


def _mentions(text: str, stems: tuple[str, ...]) -> bool:
    folded = text.casefold()
    return any(stem in folded for stem in stems)


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Fields):
        return " ".join(f"{label} {value}" for label, value in block.items)
    if isinstance(block, Bullets):
        return " ".join((block.title or "", *block.items))
    return ""


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
    if first:
        return replace(reply, blocks=(Bullets(tuple(first)), *blocks))
    hits = [
        hit
        for hit in derived.search_index(catalog).search(_expand(words), role.slug, SEARCH_HITS)
        if hit.piece.card != reply.card
    ]
    if hits:
        also = Fields(tuple((hit.piece.label, hit.piece.text) for hit in hits))
        return replace(reply, blocks=(*reply.blocks, Paragraph(msg.ALSO_IN_SOURCE + ":"), also))
    if quiet:
        return reply
    note = Paragraph(msg.NOTHING_IN_CARD.format(words=msg.echo(" ".join(words))))
    return replace(reply, blocks=(note, *reply.blocks))


def has_topic(catalog: Catalog, role: Role, words: tuple[str, ...]) -> bool:
    """Whether any of ``words`` appears anywhere in ``role``'s cards."""
    return bool(derived.search_index(catalog).search(_expand(words), role.slug, 1))


def _gap_notes(reading: Reading, role: Role) -> list[str]:
    notes = []
    for gap in reading.gaps:
        notes.append(_gap_note(gap, role))
    return [note for note in dict.fromkeys(notes) if note]


def _gap_note(gap: Gap, role: Role) -> str:
    place = gap.word.upper() if gap.kind == "country" and len(gap.word) <= 3 else gap.word.title()
    if gap.kind == "city":
        return msg.GAP_CITY.format(place=place, region=role.region)
    if gap.kind == "country":
        return msg.GAP_COUNTRY.format(place=place, region=role.region)
    if gap.kind == "company":
        return msg.GAP_COMPANY.format(place=place, region=role.region)
    if gap.kind == "remote":
        return msg.GAP_REMOTE.format(role=role.title)
    if gap.kind == "year" and not role.as_of.startswith(gap.word):
        return msg.GAP_YEAR.format(year=gap.word, as_of=role.as_of)
    return ""


def _with_gaps(reply: Reply, reading: Reading, role: Role, at: int = 1) -> Reply:
    notes = tuple(Paragraph(note) for note in _gap_notes(reading, role))
    return _insert(reply, notes, at=at) if notes else reply


def _insert(reply: Reply, blocks: tuple[Block, ...], at: int) -> Reply:
    """``blocks`` after the first ``at`` blocks, so the answer's first line stays first."""
    if not blocks:
        return reply
    at = min(at, len(reply.blocks))
    return replace(reply, blocks=(*reply.blocks[:at], *blocks, *reply.blocks[at:]))
