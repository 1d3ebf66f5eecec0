"""Build the ``Reply`` for each card of a role. Pure functions of content."""

from __future__ import annotations

from .. import messages as msg
from ..catalog import _show as show
from ..catalog._content import HeadlineBand, Level, Question, Role, Source
from ..catalog._loader import Catalog
from ..chart._spec import alt_text, bands_in_words, chart_spec
from ._reply import Action, Block, Bullets, Divider, Fields, Outcome, Paragraph, Picture, Reply

__all__ = [
    "CARDS",
    "CARD_ACTIONS",
    "FULL_ROLE",
    "card",
    "card_for",
    "chart_card",
    "faq_card",
    "footer",
    "level_card",
    "notice",
    "picture",
    "pitfalls_card",
    "role_card",
    "role_full_card",
    "salary_card",
    "skills_card",
]

FULL_ROLE = "role:full"
"""The kind of ``role_full_card`` for ``card_for``: answers narrow it, never pinned."""

CARD_ACTIONS = (
    (msg.BUTTON_SALARY, "salary"),
    (msg.BUTTON_PITFALLS, "pitfalls"),
    (msg.BUTTON_SKILLS, "skills"),
    (msg.BUTTON_FAQ, "faq"),
)


def footer(role: Role) -> str:
    return " · ".join(
        msg.SOURCE_FOOTER.format(title=s.title, kind=s.kind, as_of=s.as_of) for s in role.sources
    )


def footer_source(source: Source) -> str:
    """One source as a sentence names it: ``Title (careers page, 2026)``."""
    return msg.SOURCE_NAMED.format(title=source.title, kind=source.kind, as_of=source.as_of)


def _role_actions(role: Role, skip: str) -> tuple[Action, ...]:
    return tuple(
        Action(label, f"/{name} {role.slug}") for label, name in CARD_ACTIONS if name != skip
    )


def _level_name(level: Level) -> str:
    extras = [show.years(level.years)] if level.years else []
    if level.qualifier:
        extras.append(level.qualifier)
    return f"{level.label} ({', '.join(extras)})" if extras else level.label


def _level_band(level: Level) -> str:
    """``Staff ₹1.2 Cr+ (FAANG-tier)``: a band never loses the qualifier it holds under."""
    qualifier = f" ({level.qualifier})" if level.qualifier else ""
    return f"{level.label} {show.band(level)}{qualifier}"


def _demand(role: Role) -> str | None:
    if role.demand is None:
        return None
    if role.demand.open_roles is None:
        return role.demand.label
    about = msg.ABOUT if role.demand.approximate else ""
    return msg.DEMAND_OPEN_ROLES.format(
        label=role.demand.label, about=about, count=role.demand.open_roles
    )


def demand_line(role: Role) -> str | None:
    """``High demand · about 1,260 open roles``, or none when the source gives no demand."""
    return _demand(role)


def why_now_lines(role: Role) -> tuple[str, ...]:
    """Why the role matters now: the summary, the market facts, the employers named."""
    return _why_now(role) if role.why_now is not None else ()


def role_card(role: Role) -> Reply:
    """The role on one phone screen: one line per part, the full cards a tap away.

    What it does, demand, the headline pay and the bands by level, duties, why it matters
    now and the employers named, the skills panels expect and the top pitfall, each
    on one line; then the source and date. ``role_full_card`` keeps every part as a
    list, for answers that narrow it to the lines a question asks about.
    """
    fields = _pay_fields(role)
    if role.duties:
        fields.append((msg.DUTIES, " ".join(role.duties)))
    if role.why_now is not None:
        fields.append((msg.WHY_NOW, " ".join((role.why_now.summary, *role.why_now.market))))
        if (named := employers(role)) is not None:
            fields.append(named)
    if role.competencies:
        fields.append((msg.SKILLS_EXPECTED, msg.ONE_LINE_JOIN.join(role.competencies)))
    if role.pitfalls:
        fields.append((msg.TOP_PITFALL, role.pitfalls[0].mistake))
    blocks: list[Block] = [Paragraph(role.summary)]
    if fields:
        blocks.append(Fields(tuple(fields)))
    return _role_reply(role, "role", _role_title(role), blocks)


def _role_title(role: Role) -> str:
    return msg.ROLE_TITLE.format(role=role.title, region=role.region, as_of=role.as_of)


def _pay_fields(role: Role) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    if (demand := _demand(role)) is not None:
        fields.append((msg.DEMAND, demand))
    if role.headline_pay is not None:
        fields.append((msg.PAY, _headline(role.headline_pay)))
    if role.ladder:
        fields.append((msg.BY_LEVEL, " · ".join(_level_band(lvl) for lvl in role.ladder)))
    return fields


