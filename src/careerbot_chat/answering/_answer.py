"""Answer a member's ``Command`` from a ``Catalog``: pure and synchronous.

The top of answering, which flows one way: read (``_parser``, ``_understand``) →
decide (``_decide``: which role, what a sentence asks) → compose (``_compose``,
``_narrow``, ``_ask``, over ``_cards``) → render (``_render_plain``, and each
adapter's renderer). ``answer`` dispatches a command to the composers; ``ask`` does
the same for a question in words. No module below imports this one back.

A name that matches no role gets "did you mean", never a silent wrong answer.
"""

from __future__ import annotations

from dataclasses import replace

from .. import messages as msg
from ..catalog._checks import normalise
from ..catalog._content import Role
from ..catalog._loader import Catalog
from . import _cards as cards
from . import _derived as derived
from ._ask import sentence_reply
from ._compose import (
    GENERIC_LEVELS,
    YEARS,
    by_years,
    card,
    catalog_reply,
    help_reply,
    ladder_notice,
    level_across,
    not_found,
    salary_answer,
    start_reply,
)
from ._decide import Found, Kind, Understood, fallback_role, find_role, understand
from ._memory import Memory
from ._narrow import compare, has_topic, narrow
from ._parser import Command
from ._reply import Outcome, Paragraph, Reply
from ._understand import read

__all__ = ["answer", "ask"]


def answer(
    command: Command,
    catalog: Catalog,
    default_role: str | None = None,
    replying_to: Command | None = None,
    memory: Memory | None = None,
) -> Reply:
    """The reply to a member command. Moderator commands are the bot's to run.

    An answered reply carries ``asked``: the command as asked, plus the role it was
    answered for when the role came from the chat's default, so a button or Share
    repeats exactly this question anywhere. A question in words (``/ask``) carries
    the command it was understood as. ``replying_to`` is the command of the bot's
    card a message replies to: "and staff?" is then about that card's role.

    With ``memory`` (what the conversation remembers: ``Memory``), a question in words
    is read against it, and the reply's ``memory`` is what to remember next.

    Answers are pure and immutable, so each is built once per catalogue and question
    (``Catalog.memo``): a repeated question costs a dictionary lookup.
    """
    if memory is not None:  # pure too: members who said the same get one answer
        remembering = ("remembering", command, default_role, replying_to, memory)
        return catalog.memo(
            remembering,
            lambda: _remembering(command, catalog, default_role, replying_to, memory),
        )
    key = ("answer", command, default_role, replying_to)
    return catalog.memo(key, lambda: _fresh(command, catalog, default_role, replying_to))


def _remembering(
    command: Command,
    catalog: Catalog,
    default_role: str | None,
    replying_to: Command | None,
    memory: Memory,
) -> Reply:
    if command.name != "ask":
        reply = answer(command, catalog, default_role, replying_to)
        return replace(reply, memory=memory.after(None, reply.asked).dumps())
    text = " ".join(command.args)
    understood = understand(text, catalog, replying_to, memory)
    reply = _understood(understood, text, catalog, default_role)
    return replace(reply, memory=memory.after(understood.reading, reply.asked).dumps())


def _fresh(
    command: Command, catalog: Catalog, default_role: str | None, replying_to: Command | None
) -> Reply:
    if command.name == "ask":
        return ask(" ".join(command.args), catalog, default_role, replying_to)
    if command.unknown is not None:
        return _unknown(command, catalog, default_role, replying_to)
    reply = _answer(command, catalog, default_role)
    if reply.outcome is not Outcome.ANSWERED:
        return reply
    asked = command.text
    if reply.role is not None and not _names_role(catalog, command.args):
        asked = f"{asked} {reply.role}"
    return _with_asked(catalog, reply, asked)


def _unknown(
    command: Command, catalog: Catalog, default_role: str | None, replying_to: Command | None
) -> Reply:
    """A command the bot does not have is read as words ("/jobs mlops" asks for the
    openings); only when the words ask nothing the content answers, the help, naming it."""
    assert command.unknown is not None
    text = " ".join((command.unknown, *command.args))
    understood = understand(text, catalog, replying_to)
    if understood.kind not in (Kind.START, Kind.CHAT):
        reply = _understood(understood, text, catalog, default_role)
        if reply.outcome is Outcome.ANSWERED:
            return reply
    return help_reply(command.unknown)


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
    return _understood(understand(text, catalog, replying_to), text, catalog, default_role)


def _understood(
    understood: Understood, text: str, catalog: Catalog, default_role: str | None
) -> Reply:
    reply = sentence_reply(understood, catalog, default_role)
    command = understood.command
    if reply is None:
        assert command is not None  # only a sentence that is a command has no reply of its own
        reply = answer(command, catalog, default_role)
    if reply.outcome is not Outcome.ANSWERED:
        return reply
    asked = command.text if command is not None else f"/ask {text}"
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
    return card(catalog, role, name)


def _with_topic(command: Command, catalog: Catalog, found: Found, role: Role | None) -> Reply:
    """``/pitfalls kubernetes``: the card with those lines first, not "no role called"."""
    rest = " ".join(found.rest)
    if role is None or (found.role is None and catalog.suggest(rest)):
        return not_found(command, catalog, rest)  # a near miss of a role name
    lexicon = derived.lexicon(catalog)
    reading = read(rest, lexicon, fuzzy=False)
    topics = reading.topics
    strange = reading.others or any(topic not in lexicon.content for topic in topics)
    if strange or (topics and found.role is None and not has_topic(catalog, role, topics)):
        return not_found(command, catalog, rest)  # /role devops: a role we have no card for
    return narrow(catalog, card(catalog, role, command.name), topics, role, quiet=False)


def _salary(command: Command, catalog: Catalog, found: Found, default: str | None) -> Reply:
    role = found.role or fallback_role(catalog, default)
    wanted = " ".join(found.rest)
    if (
        role is not None
        and found.rest
        and (reading := read(wanted, derived.lexicon(catalog))).others
    ):
        return compare(catalog, role, reading.level, reading.others)  # /salary vs devops
    if role is None:
        if not wanted:
            return catalog_reply(catalog, command.spec)
        if normalise(wanted) in GENERIC_LEVELS or YEARS.match(wanted):
            return level_across(catalog, wanted)
        return not_found(command, catalog, wanted)
    if not wanted:
        return card(catalog, role, "salary")
    years = YEARS.match(wanted)
    if years is not None:
        return by_years(catalog, role, float(years[1]), wanted)
    level = catalog.level(role, wanted)
    if level is not None:
        return card(catalog, role, f"salary:{level.id}")
    levels = msg.join_names([lvl.label for lvl in role.ladder], "and") or "no levels"
    if normalise(wanted) in GENERIC_LEVELS:
        text = msg.LEVEL_NOT_IN_SOURCE.format(level=wanted, role=role.title, levels=levels)
        return ladder_notice(role, text, Outcome.NOT_FOUND, wanted)
    reading = read(wanted, derived.lexicon(catalog))  # "/salary mlosp senior": words, not a level
    if reading.level is not None and not reading.topics and not reading.unknown_level:
        return salary_answer(catalog, reading.role or role, reading)
    if found.role is None and catalog.suggest(wanted):
        return not_found(command, catalog, wanted)
    text = msg.LEVEL_UNKNOWN.format(level=msg.echo(wanted), role=role.title, levels=levels)
    return ladder_notice(role, text, Outcome.NOT_FOUND, wanted)


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
    return cards.faq_card(role, found.rest) if found.rest else card(catalog, role, "faq")
