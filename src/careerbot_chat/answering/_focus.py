"""The answer first: turn a composed card into a reply to a question in words.

Part of composing (read → decide → compose → render), below ``_ask``: a question in
words gets its answer as the first line (the reply's title, a sentence), at most
``SUPPORT`` lines that go with it, the source and date, and buttons for the full
card. A pay question is answered in a sentence built from the band itself, and a
member's own figure is placed inside, below or above the band of their level. No
number is written here that is not the source's or the member's own. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .. import messages as msg
from ..catalog import _show as show
from ..catalog._content import Band, Level, Role
from . import _cards as cards
from ._narrow import expand, set_aside
from ._reply import Action, Block, Bullets, Divider, Fields, Outcome, Paragraph, Reply
from ._reply import label_separator as sep
from ._understand import Reading
from ._vocabulary import EMPLOYER_WORDS, LOW_PAY, TOP_PAY

__all__ = [
    "SUPPORT",
    "demand_reply",
    "duties_reply",
    "focus",
    "lines_reply",
    "pay_reply",
    "related",
    "relating",
    "relating_reply",
    "short_reply",
]

SUPPORT = 2
"""Lines under the answer's first line, at most."""


def focus(reply: Reply, role: Role | None) -> Reply:
    """``reply`` with its first line of content as the answer, and little else."""
    if reply.outcome is not Outcome.ANSWERED or not reply.blocks:
        return reply
    lines = _lines(reply.blocks)
    if not lines:
        return reply
    return replace(
        reply,
        title=lines[0],
        blocks=tuple(Paragraph(line) for line in lines[1 : 1 + SUPPORT]),
        actions=_actions(reply, role),
    )


def _lines(blocks: tuple[Block, ...]) -> list[str]:
    """Every block as lines of text; what was found in other cards comes first."""
    lines: list[str] = []
    also: list[str] = []
    into = lines
    for block in blocks:
        if isinstance(block, Paragraph):
            if block.text == msg.ALSO_IN_SOURCE + ":":
                into = also
                continue
            into.append(block.text)
        elif isinstance(block, Fields):
            into += [f"{label}{sep(label)}{value}" for label, value in block.items]
        elif isinstance(block, Bullets) and block.title:
            into.append(f"{block.title}: {'; '.join(block.items)}")
        elif isinstance(block, Bullets):
            into += list(block.items)
        elif isinstance(block, Divider):
            continue
    gaps = [line for line in lines[:1] if _is_gap(line)]
    return [*gaps, *also, *lines[len(gaps) :]] if also else lines


def _is_gap(line: str) -> bool:
    return line.startswith("The source")


def _actions(reply: Reply, role: Role | None) -> tuple[Action, ...]:
    if role is None:
        return reply.actions
    full = Action(msg.BUTTON_ROLE_CARD, f"/role {role.slug}")
    rest = tuple(action for action in reply.actions if action.command != full.command)
    return (full, *rest)[:4]


def duties_reply(role: Role, gaps: tuple[str, ...], aside: tuple[str, ...] = ()) -> Reply:
    """What the role does: its summary first, then its duties on one line; with ``aside``
    ("besides deploying models, what else?"), the duties about those words left out."""
    lines = [*gaps, f"{role.title}: {role.summary}"]
    if duties := set_aside(role.duties, aside):
        lines.append(f"{msg.DUTIES}: {' '.join(duties)}")
    return lines_reply(role, lines, "role")


def demand_reply(role: Role, words: tuple[str, ...], gaps: tuple[str, ...]) -> Reply:
    """Demand and why now, the lines about ``words`` first."""
    lines = []
    if (line := cards.demand_line(role)) is not None:
        lines.append(msg.DEMAND_LINE.format(role=role.title, demand=line, region=role.region))
    lines += cards.why_now_lines(role)
    stems = tuple(word[:5] for word in words if len(word) > 2)
    about = [line for line in lines if any(stem in line.casefold() for stem in stems)]
    lines = [*gaps, *about, *(line for line in lines if line not in about)]
    return lines_reply(role, lines, "role", support=SUPPORT + 1)


