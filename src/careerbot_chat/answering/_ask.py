"""Compose the answer to a question in words, once ``_decide`` has understood it.

``sentence_reply`` answers first and only what was asked (``_focus``): pay in a
sentence, the member's own figure placed against the band, the lines about the words
asked, what the source relates another role to this one, small talk in one line; what
the source does not cover (a city, a company, a tool it never names) comes first. A
search answers words that name no card. When the sentence is simply a command
(``Understood.command``) it returns ``None`` and ``_answer`` answers that command,
so this module never calls back up. Pure and synchronous.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .. import messages as msg
from ..catalog import _show as show
from ..catalog._content import Level, Role
from . import _cards as cards
from . import _derived as derived
from ._compose import catalog_reply, salary_answer, start_reply
from ._decide import Kind, Understood, fallback_role
from ._focus import (
    SUPPORT,
    demand_reply,
    duties_reply,
    focus,
    pay_reply,
    relating,
    relating_reply,
    short_reply,
)
from ._focus import lines_reply as _lines_reply
from ._focus import related as related_lines
from ._narrow import compare, expand, insert, narrow, without
from ._reply import Action, Fields, Outcome, Paragraph, Reply
from ._understand import Gap, Reading
from ._vocabulary import FIRMS

if TYPE_CHECKING:
    from ..catalog._loader import Catalog
    from ._search import Hit

__all__ = ["sentence_reply"]

_CHAT = {"thanks": msg.THANKS_REPLY, "hello": msg.HELLO_REPLY, "ok": msg.OK_REPLY}

_NEEDS_ROLE = (
    Kind.SALARY,
    Kind.COMPARE,
    Kind.PATH,
    Kind.FAQ,
    Kind.PITFALLS,
    Kind.SKILLS,
    Kind.DEMAND,
    Kind.ROLE,
    Kind.SOURCE,
)


def sentence_reply(
    understood: Understood, catalog: Catalog, default_role: str | None
) -> Reply | None:
    """The reply to a sentence understood as ``understood``; ``None`` when the answer
    is that of its command (``understood.command``), for the caller to give."""
    reply = _sentence_reply(understood, catalog, default_role)
    role = understood.role or fallback_role(catalog, default_role)
    return _with_count(reply, understood, role) if reply is not None else None


_COUNTED = (Kind.SKILLS, Kind.PITFALLS, Kind.SALARY, Kind.ROLE, Kind.PATH, Kind.FAQ)
"""Answers that do not say how many openings there are, when that is asked too."""


def _with_count(reply: Reply, understood: Understood, role: Role | None) -> Reply:
    """``reply`` with the openings as its second line, when they were asked beside it
    ("what skills, and how many openings?"): each thing asked is answered."""
    if not understood.reading.asks_count or understood.kind not in _COUNTED or role is None:
        return reply
    if (demand := cards.demand_line(role)) is None or not reply.blocks:
        return reply
    line = msg.DEMAND_LINE.format(role=role.title, demand=demand, region=role.region)
    return replace(reply, blocks=(Paragraph(line), *reply.blocks[: SUPPORT - 1]))


def _sentence_reply(
    understood: Understood, catalog: Catalog, default_role: str | None
) -> Reply | None:
    reading, kind = understood.reading, understood.kind
    role = understood.role
    if role is None and kind in _NEEDS_ROLE:
        role = fallback_role(catalog, default_role)
    if kind is Kind.START:
        return start_reply()
    if kind is Kind.CHAT:
        return short_reply(_CHAT[reading.chat])
    if kind is Kind.PRIVACY:
        return short_reply(msg.PRIVACY_REPLY)
    if kind is Kind.ROLES:
        return _roles(catalog)
    if kind is Kind.OTHER_ROLE:
        known = fallback_role(catalog, default_role)
        first, *more = reading.others
        related = (
            relating_reply(known, first, [], tuple(more), reading.intents)
            if known is not None
            else None
        )
        return related or _other_role(catalog, reading)
    if role is None:
        if kind is not Kind.SEARCH:
            return None
        found = _search(catalog, reading, None)
        known = fallback_role(catalog, default_role)  # whose source the gaps are about
        return focus(_with_gaps(found, reading, known, at=0) if known else found, None)
    gaps = tuple(_gap_notes(reading, role))
    if kind is Kind.SOURCE:  # "which year are these numbers from?", then the band itself
        sources = msg.join_names([cards.footer_source(source) for source in role.sources], "and")
        line = msg.SOURCE_ANSWER.format(region=role.region, as_of=role.as_of, sources=sources)
        pay = pay_reply(role, replace(reading, topics=(), gaps=()))
        return _lines_reply(role, [*gaps, line, pay.title], "role")
    if kind is Kind.SALARY:
        return pay_reply(
            role, reading, gaps, _switching(role, reading) or _skill_too(role, reading)
        )
    nearest = kind is Kind.DEMAND and (
        any(gap.kind == "topic" for gap in reading.gaps)  # "Feast in these jobs?"
        or _off_demand(role, reading.topics)  # "are real clusters important?"
    )
    if kind is Kind.DEMAND and not (nearest and reading.topics):  # "Feast in these jobs?"
        companies = ("gcc",) if any(gap.kind == "company" for gap in reading.gaps) else ()
        return demand_reply(role, (*expand(reading.topics), *companies), gaps)
    if kind in (Kind.COMPARE, Kind.PATH) and reading.others:
        other = reading.others[0]
        if kind is Kind.COMPARE and reading.asks_unit and relating(role, other):
            return _in_rupees(role, reading, other, gaps)  # "how much is that in lakhs?"
        about = related_lines(role, reading.topics) if kind is Kind.COMPARE else []
        if about and not reading.asks_why:  # "is the talent pool smaller than DevOps'?"
            lines = [*about, *relating(role, other)]
            if len(reading.others) > 1:  # "DevOps vs SRE, same?": the lines naming both
                names = [name.casefold() for name in reading.others]
                lines.sort(key=lambda line: not all(name in line.casefold() for name in names))
            lines = [*gaps, *lines]
            return _lines_reply(role, list(dict.fromkeys(lines)), "role", support=SUPPORT + 1)
        why = kind is Kind.COMPARE and reading.asks_why  # "why so much?": the reasons first
        if reading.asks_more or why or (kind is Kind.COMPARE and not relating(role, other)):
            gap = () if relating(role, other) else (_no_comparison(role, other),)
            return pay_reply(role, reading, (*gaps, *gap))  # "a bump moving from DevOps?"
        if kind is Kind.COMPARE and reading.asks_difference and "salary" not in reading.intents:
            lead = [*gaps, f"{role.title}: {role.summary}"]
            return relating_reply(role, other, lead) or focus(
                _with_gaps(_answer_for(kind, reading, role, catalog), reading, role, at=0), role
            )
    if kind is Kind.ROLE and reading.intents and not reading.topics:
        return duties_reply(role, gaps, reading.excluded)
    if kind is Kind.SKILLS and (route := _route(role, reading.others)):
        skills = cards.card_for(catalog, role, "skills") or cards.role_card(role)
        steps = (*gaps, route)  # "what to learn?" from backend: the source's steps first
        return focus(insert(skills, tuple(Paragraph(line) for line in steps), at=0), role)
    if kind is Kind.SKILLS and reading.asks_enough and (asked := _skills_named(role, reading)):
        rest = [skill for skill in role.competencies if skill not in asked]
        lines = [*gaps, f"{msg.SKILLS_EXPECTED}: {'; '.join(asked)}"]
        if rest:  # "only Docker and Python enough?": what else panels expect, next
            lines.append(f"{msg.ALSO_EXPECTED}: {'; '.join(rest)}")
        return _lines_reply(role, lines, "skills")
    if (nearest or kind in (Kind.ROLE, Kind.SKILLS, Kind.PITFALLS)) and reading.topics:
        best = _best_lines(catalog, role, reading.topics)
        if best:  # the lines about the words asked, from whichever card holds them
            card = cards.card_for(catalog, role, "role" if kind is Kind.ROLE else kind.value)
            base = card or cards.role_card(role)
            lines = [*gaps, *best]
            return focus(replace(base, blocks=tuple(Paragraph(line) for line in lines)), role)
        unknown = _unknown(catalog, reading.topics) if kind is Kind.ROLE and not gaps else []
        if unknown and len(unknown) == len(reading.topics):  # "is Rust part of the job?"
            note = msg.GAP_NOTHING.format(words=msg.echo(" ".join(unknown)), role=role.title)
            reply = _answer_for(kind, replace(reading, topics=()), role, catalog)
            return focus(insert(reply, (Paragraph(note),), at=0), role)
    reply = without(_answer_for(kind, reading, role, catalog), reading.excluded)
    if kind is Kind.ROLE and not (reading.intents or reading.topics or reading.gaps):
        return reply  # the role's name alone asks for its card, as /role does
    # What the source lacks comes first: a skimming reader must not take the
    # India-wide figures that follow as the answer about Pune.
    return focus(_with_gaps(reply, reading, role, at=0), role)


def _skills_named(role: Role, reading: Reading) -> list[str]:
    """The skills panels expect that name a word asked ("kubectl", "Docker")."""
    words = set(reading.topics)
    return [
        skill
        for skill in role.competencies
        if not words.isdisjoint(_WORD.findall(skill.casefold()))
    ]


_WORD = re.compile(r"[a-z0-9]+")


def _off_demand(role: Role, words: tuple[str, ...]) -> bool:
    """Words asked with a hiring cue that no line on demand or why now holds, though the
    source's other lines may ("is real cluster experience important?")."""
    stems = tuple(word[:5] for word in expand(words) if len(word) > 2)
    lines = [cards.demand_line(role) or "", *cards.why_now_lines(role)]
    if not stems or any(stem in line.casefold() for line in lines for stem in stems):
        return False
    work = [*role.competencies, *role.duties, *(p.mistake for p in role.pitfalls)]
    work += [tool for chain in role.toolchains for tool in chain.tools]
    return any(stem in line.casefold() for line in work for stem in stems)


