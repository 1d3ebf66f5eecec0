"""Answer a member's ``Command`` from a ``Catalog``: pure and synchronous.

Which role a command is about: a role named in the arguments (slug, title or alias,
anywhere among them), else the chat's default role, else the only role when there is
just one, else the catalogue. A name that matches nothing gets "did you mean",
never a silent wrong answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .. import messages as msg
from ..catalog import _show as show
from ..catalog._checks import normalise
from ..catalog._content import Level, Role
from ..catalog._loader import Catalog
from . import _cards as cards
from . import _derived as derived
from ._parser import Command
from ._registry import COMMANDS, CommandSpec, member_commands, moderator_commands
from ._reply import Action, Bullets, Fields, Outcome, Paragraph, Reply
from ._understand import Reading, read
from ._vocabulary import LEVELS

__all__ = [
    "CATALOG_SHOWN",
    "CATALOG_WITH_SUMMARIES",
    "GENERIC_LEVELS",
    "ROLE_BUTTONS",
    "Found",
    "answer",
    "catalog_reply",
    "fallback_role",
    "find_role",
    "help_reply",
    "level_across",
    "not_found",
    "salary_answer",
    "start_reply",
]

GENERIC_LEVELS = LEVELS
_YEARS = re.compile(r"^(\d{1,2}(?:\.\d)?)\s*\+?\s*(?:y|yr|yrs|year|years|yoe)?$")
CATALOG_SHOWN = 25
CATALOG_WITH_SUMMARIES = 8
ROLE_BUTTONS = 8


@dataclass(frozen=True, slots=True)
class Found:
    """The role named in the arguments (if any) and the words left over."""

    role: Role | None
    rest: tuple[str, ...]


def find_role(catalog: Catalog, words: tuple[str, ...]) -> Found:
    """The longest run of ``words`` that names a role, and the other words."""
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            role = catalog.find(" ".join(words[start : start + size]))
            if role is not None:
                return Found(role, words[:start] + words[start + size :])
    return Found(None, words)


def answer(
    command: Command,
    catalog: Catalog,
    default_role: str | None = None,
    replying_to: Command | None = None,
) -> Reply:
    """The reply to a member command. Moderator commands are the bot's to run.

    An answered reply carries ``asked``: the command as asked, plus the role it was
    answered for when the role came from the chat's default, so a button or Share
    repeats exactly this question anywhere. A question in words (``/ask``) carries
    the command it was understood as. ``replying_to`` is the command of the bot's
    card a message replies to: "and staff?" is then about that card's role.

    Answers are pure and immutable, so each is built once per catalogue and question
    (``Catalog.memo``): a repeated question costs a dictionary lookup.
    """
    key = ("answer", command, default_role, replying_to)
    return catalog.memo(key, lambda: _fresh(command, catalog, default_role, replying_to))


def _fresh(
    command: Command, catalog: Catalog, default_role: str | None, replying_to: Command | None
) -> Reply:
    if command.name == "ask":
        from ._ask import ask

        return ask(" ".join(command.args), catalog, default_role, replying_to)
    reply = _answer(command, catalog, default_role)
    if reply.outcome is not Outcome.ANSWERED:
        return reply
    asked = command.text
    if reply.role is not None and not _names_role(catalog, command.args):
        asked = f"{asked} {reply.role}"
    return _with_asked(catalog, reply, asked)


def _names_role(catalog: Catalog, words: tuple[str, ...]) -> bool:
    return catalog.memo(("names_role", words), lambda: find_role(catalog, words).role is not None)


def _with_asked(catalog: Catalog, reply: Reply, asked: str) -> Reply:
    """``reply`` carrying ``asked``; a shared card's copy is made once per question."""
    role = catalog.get(reply.role) if reply.role is not None else None
    if (
        role is not None
        and reply.card is not None
        and reply is cards.card_for(catalog, role, reply.card)
    ):
        key = ("asked", role.slug, reply.card, asked)
        return catalog.memo(key, lambda: replace(reply, asked=asked))
    return replace(reply, asked=asked)


def _answer(command: Command, catalog: Catalog, default_role: str | None) -> Reply:
    name = command.name
    if name == "help":
        return help_reply(command.unknown)
    if name == "start":
        return start_reply()
    if name == "roles":
        return catalog_reply(catalog)
    if command.spec.moderator:  # their effects need a platform: see CareerBot
        text = msg.GROUPS_ONLY.format(name=name)
        return cards.notice(text, outcome=Outcome.REFUSED, command=name)
    found = find_role(catalog, command.args)
    if name == "salary":
        return _salary(command, catalog, found, default_role)
    if name == "faq":
        return _faq(command, catalog, found, default_role)
    role = found.role or fallback_role(catalog, default_role)
    if found.rest:
        return _with_topic(command, catalog, found, role)
    if role is None:
        return catalog_reply(catalog, command.spec)
    return _card(catalog, role, name)


def _with_topic(command: Command, catalog: Catalog, found: Found, role: Role | None) -> Reply:
    """``/pitfalls kubernetes``: the card with those lines first, not "no role called"."""
    from ._ask import has_topic, narrow

    rest = " ".join(found.rest)
    if role is None or (found.role is None and catalog.suggest(rest)):
        return not_found(command, catalog, rest)  # a near miss of a role name
    lexicon = derived.lexicon(catalog)
    reading = read(rest, lexicon, fuzzy=False)
    topics = reading.topics
    strange = reading.others or any(topic not in lexicon.content for topic in topics)
    if strange or (topics and found.role is None and not has_topic(catalog, role, topics)):
        return not_found(command, catalog, rest)  # /role devops: a role we have no card for
    return narrow(catalog, _card(catalog, role, command.name), topics, role, quiet=False)