def role_full_card(role: Role) -> Reply:
    """Every part of the role as a list: the lines an answer narrows to a question."""
    fields = _pay_fields(role)
    blocks: list[Block] = [Paragraph(role.summary)]
    if fields:
        blocks.append(Fields(tuple(fields)))
    if role.duties:
        blocks.append(Bullets(role.duties, msg.DUTIES))
    if role.why_now is not None:
        blocks.append(Bullets(_why_now(role), msg.WHY_NOW))
    if role.competencies:
        blocks.append(Bullets(role.competencies, msg.SKILLS_EXPECTED))
    if role.pitfalls:
        blocks.append(Bullets(tuple(p.mistake for p in role.pitfalls), msg.TOP_PITFALL))
    return _role_reply(role, "role", _role_title(role), blocks)


def _headline(head: HeadlineBand) -> str:
    return msg.BAND_COVERS.format(band=show.band(head), covers=head.covers)


def _why_now(role: Role) -> tuple[str, ...]:
    assert role.why_now is not None
    items = [role.why_now.summary, *role.why_now.market]
    if (line := employers_line(role)) is not None:
        items.append(line)
    return tuple(items)


def employers_line(role: Role) -> str | None:
    """ "Examples of GCCs the source names: JP Morgan, …" as one line; ``None`` without."""
    named = employers(role)
    return None if named is None else msg.LABELLED.format(label=named[0], text=named[1])


def no_years(role: Role, level: Level) -> str:
    """The source gives no years for ``level``: say so, and which levels it gives them for."""
    known = [f"{lvl.label} ({show.years(lvl.years)})" for lvl in role.ladder if lvl.years]
    levels = msg.join_names(known, "and")
    more = msg.GAP_LEVEL_YEARS_KNOWN.format(levels=levels) if known else ""
    return msg.GAP_LEVEL_YEARS.format(level=level.label, role=role.title, known=more)


def employers(role: Role) -> tuple[str, str] | None:
    """What the source calls the employers it names ("Examples of GCCs the source
    names"), and their names; ``None`` when it names none."""
    why = role.why_now
    if why is None or not why.employers:
        return None
    return why.employers_are or msg.EMPLOYERS_NAMED, msg.join_names(why.employers, "and")


def _level_actions(role: Role, current: str | None) -> tuple[Action, ...]:
    actions = [
        Action(level.label, f"/salary {level.id} {role.slug}")
        for level in role.ladder
        if level.id != current
    ]
    if current is not None:
        actions.append(Action(msg.ALL_LEVELS, f"/salary {role.slug}"))
    return tuple(actions)


def _premium_lines(role: Role, level_id: str | None = None) -> tuple[str, ...]:
    lines = []
    for premium in role.premiums:
        if level_id is not None and premium.level != level_id:
            continue
        level = role.level(premium.level)
        label = level.label if level is not None else premium.level
        lines.append(msg.LABELLED.format(label=label, text=show.premium_noted(premium)))
    return tuple(lines)


def salary_card(role: Role) -> Reply:
    """The whole ladder, the headline band and the premiums."""
    blocks: list[Block] = []
    if role.ladder:
        blocks.append(Fields(tuple((_level_name(lvl), show.band(lvl)) for lvl in role.ladder)))
        blocks.append(Paragraph(msg.NO_BAND_BELOW.format(lowest=role.ladder[0].label)))
    else:
        blocks.append(Paragraph(msg.NO_LADDER.format(role=role.title)))
    if role.headline_pay is not None:
        head = role.headline_pay
        blocks.append(Fields(((msg.HEADLINE_BAND, _headline(head)),)))
    if premiums := _premium_lines(role):
        blocks.append(Bullets(premiums, msg.PREMIUMS))
    return Reply(
        msg.SALARY_TITLE.format(role=role.title, region=role.region, as_of=role.as_of),
        tuple(blocks),
        footer(role),
        _level_actions(role, None),
        command="salary",
        role=role.slug,
        card="salary",
        picture=picture(role),
    )


def picture(role: Role) -> Picture | None:
    """The chart of ``role``'s pay ladder; None when it has no levels."""
    spec = chart_spec(role)
    return None if spec is None else Picture(spec.key, alt_text(spec))


def chart_card(role: Role) -> Reply:
    """The pay ladder as a picture; in words where a platform shows no pictures."""
    spec = chart_spec(role)
    shown = picture(role)
    text = (
        msg.NO_CHART.format(role=role.title)
        if spec is None
        else msg.CHART_WORDS.format(where=spec.subtitle.split(" · ")[0], bands=bands_in_words(spec))
    )
    return Reply(
        msg.CHART_TITLE.format(role=role.title),
        (Paragraph(text),),
        footer(role),
        (Action("Salary", f"/salary {role.slug}"),),
        command="chart",
        role=role.slug,
        card="chart",
        picture=shown,
    )


def level_card(role: Role, level: Level) -> Reply:
    """One level's band, experience, qualifier and premium."""
    fields = [(msg.PAY_PER_YEAR, show.band(level))]
    if level.years is not None:
        fields.append((msg.EXPERIENCE, show.years(level.years)))
    if level.qualifier:
        fields.append((msg.WHERE, level.qualifier))
    for premium in role.premiums:  # one line each, beside the band: the card fits a screen
        if premium.level == level.id:
            fields.append((msg.PREMIUM_LABEL, show.premium_noted(premium)))
    blocks: list[Block] = [Fields(tuple(fields))]
    return Reply(
        msg.LEVEL_TITLE.format(
            role=role.title, level=level.label, region=role.region, as_of=role.as_of
        ),
        tuple(blocks),
        footer(role),
        _level_actions(role, level.id),
        command="salary",
        role=role.slug,
        card=f"salary:{level.id}",
    )