def lines_reply(role: Role, lines: list[str], card: str, support: int = SUPPORT) -> Reply:
    return Reply(
        lines[0],
        tuple(Paragraph(line) for line in lines[1 : 1 + support]),
        cards.footer(role),
        (Action(msg.BUTTON_ROLE_CARD, f"/role {role.slug}"),),
        command=card,
        role=role.slug,
        card=card,
    )


def relating(role: Role, other: str) -> list[str]:
    """Every fact of ``role``'s source that relates it to ``other`` (premiums over it,
    the path from it, the FAQ answers and why-now lines naming it)."""
    name = other.casefold()
    lines = []
    for premium in role.premiums:
        if any(name in over.casefold() for over in premium.over):
            level = role.level(premium.level)
            label = level.label if level else premium.level
            lines.append(f"{label} {role.title}: {show.premium_noted(premium)}.")
    for path in role.paths:
        if name in path.origin.casefold():
            note = f" ({path.note})" if path.note else ""
            lines.append(f"From {path.origin}{note}: {'; '.join(path.steps)}.")
    lines += [line for line in cards.why_now_lines(role) if name in line.casefold()]
    lines += [p.mistake for p in role.pitfalls if name in p.mistake.casefold()]
    lines += [q.answer for q in role.faq if name in f"{q.question} {q.answer}".casefold()]
    return list(dict.fromkeys(lines))


def relating_reply(
    role: Role,
    other: str,
    first: list[str],
    also: tuple[str, ...] = (),
    asked: tuple[str, ...] = (),
) -> Reply | None:
    """What the source says relating ``other`` to ``role``, after ``first`` (the gaps);
    none when it says nothing about ``other``. With ``also`` (more roles named), the
    lines naming every one of them come first: "DevOps or SRE?" is about both."""
    lines = relating(role, other)
    if "pitfalls" in asked:  # "interview me devops wala approach chalega?": the pitfall first
        mistakes = {p.mistake for p in role.pitfalls}
        lines.sort(key=lambda line: line not in mistakes)
    if also:
        names = [name.casefold() for name in also]
        lines.sort(key=lambda line: not all(name in line.casefold() for name in names))
    if not lines:
        return None
    head = msg.GAP_OTHER_ROLE_RELATED.format(name=other, role=role.title)
    return lines_reply(role, [*first, head, *lines], "role", support=SUPPORT + 1)


def short_reply(text: str) -> Reply:
    """One short line: small talk and thanks."""
    return Reply(text, command="start")