def _unknown(catalog: Catalog, words: tuple[str, ...]) -> list[str]:
    """Words asked about that no list and no card knows, at least three letters long:
    when nothing in the source matches them either, the source does not cover them."""
    known = derived.lexicon(catalog).known
    return [word for word in words if word not in known and len(word) >= 3 and word.isalpha()]


def _answer_for(kind: Kind, reading: Reading, role: Role, catalog: Catalog) -> Reply:
    if kind is Kind.SALARY:
        return salary_answer(catalog, role, reading)
    if kind is Kind.COMPARE:
        return compare(catalog, role, reading.level, reading.others)
    if kind is Kind.PATH:
        return _path(role, reading)
    if kind is Kind.FAQ:
        return cards.faq_card(role, reading.topics)
    if kind is Kind.SEARCH:
        return _search(catalog, reading, role)
    words = ("demand", "open") if kind is Kind.DEMAND else _worded(reading.topics)
    card = kind.value
    if kind in (Kind.DEMAND, Kind.ROLE, Kind.ROLES):  # narrowed by words: every part listed
        card = cards.FULL_ROLE if words else "role"
    return narrow(
        catalog, cards.card_for(catalog, role, card) or cards.role_card(role), words, role
    )


def _worded(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words``, or none when each is of one or two letters ("up" in "what trips people
    up"): those alone would narrow a card to any line holding them."""
    return words if any(len(word) > 2 for word in words) else ()


def _roles(catalog: Catalog) -> Reply:
    """The roles known, in a sentence first; their cards a tap away (/roles lists them)."""
    full = catalog_reply(catalog)
    shown = catalog.roles[: len(full.actions)]
    more = "" if len(shown) == len(catalog) else msg.ROLES_MORE
    names = msg.join_names([role.title for role in shown], "and")
    title = msg.ROLES_ANSWER.format(names=names, more=more)
    return replace(full, title=title, blocks=(Paragraph(msg.ROLES_ASK),))


def _best_lines(catalog: Catalog, role: Role, words: tuple[str, ...]) -> list[str]:
    """The role's lines that best match ``words``, best first (at most three); items of
    one list found together share a line ("Strong candidates speak about: a; b; c")."""
    if not _worded(words):
        return []  # "what trips people up": "up" alone finds any line
    hits = derived.search_index(catalog).search(expand(words), role.slug, 2 * BEST_LINES)
    by_label: dict[str, list[str]] = {}
    for hit in hits:
        by_label.setdefault(hit.piece.label, [])
        if hit.piece.text not in by_label[hit.piece.label]:
            by_label[hit.piece.label].append(hit.piece.text)
    lines = [f"{label}: {'; '.join(texts)}" for label, texts in by_label.items()]
    for pitfall in role.pitfalls:  # a pitfall found: what strong candidates do instead, next
        mistake = f"{msg.PITFALL}: {pitfall.mistake}"
        if mistake in lines and pitfall.strong_candidates_discuss:
            remedy = f"{msg.STRONG_CANDIDATES}: {'; '.join(pitfall.strong_candidates_discuss)}"
            lines = [line for line in lines if not line.startswith(msg.STRONG_CANDIDATES_SHORT)]
            lines.insert(lines.index(mistake) + 1, remedy)
    return lines[:BEST_LINES]


BEST_LINES = 3


def _route(role: Role, others: tuple[str, ...]) -> str:
    """The source's route into ``role`` from one of ``others``, as one line; or ``""``."""
    for path in role.paths:
        if any(other.casefold() in path.origin.casefold() for other in others):
            note = f" ({path.note})" if path.note else ""
            return f"{msg.FROM_ROLE.format(origin=path.origin)}{note}: {'; '.join(path.steps)}."
    return ""


def _in_rupees(role: Role, reading: Reading, other: str, gaps: tuple[str, ...]) -> Reply:
    """A premium asked in rupees or lakhs: what the source gives only as a percentage
    said first, then every premium over ``other`` as the source gives it."""
    name = other.casefold()
    over = [p for p in role.premiums if any(name in o.casefold() for o in p.over)]
    if reading.level is not None:
        over.sort(key=lambda p: p.level != reading.level)
    notes = [
        msg.GAP_PREMIUM_UNIT.format(
            level=(level.label if (level := role.level(p.level)) else p.level),
            role=role.title,
            premium=show.premium(p),
        )
        for p in over[:1]
        if p.amount is None
    ]
    figures = [line for line in relating(role, other) if "%" in line or "₹" in line]
    lines = [*gaps, *notes, *figures]
    return _lines_reply(role, list(dict.fromkeys(lines)), "role", support=SUPPORT + 1)


def _no_comparison(role: Role, other: str) -> str:
    return msg.GAP_COMPARE_NONE.format(role=role.title, other=other)


def _switching(role: Role, reading: Reading) -> tuple[str, ...]:
    """A pay question that is also about switching or what to learn: the source's route
    in, after the band ("5 yoe devops, how much would I get and what to learn?")."""
    if not ({"path", "skills"} & set(reading.intents)) or not reading.others:
        return ()
    others = [other.casefold() for other in reading.others]
    routes = [p for p in role.paths if any(o in p.origin.casefold() for o in others)]
    if routes and "skills" in reading.intents:
        return (_route(role, reading.others),)  # "what should I learn?": the steps, too
    if routes:
        return tuple(f"{p.origin}: {p.note}." if p.note else p.origin for p in routes[:1])
    if "skills" not in reading.intents or not role.paths:
        return ()
    path = role.paths[0]  # from DevOps: no route of its own; the one the source gives
    known = msg.join_names([p.origin for p in role.paths], "and")
    gap = msg.GAP_PATH.format(role=role.title, origin=reading.others[0], known=known)
    steps = msg.LABELLED.format(
        label=msg.FROM_ROLE.format(origin=path.origin), text="; ".join(path.steps)
    )
    return gap, f"{steps}."


def _skill_too(role: Role, reading: Reading) -> tuple[str, ...]:
    """A pay question that also asks whether a skill is needed ("sr mlops ctc? and k8s
    reqd?"): the skills panels expect that name it, after the band."""
    if "skills" not in reading.intents or reading.others:
        return ()
    asked = _skills_named(role, replace(reading, topics=tuple(expand(reading.topics))))
    if not asked and not reading.topics and not reading.about_self:
        asked = list(role.competencies[:_SKILLS_BESIDE_PAY])  # "sr pay? and which skills?"
    return (f"{msg.SKILLS_EXPECTED}: {'; '.join(asked)}.",) if asked else ()


_SKILLS_BESIDE_PAY = 3
"""The first skills panels expect, after the band, when a pay question asks which too."""


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
    return insert(reply, tuple(Paragraph(note) for note in notes), at=0)


def _with_years(level: Level) -> str:
    return f"{level.label} ({show.years(level.years)})" if level.years else level.label


def _search(catalog: Catalog, reading: Reading, role: Role | None) -> Reply:
    query = " ".join(reading.topics)
    hits = derived.search_index(catalog).search(expand(reading.topics), role.slug if role else None)
    if hits:
        return _search_reply(catalog, query, hits)
    if role is not None and reading.gaps:
        return cards.role_card(role)  # the gap note says what the source lacks
    if role is not None:
        note = Paragraph(msg.GAP_NOTHING.format(words=msg.echo(query), role=role.title))
        return replace(insert(cards.role_card(role), (note,), at=0), query=query[: msg.ECHO_MAX])
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


def _gap_notes(reading: Reading, role: Role) -> list[str]:
    notes = []
    forms = [gap.word for gap in reading.gaps if gap.kind == "pay_form"]
    if "ctc" in forms:  # "is that CTC?", "CTC or in-hand?": what the bands are, unsaid
        notes.append(msg.GAP_PAY_BASIS.format(role=role.title))
    for kind, template in (("topic", msg.GAP_TOPIC), ("pay_form", msg.GAP_PAY_FORM)):
        words = [gap.word for gap in reading.gaps if gap.kind == kind]
        if kind == "pay_form" and "ctc" in words:
            words = [word for word in words if word not in _BASIS_WORDS]
        if words:
            notes.append(template.format(words=msg.join_names(words, "or"), role=role.title))
    places = {kind: _places(reading, kind) for kind in ("city", "company", "country")}
    if places["city"] and places["company"]:  # "at a startup in Hyderabad": one line
        both = msg.join_names([places["company"], places["city"]], "or")
        notes.append(msg.GAP_CITY_COMPANY.format(places=both, region=role.region))
    elif places["city"]:
        notes.append(msg.GAP_CITY.format(place=places["city"], region=role.region))
    elif places["company"]:
        note = msg.GAP_COMPANY.format(place=places["company"], region=role.region)
        if (named := cards.employers_line(role)) is not None:  # the ones it does name
            note = f"{note} {named}."
        notes.append(note)
    if places["country"]:
        notes.append(msg.GAP_COUNTRY.format(place=places["country"], region=role.region))
    for gap in reading.gaps:
        notes.append(_gap_note(gap, role))
    if reading.firms and (firms := _firms_note(reading, role)):
        notes.append(firms)
    explains = reading.asks_define and set(reading.intents) <= {"compare", "role"}
    explains = explains and not reading.others
    if explains and reading.role is None and (only := _named(role, reading.topics)):
        echoed = msg.echo(" ".join(only))  # "what is training-serving skew?": named only
        notes.append(msg.GAP_UNEXPLAINED.format(words=echoed, role=role.title))
    return [note for note in dict.fromkeys(notes) if note]


_BASIS_WORDS = frozenset({"ctc", "in-hand", "inhand", "gross", "net"})
"""Forms of pay the note on what the bands are (CTC or in-hand) already answers."""


def _named(role: Role, words: tuple[str, ...]) -> list[str]:
    """The ``words`` that ``role``'s lists name (skills, tools, what strong candidates
    discuss, duties): things the source names without explaining them."""
    named = [*role.competencies, *role.duties]
    named += [tool for chain in role.toolchains for tool in (chain.purpose, *chain.tools)]
    named += [line for pitfall in role.pitfalls for line in pitfall.strong_candidates_discuss]
    text = " ".join(named).casefold()
    return [word for word in words if len(word) > 2 and word in text]


def _firms_note(reading: Reading, role: Role) -> str:
    """Companies the source does not name: "which AI-native companies?" when it names
    only GCCs; "is that true at every company?" when it speaks of some kinds only."""
    named = cards.employers(role)
    if named is None:
        return ""
    if reading.firms == "all":
        return msg.GAP_ALL_FIRMS
    label = named[0].casefold()
    kinds = [t for t in reading.topics if t not in _FIRM_TOPICS and t[:3] not in label]
    kinds = [t for t in kinds if any(t in line.casefold() for line in _market(role))]
    if not kinds:
        return ""
    return msg.GAP_UNNAMED_FIRMS.format(kinds=" ".join(kinds), names=cards.employers_line(role))


def _market(role: Role) -> tuple[str, ...]:
    return role.why_now.market if role.why_now is not None else ()


_FIRM_TOPICS = FIRMS | {"gcc", "gccs", "capability"}


def _places(reading: Reading, kind: str) -> str:
    """The places (or employers) of ``kind`` asked about, named once: "Walmart or Adobe"."""
    words = dict.fromkeys(gap.word for gap in reading.gaps if gap.kind == kind)
    names = [w.upper() if kind != "city" and len(w) <= 3 else w.title() for w in words]
    return msg.join_names(names, "or")


def _gap_note(gap: Gap, role: Role) -> str:
    if gap.kind == "headline" and role.headline_pay is not None:
        level = role.level(gap.word)
        band = show.band(role.headline_pay)
        return msg.GAP_BEYOND_HEADLINE.format(level=level.label if level else gap.word, band=band)
    if gap.kind == "remote":
        return msg.GAP_REMOTE.format(role=role.title)
    if gap.kind == "currency":
        return msg.GAP_CURRENCY.format(place=gap.word.upper(), region=role.region)
    if gap.kind == "future":
        return msg.GAP_FUTURE.format(role=role.title, as_of=role.as_of)
    if gap.kind == "year" and not role.as_of.startswith(gap.word):
        return msg.GAP_YEAR.format(year=gap.word, as_of=role.as_of)
    return ""


def _with_gaps(reply: Reply, reading: Reading, role: Role, at: int = 1) -> Reply:
    notes = tuple(Paragraph(note) for note in _gap_notes(reading, role))
    return insert(reply, notes, at=at) if notes else reply