def _card(catalog: Catalog, role: Role, kind: str) -> Reply:
    built = cards.card_for(catalog, role, kind)
    assert built is not None, kind
    return built


def fallback_role(catalog: Catalog, default_role: str | None) -> Role | None:
    """The role a command naming none is about: the chat's default, else the only role."""
    if default_role is not None and (role := catalog.get(default_role)) is not None:
        return role
    return catalog.roles[0] if len(catalog) == 1 else None


def _salary(command: Command, catalog: Catalog, found: Found, default: str | None) -> Reply:
    role = found.role or fallback_role(catalog, default)
    wanted = " ".join(found.rest)
    if (
        role is not None
        and found.rest
        and (reading := read(wanted, derived.lexicon(catalog))).others
    ):
        from ._ask import compare

        return compare(catalog, role, reading.level, reading.others)  # /salary vs devops
    if role is None:
        if not wanted:
            return catalog_reply(catalog, command.spec)
        if normalise(wanted) in GENERIC_LEVELS or _YEARS.match(wanted):
            return level_across(catalog, wanted)
        return not_found(command, catalog, wanted)
    if not wanted:
        return _card(catalog, role, "salary")
    years = _YEARS.match(wanted)
    if years is not None:
        return _by_years(catalog, role, float(years[1]), wanted)
    level = catalog.level(role, wanted)
    if level is not None:
        return _card(catalog, role, f"salary:{level.id}")
    levels = msg.join_names([lvl.label for lvl in role.ladder], "and") or "no levels"
    if normalise(wanted) in GENERIC_LEVELS:
        text = msg.LEVEL_NOT_IN_SOURCE.format(level=wanted, role=role.title, levels=levels)
        return _ladder_notice(role, text, Outcome.NOT_FOUND, wanted)
    reading = read(wanted, derived.lexicon(catalog))  # "/salary mlosp senior": words, not a level
    if reading.level is not None and not reading.topics and not reading.unknown_level:
        return salary_answer(catalog, reading.role or role, reading)
    if found.role is None and catalog.suggest(wanted):
        return not_found(command, catalog, wanted)
    text = msg.LEVEL_UNKNOWN.format(level=msg.echo(wanted), role=role.title, levels=levels)
    return _ladder_notice(role, text, Outcome.NOT_FOUND, wanted)


def _level(catalog: Catalog, role: Role, wanted: str) -> Level | None:
    return catalog.level(role, wanted)


def salary_answer(catalog: Catalog, role: Role, reading: Reading) -> Reply:
    """Pay for a question in words: the band asked for first, then what it did not say."""
    from ._ask import narrow

    if reading.years is not None:
        return _by_years(catalog, role, reading.years, f"{reading.years:g} years")
    if reading.level is None:
        reply = _card(catalog, role, "salary")
    elif (level := role.level(reading.level) or _level(catalog, role, reading.level)) is None:
        levels = msg.join_names([lvl.label for lvl in role.ladder], "and") or "no levels"
        text = msg.LEVEL_NOT_IN_SOURCE.format(level=reading.level, role=role.title, levels=levels)
        return _ladder_notice(role, text, Outcome.NOT_FOUND, reading.level)
    else:
        reply = _card(catalog, role, f"salary:{level.id}")
        if reading.asks_years and level.years is None:
            note = msg.GAP_LEVEL_YEARS.format(level=level.label, role=role.title)
            reply = replace(reply, blocks=(reply.blocks[0], Paragraph(note), *reply.blocks[1:]))
    return narrow(catalog, reply, reading.topics, role)


def _by_years(catalog: Catalog, role: Role, years: float, wanted: str) -> Reply:
    level = next((lvl for lvl in role.ladder if lvl.years and lvl.years.holds(years)), None)
    if level is not None:
        return _card(catalog, role, f"salary:{level.id}")
    known = [f"{lvl.label} {show.years(lvl.years)}" for lvl in role.ladder if lvl.years]
    if known:
        text = msg.YEARS_NOT_IN_SOURCE.format(
            role=role.title,
            years=f"{years:g} year{'' if years == 1 else 's'}",
            known=msg.join_names(known, "and"),
        )
    else:
        text = msg.YEARS_NONE_KNOWN.format(role=role.title)
    return _ladder_notice(role, text, Outcome.NOT_FOUND, wanted)


def _ladder_notice(role: Role, text: str, outcome: Outcome, query: str) -> Reply:
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
    years = _YEARS.match(wanted)
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


def _faq(command: Command, catalog: Catalog, found: Found, default: str | None) -> Reply:
    role = found.role or fallback_role(catalog, default)
    if role is None:
        if found.rest and catalog.suggest(" ".join(found.rest)):
            return not_found(command, catalog, " ".join(found.rest))
        return catalog_reply(catalog, command.spec)
    if found.role is None and found.rest:
        reply = cards.faq_card(role, found.rest)
        matched = not isinstance(reply.blocks[0], Paragraph)
        if not matched and catalog.suggest(" ".join(found.rest)):
            return not_found(command, catalog, " ".join(found.rest))
        return reply
    return cards.faq_card(role, found.rest) if found.rest else _card(catalog, role, "faq")


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