def pay_reply(
    role: Role, reading: Reading, gaps: tuple[str, ...] = (), also: tuple[str, ...] = ()
) -> Reply:
    """The pay asked for, in a sentence first: a level's band, the band that holds the
    member's years, or the headline band and the ladder; the member's own figure placed."""
    level, notes = _level(role, reading)
    if reading.outside and level is not None and level.qualifier:
        notes.append(msg.GAP_QUALIFIER.format(level=level.label, qualifier=level.qualifier))
    if reading.asks_years and level is not None and level.years is None:
        notes.append(cards.no_years(role, level))
    named = [at for at, lvl in enumerate(role.ladder) if lvl.id in reading.levels]
    asked = role.ladder[min(named) : max(named) + 1] if named else []  # "from mid to staff"
    if reading.pay is not None:
        lines = [*notes, *_placed(role, level, reading)]
    elif len(asked) > 1:  # "senior vs staff pay": each band, in one sentence
        lines = [*notes, *_levels_lines(role, asked)]
    elif level is not None:
        sentence = _level_sentence(role, level, reading)
        said = show.years(level.years) if level.years is not None else None
        support = [
            line
            for line in _level_support(role, level)
            if line[:-1] not in sentence and not (said and said in line and said in sentence)
        ]
        lines = [*notes, sentence, *support]  # "Mid-level means 3–6 yrs" said once
    else:
        lines = [*notes, _headline_sentence(role), _ladder_line(role)]
    companies = tuple(gap.word for gap in reading.gaps if gap.kind == "company")
    about = related(role, (*reading.topics, *companies))
    if level is None and reading.pay is None and about:
        lines = [*notes, *about, *lines[len(notes) :]]  # "do AI-native firms pay well?"
    else:
        lines = [*lines[:1], *about, *lines[1:]]
    if reading.asks_why:
        lines = [*_reasons(role), *lines]  # "why so much?": the source's reason first
    elif (reading.asks_more or "compare" in reading.intents or reading.pay_of_other) and (
        reading.others
    ):  # "a mid DevOps guy makes 20L, what would MLOps make?": the premium over DevOps
        other = reading.others[0]
        over = _over(role, level, other)
        if not relating(role, other):  # "ML engineer on 35 LPA, does MLOps pay more?"
            gap = msg.GAP_COMPARE_NONE.format(role=role.title, other=other)
            over = [] if gap in gaps else [f"{gap.split(';')[0]}."]
            lines = [*lines[:1], *_premiums(role, level), *lines[1:]]  # what it does compare
        if reading.pay is not None and reading.asks_standing:
            lines = [*lines[:1], *over, *lines[1:]]  # "where do I stand vs mlops mid?"
        elif over and reading.asks_yes_no and relating(role, other) and _GAINS.search(over[0]):
            yes = msg.YES_PAYS_MORE.format(line=over[0])  # "so MLOps pays more?": yes, by this
            lines = [yes, *over[1:], *lines]
        else:
            lines = [*over, *lines]  # "how much more?"
    if also:
        lines = [*lines[:1], *also, *lines[1:]]
    lines = [*gaps, *dict.fromkeys(lines)]
    actions = (
        Action(msg.BUTTON_SALARY, f"/salary {role.slug}"),
        Action(msg.BUTTON_ROLE_CARD, f"/role {role.slug}"),
    )
    card = f"salary:{level.id}" if level is not None else "salary"
    return Reply(
        lines[0],
        tuple(Paragraph(line) for line in lines[1 : 1 + SUPPORT + 1]),
        cards.footer(role),
        actions,
        command="salary",
        role=role.slug,
        card=card,
    )


def _reasons(role: Role) -> list[str]:
    """Why the role pays what it does, as the source says: premiums it explains, then
    the market lines (the talent pool)."""
    lines = [
        f"{show.premium(p)}: {p.note}." for p in role.premiums if p.note and "supply" in p.note
    ]
    market = role.why_now.market if role.why_now is not None else ()
    return [*lines, *market] or [msg.GAP_WHY.format(role=role.title)]


def _premiums(role: Role, level: Level | None) -> list[str]:
    """What the source does compare ``role``'s pay with: its premiums over other roles,
    the one at ``level`` first."""
    lines = []
    for premium in sorted(role.premiums, key=lambda p: level is None or p.level != level.id):
        named = role.level(premium.level)
        label = named.label if named else premium.level
        lines.append(f"{label} {role.title}: {show.premium_noted(premium)}.")
    return lines[:1]


def _over(role: Role, level: Level | None, other: str) -> list[str]:
    """The premiums of ``role`` over ``other``, the member's level's first; with none,
    what the source says of their pay otherwise ("full parity with senior backend")."""
    lines = relating(role, other)[:2]
    if level is not None:
        lines.sort(key=lambda line: not line.startswith(level.label))
    premiums = [line for line in lines if "%" in line or "₹" in line]
    if premiums:
        return premiums
    return [line for line in relating(role, other) if _PAY_LINE.search(line)][:1]


_GAINS = re.compile(r"\bover\b")
"""A premium line that says the role pays more ("10–25% over DevOps"), not parity."""
_PAY_LINE = re.compile(r"\b(pay|pays|paid|parity|salar\w*)\b", re.IGNORECASE)
"""A line about pay, though it gives no figure ("now pay the same ...: full parity")."""


