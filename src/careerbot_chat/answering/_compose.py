"""Compose the replies that answer a command: the catalogue, help, "did you mean", a
pay band by level or by years of experience, one level across every role.

The third step of answering (read → decide → compose → render), below ``_answer``
(which dispatches a command to these) and ``_ask`` (which does the same for a
sentence). Replies built from the catalogue alone are kept in ``Catalog.memo``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from .. import messages as msg
from ..catalog import _show as show
from ..catalog._checks import normalise
from ..catalog._content import Level, Role
from ..catalog._loader import Catalog
from . import _cards as cards
from ._narrow import narrow
from ._parser import Command
from ._registry import COMMANDS, CommandSpec, member_commands, moderator_commands
from ._reply import Action, Bullets, Fields, Outcome, Paragraph, Reply
from ._understand import Reading
from ._vocabulary import LEVELS

__all__ = [
    "CATALOG_SHOWN",
    "CATALOG_WITH_SUMMARIES",
    "GENERIC_LEVELS",
    "ROLE_BUTTONS",
    "YEARS",
    "by_years",
    "card",
    "catalog_reply",
    "help_reply",
    "ladder_notice",
    "level_across",
    "not_found",
    "salary_answer",
    "start_reply",
]

GENERIC_LEVELS = LEVELS
YEARS = re.compile(r"^(\d{1,2}(?:\.\d)?)\s*\+?\s*(?:y|yr|yrs|year|years|yoe)?$")
"""A span of experience as typed: ``5``, ``5 years``, ``2.5yrs``, ``10+ yoe``."""
CATALOG_SHOWN = 25
CATALOG_WITH_SUMMARIES = 8
ROLE_BUTTONS = 8


def card(catalog: Catalog, role: Role, kind: str) -> Reply:
    """The card of ``kind`` for ``role`` (the catalogue keeps one of each)."""
    built = cards.card_for(catalog, role, kind)
    assert built is not None, kind
    return built


def salary_answer(catalog: Catalog, role: Role, reading: Reading) -> Reply:
    """Pay for a question in words: the band asked for first, then what it did not say."""
    if reading.years is not None:
        return by_years(catalog, role, reading.years, f"{reading.years:g} years")
    if reading.level is None:
        reply = card(catalog, role, "salary")
    elif (level := role.level(reading.level) or _level(catalog, role, reading.level)) is None:
        levels = msg.join_names([lvl.label for lvl in role.ladder], "and") or "no levels"
        text = msg.LEVEL_NOT_IN_SOURCE.format(level=reading.level, role=role.title, levels=levels)
        return ladder_notice(role, text, Outcome.NOT_FOUND, reading.level)
    else:
        reply = card(catalog, role, f"salary:{level.id}")
        if reading.asks_years and level.years is None:
            note = cards.no_years(role, level)
            reply = replace(reply, blocks=(reply.blocks[0], Paragraph(note), *reply.blocks[1:]))
    return narrow(catalog, reply, reading.topics, role)


def _level(catalog: Catalog, role: Role, wanted: str) -> Level | None:
    return catalog.level(role, wanted)


def by_years(catalog: Catalog, role: Role, years: float, wanted: str) -> Reply:
    level = next((lvl for lvl in role.ladder if lvl.years and lvl.years.holds(years)), None)
    if level is not None:
        return card(catalog, role, f"salary:{level.id}")
    known = [f"{lvl.label} {show.years(lvl.years)}" for lvl in role.ladder if lvl.years]
    if known:
        text = msg.YEARS_NOT_IN_SOURCE.format(
            role=role.title,
            years=f"{years:g} year{'' if years == 1 else 's'}",
            known=msg.join_names(known, "and"),
        )
    else:
        text = msg.YEARS_NONE_KNOWN.format(role=role.title)
    return ladder_notice(role, text, Outcome.NOT_FOUND, wanted)


def ladder_notice(role: Role, text: str, outcome: Outcome, query: str) -> Reply:
    ladder = cards.salary_card(role)
    below = msg.NO_BAND_BELOW.format(lowest=role.ladder[0].label) if role.ladder else None
    blocks = tuple(b for b in ladder.blocks if not (isinstance(b, Paragraph) and b.text == below))
    return Reply(
        ladder.title,
        (Paragraph(text), *blocks),
        ladder.footer,
        ladder.actions,
        outcome=outcome,
        command="salary",
        role=role.slug,
        query=query[: msg.ECHO_MAX],
    )


def level_across(catalog: Catalog, wanted: str) -> Reply:
    """``/salary senior`` with several roles and no default: that level everywhere."""
    return catalog.memo(("level_across", normalise(wanted)), lambda: _level_across(catalog, wanted))


def _pairs(catalog: Catalog, wanted: str) -> Iterator[tuple[Role, Level]]:
    years = YEARS.match(wanted)
    if years is None:
        yield from catalog.levels_named(wanted)
        return
    for role in catalog.roles:
        held = (lvl for lvl in role.ladder if lvl.years and lvl.years.holds(float(years[1])))
        level = next(held, None)
        if level is not None:
            yield role, level


def _level_across(catalog: Catalog, wanted: str) -> Reply:
    rows: list[tuple[str, str]] = []
    actions: list[Action] = []
    for role, level in _pairs(catalog, wanted):
        if len(rows) >= CATALOG_SHOWN and len(actions) >= ROLE_BUTTONS:
            break
        if len(rows) < CATALOG_SHOWN:
            rows.append((role.title, show.band(level)))
        if len(actions) < ROLE_BUTTONS:
            actions.append(Action(role.title, f"/salary {level.id} {role.slug}"))
    title = msg.LEVEL_ACROSS_TITLE.format(level=msg.echo(wanted).capitalize())
    if not rows:
        text = msg.LEVEL_ACROSS_NONE.format(level=msg.echo(wanted))
        return cards.notice(title, text, outcome=Outcome.NOT_FOUND, command="salary")
    return Reply(title, (Fields(tuple(rows)),), None, tuple(actions), command="salary")


def not_found(command: Command, catalog: Catalog, query: str) -> Reply:
    """No role by that name: suggest close names, with buttons that retry."""
    suggestions = catalog.suggest(query)
    title = msg.ROLE_NOT_FOUND_TITLE.format(query=msg.echo(query))
    if suggestions:
        text = msg.DID_YOU_MEAN.format(names=msg.join_names([r.title for r in suggestions]))
    else:
        text = msg.NO_SUGGESTION
    verb = command.name if command.spec.needs_role else "role"
    actions = tuple(Action(role.title, f"/{verb} {role.slug}") for role in suggestions)
    reply = cards.notice(
        title, text, outcome=Outcome.NOT_FOUND, command=command.name, actions=actions
    )
    return replace(reply, query=query[: msg.ECHO_MAX])


def catalog_reply(catalog: Catalog, spec: CommandSpec | None = None) -> Reply:
    """The catalogue; with ``spec``, a "which role?" for that command."""
    return catalog.memo(("catalog", spec), lambda: _catalog_reply(catalog, spec))


def _catalog_reply(catalog: Catalog, spec: CommandSpec | None) -> Reply:
    count = len(catalog)
    if count == 0:
        return cards.notice(msg.CATALOG_TITLE.format(count=0), msg.CATALOG_EMPTY, command="roles")
    shown = catalog.roles[:CATALOG_SHOWN]
    blocks: list[Paragraph | Bullets] = []
    if spec is not None:
        blocks.append(Paragraph(msg.WHICH_ROLE.format(example=spec.example)))
    if count <= CATALOG_WITH_SUMMARIES:
        blocks.append(Bullets(tuple(f"{r.title}: {r.summary}" for r in shown)))
    else:  # titles only: a long catalogue stays one short message on a phone
        blocks.append(Bullets(tuple(f"{r.title} (/role {r.slug})" for r in shown)))
    if count > len(shown):
        blocks.append(Paragraph(msg.CATALOG_MORE.format(more=count - len(shown))))
    verb = spec.name if spec is not None else "role"
    actions = tuple(Action(r.title, f"/{verb} {r.slug}") for r in shown[:ROLE_BUTTONS])
    return Reply(
        msg.CATALOG_TITLE.format(count=count),
        tuple(blocks),
        None,
        actions,
        command=spec.name if spec else "roles",
    )


def help_reply(unknown: str | None = None, *, moderators: bool = True) -> Reply:
    blocks: list[Paragraph | Fields] = []
    if unknown is not None:
        blocks.append(Paragraph(msg.HELP_UNKNOWN.format(name=msg.echo(unknown))))
    blocks.append(Fields(tuple((s.usage_line, s.description) for s in member_commands())))
    if moderators:
        blocks.append(Fields(tuple((s.usage_line, s.description) for s in moderator_commands())))
    blocks.append(Paragraph(msg.TRY.format(example=COMMANDS[1].example)))
    outcome = Outcome.NOT_FOUND if unknown is not None else Outcome.ANSWERED
    return Reply(
        msg.HELP_TITLE,
        tuple(blocks),
        None,
        (),
        outcome=outcome,
        command="help",
        query=(unknown or "")[: msg.ECHO_MAX],
    )


def start_reply() -> Reply:
    helper = help_reply(moderators=False)
    return Reply(
        msg.START_TITLE,
        (Paragraph(msg.START_BODY), *helper.blocks),
        None,
        (Action(msg.BUTTON_ROLES, "/roles"),),
        command="start",
    )