def pitfalls_card(role: Role) -> Reply:
    blocks: list[Block] = []
    for pitfall in role.pitfalls:
        blocks.append(Paragraph(pitfall.mistake))
        if pitfall.strong_candidates_discuss:
            blocks.append(Bullets(pitfall.strong_candidates_discuss, msg.STRONG_CANDIDATES))
    if not blocks:
        blocks.append(Paragraph(msg.SECTION_EMPTY.format(what=msg.WHAT_PITFALLS, role=role.title)))
    return _role_reply(role, "pitfalls", msg.PITFALLS_TITLE.format(role=role.title), blocks)


def skills_card(role: Role) -> Reply:
    blocks: list[Block] = []
    if role.competencies:
        blocks.append(Bullets(role.competencies, msg.CORE_COMPETENCIES))
    if role.toolchains:
        blocks.append(Fields(tuple((t.purpose, ", ".join(t.tools)) for t in role.toolchains)))
    for path in role.paths:
        blocks.append(Divider())
        intro = msg.FROM_ROLE.format(origin=path.origin)
        if path.note:
            intro = msg.LABELLED.format(label=intro, text=path.note)
        blocks.append(Bullets(path.steps, intro) if path.steps else Paragraph(intro))
    if not blocks:
        blocks.append(Paragraph(msg.SECTION_EMPTY.format(what=msg.WHAT_SKILLS, role=role.title)))
    return _role_reply(role, "skills", msg.SKILLS_TITLE.format(role=role.title), blocks)


def faq_card(role: Role, words: tuple[str, ...] = ()) -> Reply:
    questions = role.faq
    note: list[Block] = []
    if words:
        scored = [(_score(q, words), index, q) for index, q in enumerate(questions)]
        wanted = [q for score, _, q in sorted(scored, key=lambda t: (-t[0], t[1])) if score]
        if wanted:
            questions = tuple(wanted)
        else:
            note = [
                Paragraph(msg.FAQ_NO_MATCH.format(words=msg.echo(" ".join(words)), role=role.title))
            ]
    blocks: list[Block] = [*note, *(Fields(((q.question, q.answer),)) for q in questions)]
    if not questions:
        blocks = [Paragraph(msg.SECTION_EMPTY.format(what=msg.WHAT_FAQ, role=role.title))]
    return _role_reply(role, "faq", msg.FAQ_TITLE.format(role=role.title), blocks)


def _score(question: Question, words: tuple[str, ...]) -> int:
    """How many of ``words`` a question's match words, question or answer mention."""
    matches = {word.casefold() for word in question.match}
    haystack = f"{question.question} {question.answer}".casefold()
    return sum(2 if word in matches else 1 for word in words if word in matches or word in haystack)


CARDS = {
    "role": role_card,
    "salary": salary_card,
    "chart": chart_card,
    "pitfalls": pitfalls_card,
    "skills": skills_card,
}


def card(role: Role, kind: str) -> Reply | None:
    """Rebuild a pinned card of ``kind`` (``role``, ``salary``, ``salary:senior`` ...)."""
    if kind == "faq":
        return faq_card(role)
    if kind == FULL_ROLE:
        return role_full_card(role)
    if kind.startswith("salary:"):
        level = role.level(kind.removeprefix("salary:"))
        return None if level is None else level_card(role, level)
    build = CARDS.get(kind)
    return None if build is None else build(role)


def card_for(catalog: Catalog, role: Role, kind: str) -> Reply | None:
    """``role``'s card of ``kind`` (see ``card``), built once per catalogue.

    Kept with the catalogue (``Catalog.derived``): a reload brings a new catalogue and
    so new cards, and the old ones go with the old catalogue.
    """
    if catalog.get(role.slug) is not role:  # a stray role, not one of this catalogue
        return card(role, kind)
    return catalog.derived(("card", role.slug, kind), lambda: card(role, kind))


def notice(
    title: str,
    text: str = "",
    *,
    outcome: Outcome = Outcome.ANSWERED,
    command: str = "",
    actions: tuple[Action, ...] = (),
) -> Reply:
    """A short message that is not a card: refusals, confirmations, errors."""
    blocks = (Paragraph(text),) if text else ()
    return Reply(title, blocks, None, actions, outcome=outcome, command=command)


def _role_reply(role: Role, card: str, title: str, blocks: list[Block]) -> Reply:
    """One of a role's cards, with its footer and the buttons to the role's other cards."""
    return Reply(
        title,
        tuple(blocks),
        footer(role),
        _role_actions(role, card),
        command=card,
        role=role.slug,
        card=card,
    )