def related(role: Role, words: tuple[str, ...]) -> list[str]:
    """Why-now lines about ``words`` (GCCs, backend, the talent pool) that go with pay,
    the line about most of them first. An employer the source names ("Walmart") brings
    what it says about that kind of employer too (the GCCs' parity)."""
    words = tuple(w.casefold() for w in expand(words) if len(w) > 2 and w not in TOP_PAY)
    employers = role.why_now.employers if role.why_now is not None else ()
    if any(word in name.casefold() for name in employers for word in words):
        words = (*words, *EMPLOYER_WORDS)
    stems = tuple(dict.fromkeys(word[:5] for word in words))
    scored = [
        (sum(stem in line.casefold() for stem in stems), line) for line in cards.why_now_lines(role)
    ]
    return [line for score, line in sorted(scored, key=lambda pair: -pair[0]) if score]


def _level(role: Role, reading: Reading) -> tuple[Level | None, list[str]]:
    if reading.level is not None:
        level = role.level(reading.level)
        if level is None:
            level = next((lvl for lvl in role.ladder if reading.level in lvl.aliases), None)
        if level is not None:
            return level, []
        levels = msg.join_names([lvl.label for lvl in role.ladder], "and") or "no levels"
        return None, [
            msg.LEVEL_NOT_IN_SOURCE.format(level=reading.level, role=role.title, levels=levels)
        ]
    if reading.years is None:
        asks_top = role.ladder and TOP_PAY.intersection(reading.topics)
        if LOW_PAY.intersection(reading.topics):
            return None, []  # "the lowest (and highest) salary": the headline band, the ladder
        return (role.ladder[-1], []) if asks_top else (None, [])  # "the highest salary"
    held = next((lvl for lvl in role.ladder if lvl.years and lvl.years.holds(reading.years)), None)
    if held is not None:
        return held, []
    known = [f"{lvl.label} {show.years(lvl.years)}" for lvl in role.ladder if lvl.years]
    years = f"{reading.years_text or f'{reading.years:g}'} year{'' if reading.years == 1 else 's'}"
    if not known:
        return None, [msg.YEARS_NONE_KNOWN.format(role=role.title)]
    text = msg.YEARS_NOT_IN_SOURCE.format(
        role=role.title, years=years, known=msg.join_names(known, "and")
    )
    return None, [text]


def _named(level: Level) -> str:
    return f"{level.label} ({level.qualifier})" if level.qualifier else level.label


def _level_sentence(role: Role, level: Level, reading: Reading) -> str:
    band = show.band(level)
    if reading.asks_years and level.years is not None:
        return msg.LEVEL_YEARS_PAY.format(
            level=level.label,
            range=show.years(level.years),
            role=role.title,
            band=band,
            region=role.region,
            as_of=role.as_of,
        )
    if reading.years is not None and reading.level is None and level.years is not None:
        return msg.PAY_BY_YEARS.format(
            years=reading.years_text or f"{reading.years:g}",
            level=_named(level),
            range=show.years(level.years),
            role=role.title,
            band=band,
            region=role.region,
            as_of=role.as_of,
        )
    return msg.PAY_LEVEL.format(
        level=_named(level), role=role.title, region=role.region, band=band, as_of=role.as_of
    )


def _levels_lines(role: Role, levels: Sequence[Level]) -> list[str]:
    """Several levels' bands, and years where the source gives them, in one sentence."""
    steps = []
    for level in levels:
        years = f" ({show.years(level.years)})" if level.years else ""
        steps.append(f"{_named(level)}{years} {show.band(level)}")
    return [
        msg.PAY_LEVELS.format(
            role=role.title, region=role.region, as_of=role.as_of, levels=" · ".join(steps)
        )
    ]


def _level_support(role: Role, level: Level) -> list[str]:
    lines = []
    if level.years is not None:
        lines.append(msg.LEVEL_YEARS.format(level=level.label, range=show.years(level.years)))
    for premium in role.premiums:
        if premium.level == level.id:
            lines.append(f"{show.premium_noted(premium)}.")
    return lines


def _headline_sentence(role: Role) -> str:
    head = role.headline_pay
    if head is None:
        return msg.PAY_NO_HEADLINE.format(role=role.title, region=role.region, as_of=role.as_of)
    return msg.PAY_HEADLINE.format(
        role=role.title, region=role.region, band=show.band(head), as_of=role.as_of
    )


def _ladder_line(role: Role) -> str:
    steps = []
    for level in role.ladder:
        years = f" ({show.years(level.years)})" if level.years else ""
        steps.append(f"{_named(level)}{years} {show.band(level)}")
    return msg.PAY_BY_LEVEL.format(levels=" · ".join(steps)) if steps else ""


def _placed(role: Role, level: Level | None, reading: Reading) -> list[str]:
    """Where the member's figure falls: in their level's band, else in the band that
    holds it; with the next level's band when they are at or past the top."""
    pay = reading.pay
    assert pay is not None
    head = role.headline_pay
    asked = level is not None
    if level is None:
        level = next((lvl for lvl in role.ladder if _holds(lvl, pay)), None)
    below = [lvl for lvl in role.ladder if lvl.max is not None and lvl.max < pay]
    above = [lvl for lvl in role.ladder if lvl.min > pay]
    if level is None and below and above:  # "85 LPA": between the Senior and Staff bands
        lower, higher = below[-1], above[0]
        between = msg.PAY_BETWEEN.format(
            pay=reading.pay_text,
            lower=lower.label,
            lower_band=show.band(lower),
            higher=_named(higher),
            higher_band=show.band(higher),
            role=role.title,
            region=role.region,
            as_of=role.as_of,
        )
        return [between, _ladder_line(role)]
    if level is None and head is not None:  # "12L, in the band?": the headline band holds it
        headline = msg.PAY_PLACED_HEADLINE.format(
            pay=reading.pay_text,
            where=_where(head, pay),
            role=role.title,
            region=role.region,
            band=show.band(head),
            as_of=role.as_of,
        )
        return [headline, _ladder_line(role)]
    if level is None:
        return [msg.PAY_OUTSIDE.format(pay=reading.pay_text, role=role.title), _ladder_line(role)]
    where = _where(level, pay)
    placed = msg.PAY_PLACED_OTHER if reading.pay_of_other else msg.PAY_PLACED
    lines = [
        placed.format(
            pay=reading.pay_text,
            where=where,
            level=level.label,
            role=role.title,
            band=show.band(level),
            region=role.region,
            as_of=role.as_of,
        )
    ]
    index = role.ladder.index(level)
    if level.max is not None and pay >= level.max and index + 1 < len(role.ladder):
        higher = role.ladder[index + 1]
        lines.append(msg.PAY_NEXT.format(level=_named(higher), band=show.band(higher)))
    elif pay < level.min and index > 0:
        lower = role.ladder[index - 1]
        lines.append(msg.PAY_NEXT.format(level=_named(lower), band=show.band(lower)))
    if not asked and head is not None:  # no level or years said: the headline band too
        lines.append(msg.PAY_HEADLINE_TOO.format(role=role.title, band=show.band(head)))
    lines += _level_support(role, level)
    return lines


def _holds(level: Level, pay: int) -> bool:
    return level.min <= pay and (level.max is None or pay <= level.max)


def _where(level: Band, pay: int) -> str:
    if pay < level.min:
        return msg.WHERE_BELOW
    if level.max is None:
        return msg.WHERE_OPEN if pay > level.min else msg.WHERE_BOTTOM
    if pay > level.max:
        return msg.WHERE_ABOVE
    share = (pay - level.min) / (level.max - level.min) if level.max > level.min else 0.5
    if share <= 0.2:
        return msg.WHERE_BOTTOM
    if share >= 0.8:
        return msg.WHERE_TOP
    return msg.WHERE_MIDDLE
