"""Decide what a member asked: which role a command is about, and what a sentence asks.

The second step of answering (read → decide → compose → render). ``find_role`` and
``fallback_role`` pick the role a command is about: a role named in the arguments
(slug, title or alias, anywhere among them), else the chat's default role, else the
only role when there is just one. ``understand`` turns a sentence already read
(``_understand``) into the ``Command`` the grammar would have given
(``/salary senior mlops-engineer``), or none when only a search fits, and names the
``Kind`` of answer it wants. A follow-up ("and staff?") is read against the command of
the card it replies to. Pure; imports nothing that composes a reply.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..catalog._content import Role
from . import _derived as derived
from . import _vocabulary as vocab
from ._memory import Memory
from ._parser import Command, parse
from ._registry import command_spec
from ._understand import Gap, Reading, read

if TYPE_CHECKING:
    from ..catalog._loader import Catalog

__all__ = ["Found", "Kind", "Understood", "fallback_role", "find_role", "understand"]


class Kind(enum.StrEnum):
    """The kind of answer a sentence asks for: most are the command of that name."""

    ROLE = "role"
    SALARY = "salary"
    CHART = "chart"
    PITFALLS = "pitfalls"
    SKILLS = "skills"
    FAQ = "faq"
    ROLES = "roles"
    START = "start"
    PIN = "pin"
    SETROLE = "setrole"
    """A follow-up to a card repeats that card's command, whichever needs a role."""
    COMPARE = "compare"
    """One role's pay over others' (``/salary ROLE vs OTHER``)."""
    PATH = "path"
    """Moving into the role from another (its FAQ on switching)."""
    DEMAND = "demand"
    """Hiring and openings (the role card, those lines first)."""
    OTHER_ROLE = "other_role"
    """A role the catalogue has no card for."""
    PRIVACY = "privacy"
    """What the bot keeps of what a member told it."""
    SOURCE = "source"
    """The figures themselves: their region, date and source."""
    SEARCH = "search"
    """Words that name no card: the best snippets of the content."""
    CHAT = "chat"
    """Small talk and thanks: one short line."""


_COMMAND_OF = {Kind.COMPARE: "salary", Kind.PATH: "faq", Kind.DEMAND: "role"}
"""The command a kind that is not itself a command is answered as."""


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


def fallback_role(catalog: Catalog, default_role: str | None) -> Role | None:
    """The role a command naming none is about: the chat's default, else the only role."""
    if default_role is not None and (role := catalog.get(default_role)) is not None:
        return role
    return catalog.roles[0] if len(catalog) == 1 else None


@dataclass(frozen=True, slots=True)
class Understood:
    """What a sentence asks: a ``Command`` (or ``None``: a search) and how it was read."""

    command: Command | None
    reading: Reading
    kind: Kind
    role: Role | None


def understand(
    text: str,
    catalog: Catalog,
    replying_to: Command | None = None,
    memory: Memory | None = None,
) -> Understood:
    """Read ``text`` (a follow-up to ``replying_to`` when given, else to the card the
    conversation last showed, from ``memory``) into a command or a search."""
    reading = read(text, derived.lexicon(catalog))
    if memory is not None and memory.asked and _names_only_role(reading):
        reading = replace(reading, intents=(memory.asked,))  # "SRE pay?" → "I meant MLOps"
    if memory is not None and replying_to is None and memory.last:
        replying_to = parse(memory.last)
    context_role, context_level = _context(catalog, replying_to)
    role = reading.role or context_role or fallback_role(catalog, None)
    if reading.level is not None and role is not None:
        named = catalog.level(role, reading.level.replace("-", " "))
        if named is not None:  # "mid level", "mid-level": the ladder's own id
            reading = replace(reading, level=named.id, unknown_level=False)
        ids = [(lvl.id if (lvl := catalog.level(role, name)) else name) for name in reading.levels]
        reading = replace(reading, levels=tuple(ids))  # "mid n sr": each the ladder's id
    band = reading.band
    if band is not None and reading.level is None and role is not None:
        level = _quoted_level(role, band)  # "ye 22–45 kis level ka hai?"
        if level is not None:
            reading = replace(reading, level=level, asks_years=True)
        elif _is_headline(role, band) and "salary" not in reading.intents:
            reading = replace(reading, intents=("salary", *reading.intents))  # "is 10–45 all?"
    elif band is not None and role is not None and _is_headline(role, band):
        intents = tuple(dict.fromkeys(("salary", *reading.intents)))
        # "10-45L, but senior is 45-80?": the headline band beside the ladder, which
        # says how the two go together (not why the role pays what it does)
        reading = replace(reading, level=None, intents=intents, asks_why=False)
    role = reading.role or context_role
    over = role or fallback_role(catalog, None)
    if reading.asks_why and over is not None and _past_headline(text, reading, over):
        gaps = (*reading.gaps, Gap("headline", reading.level or ""))  # "why is senior
        reading = replace(reading, asks_why=False, gaps=gaps, intents=("salary",))  # above 45?"
        if reading.pay is not None and _is_end(over, reading.pay):  # "beyond 45 lakh": the
            reading = replace(reading, pay=None, pay_text="")  # band's end, not their pay
    if reading.years_to is not None and reading.level is None and over is not None:
        held = _holding(over, reading.years, reading.years_to)
        if held is not None:  # "3-6 yoe": the level whose years are those
            reading = replace(reading, level=held, years=None, years_to=None, asks_years=True)
    if reading.asks_premium and not reading.others and over is not None and over.premiums:
        other = over.premiums[0].over[0].split(" (")[0]  # "DevOps (equivalent level)"
        reading = replace(reading, others=(other,))  # "is the premium the same at every level?"
    kind = _decide(reading, replying_to, role is not None)
    if len(reading.levels) > 1 and not reading.others and kind in _ACROSS:
        kind = Kind.SALARY  # "mid vs senior", "how does it change when you become senior?"
    if kind in (Kind.ROLE, Kind.FAQ) and not reading.topics and _switched_from(replying_to):
        kind = Kind.SKILLS  # "iske liye kya karna hoga?" after the route in: its steps
    after_pitfall = _names(replying_to, "pitfalls") and set(reading.intents) <= _TO_PREPARE
    after_pitfall = after_pitfall and not any(gap.kind == "topic" for gap in reading.gaps)
    after_pitfall = after_pitfall and _TOOLS.search(text.casefold()) is None  # "which tools?"
    # "any certs I should get?" after the pitfall: what the source lacks, then the skills
    if after_pitfall and kind in _TO_PREPARE_KINDS and _filler(catalog, reading):
        reading, kind = replace(reading, topics=()), Kind.PITFALLS  # "so how do I avoid that?",
        # "toh kya padhna chahiye?" after the pitfall: it, and what strong candidates discuss
    learnable = any(gap.word in vocab.LEARNABLE for gap in reading.gaps) and not reading.others
    after_card = replying_to is not None and kind in (Kind.PITFALLS, Kind.ROLE)
    if learnable and after_card and _filler(catalog, reading):  # "any certs worth doing?"
        kind = Kind.SKILLS  # after a card: none named, so the skills panels expect
    bare = reading.level is None and reading.years is None and reading.pay is None
    worth = bare and not vocab.WORTH.isdisjoint(reading.topics)
    if learnable and kind is Kind.SALARY and worth and not reading.asks_amount:
        kind = Kind.SKILLS  # "are paid bootcamps worth it?": none named, the skills expected
    if _asks_nearby(reading, kind):
        kind = Kind.DEMAND  # "remote jobs milti hai?", "will AI replace it?": the jobs
    if (
        reading.excluded
        and _only_filler(catalog, reading)
        and kind in (Kind.SEARCH, *_LOCATED.values())
    ):
        on = _card_of(catalog, role or fallback_role(catalog, None), reading.excluded)
        if on is not None:  # "apart from Kubernetes, what else is on the checklist?"
            reading, kind = replace(reading, topics=()), on
    enough = reading.asks_enough and kind in (Kind.ROLE, Kind.SKILLS, Kind.SEARCH)
    if enough and _on_skills(role or fallback_role(catalog, None), reading.topics):
        kind = Kind.SKILLS  # "only Docker and Python enough?": the lines asked, then the rest
    elif enough and _on_duties(role or fallback_role(catalog, None), reading.topics):
        reading = replace(reading, topics=(), intents=("role",))  # "is it just deploying
        kind = Kind.ROLE  # models?": what the job is, all of it
    more = kind is Kind.SALARY and reading.asks_more and reading.pay is None
    if more and memory is not None and not reading.others and memory.origin:
        reading = replace(reading, others=(memory.origin,))  # "so MLOps pays more?" after DevOps
    if memory is not None and kind is Kind.PATH and not reading.others and memory.origin:
        reading = replace(reading, others=(memory.origin,))  # "can I switch?" after "I'm a DS"
    if kind is Kind.SKILLS and not reading.others:  # "what to learn first?" after "I'm backend"
        origin = (memory.origin if memory is not None else "") or _switched_from(replying_to)
        if origin:
            reading = replace(reading, others=(origin,))
    if kind is Kind.ROLE and reading.asks_why and _shows_demand(replying_to):
        kind = Kind.SALARY  # "why so high?" after the openings: the source's reasons
    if kind is Kind.ROLE and not (reading.intents or reading.topics) and _shows_demand(replying_to):
        kind = Kind.DEMAND  # "in Bangalore?" after the openings: the openings, the gap first
    counts = reading.weak_pay and not reading.asks_amount  # "kitna milta?" is still pay
    if kind is Kind.SALARY and counts and _shows_demand(replying_to):
        kind = Kind.DEMAND  # "pune me kitni?" after the openings: how many, there
    own_level = reading.about_self and reading.level is not None and reading.pay is None
    own_level = own_level and not reading.asks_standing  # "where am I in the senior band?"
    if own_level and memory is not None and memory.years is not None and reading.years is None:
        reading = replace(reading, asks_years=True)  # "7 years" → "am I senior then?"
    if memory is not None and memory.knows_member:
        if kind in (Kind.PATH, Kind.SKILLS) and _pay_and_route(reading):
            reading, kind = _fill(reading, memory), Kind.SALARY  # "what to learn and how
            # much can I get?" after "DS, 3 years": their band, the route in next
        elif kind is Kind.SALARY and reading.asks_standing and reading.pay is None:
            reading = _fill(reading, memory)  # "where do I stand in the mid band?" after "26 LPA"
        elif kind is Kind.SALARY and (reading.years is not None or reading.pay is not None):
            reading = _fill(reading, memory)  # "getting 20 LPA, low?" after "3 yoe"
        elif _about_member(reading, kind) and not _no_route(
            role or fallback_role(catalog, None), kind, memory
        ):
            reading, kind = _fill(reading, memory), Kind.SALARY
    if reading.level is None and context_level is not None and role is not None:
        step = _step(reading)  # "one level down?"
        if step:
            ids = [lvl.id for lvl in role.ladder]
            at = ids.index(context_level) + step if context_level in ids else -1
            if 0 <= at < len(ids):
                reading, kind = replace(reading, level=ids[at]), Kind.SALARY
    if kind is Kind.SALARY and reading.asks_between and not reading.others:
        reading = replace(reading, level=None, years=None)  # "the gap between them?": all bands
    elif kind is Kind.SALARY and replying_to is not None and _same_card(reading):
        reading = replace(reading, level=reading.level or context_level)
    if kind is Kind.COMPARE and reading.level is None and reading.years is None:
        reading = replace(reading, level=context_level)  # "and the gap to DevOps?" after mid
    if kind is Kind.SALARY and replying_to is not None and not reading.others:
        against = _compared(replying_to)  # "sorry, I meant at mid level" after "vs devops"
        unit = reading.asks_unit and set(reading.intents) <= {"salary"}
        if against and unit and reading.pay is None and reading.years is None:
            level = reading.level or context_level  # "in lakhs?"
            reading = replace(reading, others=against, level=level)
            kind = Kind.COMPARE
        elif against and not reading.intents and reading.pay is None and not reading.asks_period:
            reading, kind = replace(reading, others=against), Kind.COMPARE
        # "is that per year?" after a premium: the level's yearly band, its premium under it
    return Understood(_command(kind, reading, role), reading, kind, role)


_ACROSS = (Kind.SALARY, Kind.COMPARE, Kind.PATH, Kind.FAQ, Kind.ROLE)
"""Kinds a sentence naming several levels is read as pay across them: "become senior" is
a step up the ladder, not a switch of role."""


_TO_PREPARE = frozenset({"skills", "role", "pitfalls"})
_TO_PREPARE_KINDS = (Kind.SKILLS, Kind.ROLE, Kind.SEARCH, Kind.PITFALLS)
"""After the interview pitfall, what a question with no topic of its own may be read as:
how to do better ("so how do I avoid that?", "what should I read up on?")."""
_LOCATED = {"skills": Kind.SKILLS, "pitfalls": Kind.PITFALLS, "role": Kind.ROLE}
"""The cards whose lists a "besides X, what else?" asks the rest of."""


def _only_filler(catalog: Catalog, reading: Reading) -> bool:
    """Nothing asked but what is set aside: no cue word, no topic of the content."""
    return not set(reading.intents) - {"role"} and _filler(catalog, reading)


def _filler(catalog: Catalog, reading: Reading) -> bool:
    """No topic word of the content ("read up", "avoid that"), only filler."""
    content = derived.lexicon(catalog).content
    return not any(len(topic) > 3 and topic in content for topic in reading.topics)


def _card_of(catalog: Catalog, role: Role | None, words: tuple[str, ...]) -> Kind | None:
    """The kind of the card whose line best matches ``words``."""
    if role is None:
        return None
    hits = derived.search_index(catalog).search(words, role.slug, 1)
    return _LOCATED.get(hits[0].piece.card) if hits else None


def _names(command: Command | None, name: str) -> bool:
    return command is not None and command.name == name


def _asks_nearby(reading: Reading, kind: Kind) -> bool:
    """Remote work or what comes next, asked of the job: the source's lines on demand."""
    kinds = {gap.kind for gap in reading.gaps}
    if "future" in kinds:
        ending = any(gap.word in vocab.ENDING for gap in reading.gaps)
        asked = (Kind.ROLE, Kind.SEARCH, Kind.SKILLS) if ending else (Kind.ROLE, Kind.SEARCH)
        return kind in asked  # "will AI replace MLOps engineers?", "... AI tools?"
    return "remote" in kinds and kind is Kind.ROLE and not reading.topics


def _on_skills(role: Role | None, words: tuple[str, ...]) -> bool:
    """``words`` name a skill panels expect of ``role`` ("only Docker and Python?",
    "is kubectl enough?"): whether it is enough is answered by the whole list."""
    if role is None or not words:
        return False
    return any(
        not set(_WORD.findall(skill.casefold())).isdisjoint(words) for skill in role.competencies
    )


def _on_duties(role: Role | None, words: tuple[str, ...]) -> bool:
    """``words`` are about ``role``'s duties and nothing else it lists ("just deploying
    models?", not "is one project owning a model in production enough?")."""
    if role is None or not words:
        return False
    stems = {word[:6] for word in words if len(word) > 3}
    duties = " ".join(role.duties).casefold()
    steps = [step for path in role.paths for step in path.steps]
    rest = " ".join((*role.competencies, *steps)).casefold()
    on_duties = {stem for stem in stems if stem in duties}
    elsewhere = {stem for stem in stems if stem in rest}
    return bool(on_duties - elsewhere) and not elsewhere - on_duties


_WORD = re.compile(r"[a-z0-9]+")
_TOOLS = re.compile(r"\b(tools?|toolchains?|stack)\b")
"""Naming tools: after the interview pitfall, the tools to learn, not the pitfall again."""


def _no_route(role: Role | None, kind: Kind, memory: Memory) -> bool:
    """Switching from a role the source gives no route from: that gap is the answer."""
    if kind is not Kind.PATH or role is None or not memory.origin:
        return False
    origin = memory.origin.casefold()
    return not any(origin in path.origin.casefold() for path in role.paths)


def _compared(command: Command) -> tuple[str, ...]:
    """The other roles a compared-pay command names (``/salary senior mlops vs devops``),
    not the topic words after them."""
    args = [arg.casefold() for arg in command.args]
    if "vs" not in args:
        return ()
    after = f" {' '.join(args[args.index('vs') + 1 :])} "
    found = [(after.find(f" {name} "), name) for name in _OTHER_NAMES if f" {name} " in after]
    return tuple(name for _, name in sorted(found))


_OTHER_NAMES = tuple(
    sorted({name.casefold() for name in vocab.OTHER_ROLES.values()}, key=len, reverse=True)
)


def _switched_from(command: Command | None) -> str:
    """The former role a switching answer was about (``/faq mlops switch backend``)."""
    if command is None or command.name != "faq" or "switch" not in command.args:
        return ""
    found = _compared(
        Command(command.spec, tuple(a if a != "switch" else "vs" for a in command.args))
    )
    return found[0] if found else ""


def _shows_demand(command: Command | None) -> bool:
    """The card replied to is the openings (``/role mlops demand``)."""
    return command is not None and command.name == "role" and "demand" in command.args


_DOWN = frozenset({"down", "below", "lower", "neeche", "niche", "before", "previous", "pehle"})
_UP = frozenset({"up", "above", "upar", "next", "after", "baad", "beyond"})
_WEAK_STEPS = frozenset({"before", "previous", "pehle", "after", "baad", "beyond"})
"""Words that are a step up or down the ladder only when nothing else is asked
("and the level after that?")."""


def _step(reading: Reading) -> int:
    """-1 for "one level down", +1 for "one level up", else 0."""
    words = set(reading.topics)
    if not words <= _DOWN | _UP or set(reading.intents) - {"salary"}:
        words -= _WEAK_STEPS  # "what happens after the interview?" is no step
    if words & _DOWN:
        return -1
    if words & _UP:
        return 1
    return 0


def _quoted_level(role: Role, band: tuple[float, float]) -> str | None:
    """The level whose band, in lakhs, is the one quoted."""
    for level in role.ladder:
        high = level.max / 100_000 if level.max is not None else None
        if level.min / 100_000 == band[0] and high == band[1]:
            return level.id
    return None


def _holding(role: Role, first: float | None, last: float) -> str | None:
    """The level whose years hold the whole span from ``first`` to ``last``."""
    for level in role.ladder:
        span = level.years
        if first is None or span is None or first < span.min:
            continue
        if span.max is None or last <= span.max:
            return level.id
    return None


def _is_headline(role: Role, band: tuple[float, float]) -> bool:
    """``band`` (in lakhs) is the role's headline band."""
    head = role.headline_pay
    if head is None or head.max is None:
        return False
    return (head.min / 100_000, head.max / 100_000) == band


def _fill(reading: Reading, memory: Memory) -> Reading:
    """``reading`` with the member's level, years, pay and former role from ``memory``
    where it has none of its own."""
    if reading.level is None and reading.years is None:
        if memory.level:
            reading = replace(reading, level=memory.level)
        else:
            reading = replace(reading, years=memory.years, years_text=memory.years_text)
    if not reading.others and memory.origin:
        reading = replace(reading, others=(memory.origin,))
    if reading.pay is None and memory.pay is not None:
        reading = replace(reading, pay=memory.pay, pay_text=memory.pay_text)
    return reading


def _about_member(reading: Reading, kind: Kind) -> bool:
    """A pay question that says nothing of the member's own years or pay, asked about
    them ("what would I get?", "fair?"): the figures they gave earlier answer it."""
    if reading.years is not None or reading.pay is not None or reading.level is not None:
        return False
    if kind in (Kind.CHAT, Kind.START, Kind.OTHER_ROLE):
        return False
    if kind is Kind.PATH and reading.about_self:
        return set(reading.intents) <= {"path", "salary"}  # "if I switch to mlops?": the
        # band they would join; "can I switch, and what should I learn?" asks the route
    topics = set(reading.topics) - vocab.PLACEMENT  # "is that low?", "within the band?"
    asks_pay = "salary" in reading.intents
    return (asks_pay and (reading.about_self or not (topics or reading.role))) or (
        not reading.intents and not topics
    )


def _pay_and_route(reading: Reading) -> bool:
    """The member asks both what they would earn and what to learn to move in, and
    gives no years, level or figure of their own here (those are remembered)."""
    if reading.years is not None or reading.level is not None or reading.pay is not None:
        return False
    return reading.about_self and {"salary", "skills"} <= set(reading.intents)


def _past_headline(text: str, reading: Reading, role: Role) -> bool:
    """A level's band asked about against an end of the headline band, quoted bare
    ("why is senior above 45?"): how the two bands go together, which the source does
    not explain (not why the role pays what it does)."""
    head, level = role.headline_pay, role.level(reading.level or "")
    if head is None or head.max is None or level is None or reading.others:
        return False
    ends = {f"{head.min / 100_000:g}", f"{head.max / 100_000:g}"}
    outside = level.min >= head.max or (level.max is not None and level.max <= head.min)
    return outside and not ends.isdisjoint(_BARE.findall(text))


def _is_end(role: Role, pay: int) -> bool:
    head = role.headline_pay
    return head is not None and pay in (head.min, head.max)


_BARE = re.compile(r"(?<![\d.])\d{1,3}(?![\d.])")


def _names_only_role(reading: Reading) -> bool:
    """The sentence names a role of the catalogue and asks nothing of its own ("oops, I
    meant MLOps, not SRE"): what was asked of the role before is asked of it."""
    return reading.role is not None and not (
        reading.intents or reading.others or reading.topics or reading.level or reading.years
    )


def _same_card(reading: Reading) -> bool:
    """A follow-up that names no level, years or figure of its own: about the card
    before ("and in lakhs?", "is that CTC or in-hand?", "kitna?")."""
    if reading.level is not None or reading.years is not None or reading.pay is not None:
        return False  # "and data engineer?" keeps the level: the same card for that role
    if not vocab.LOW_PAY.isdisjoint(reading.topics):
        return False  # "and the lowest?": the bottom of the ladder, not the level before
    if not reading.intents:
        return True  # "and data engineer?": the same card for that role
    if reading.role is not None or reading.others:
        return False  # "mlops salary": the role's pay as a whole
    form = reading.asks_unit or any(gap.kind == "pay_form" for gap in reading.gaps)
    return set(reading.intents) <= ({"salary", "role"} if form else {"salary"})


def _context(catalog: Catalog, replying_to: Command | None) -> tuple[Role | None, str | None]:
    if replying_to is None:
        return None, None
    found = find_role(catalog, replying_to.args)
    role, level = found.role, None
    if role is None and replying_to.spec.needs_role:  # "/salary staff": the only role
        role = fallback_role(catalog, None)
    if role is not None and replying_to.name == "salary":
        level = next((lvl.id for a in found.rest if (lvl := catalog.level(role, a))), None)
    return role, level


def _decide(reading: Reading, replying_to: Command | None, has_role: bool) -> Kind:
    if reading.chat:
        return Kind.CHAT
    if reading.about_privacy and reading.level is None and not reading.others:
        return Kind.PRIVACY  # "do you store my salary?"
    if reading.pay is not None or (reading.asks_years and reading.level is not None):
        return Kind.SALARY  # the member's own figure, or the years a level means
    if reading.years is not None and "salary" in reading.intents:
        return Kind.SALARY  # "4 yoe, want to move to MLOps, what pay?": the band, the route next
    plain = set(reading.intents) <= {"salary", "role"} and reading.level is None
    only_data = set(reading.topics) <= vocab.DATA_WORDS | vocab.PROVENANCE  # not "which GCCs"
    only_data = only_data and not any(gap.kind == "topic" for gap in reading.gaps)
    if reading.about_source and plain and only_data and not reading.others:
        return Kind.SOURCE  # "which year are these numbers from?"
    if any(gap.kind == "pay_form" for gap in reading.gaps) and not reading.others:
        return Kind.SALARY  # "does that include stock?": the band, after what it lacks
    intents = [i for i in reading.intents if i != Kind.COMPARE or reading.others]
    asks_about = reading.role is not None or reading.topics or reading.gaps
    if Kind.ROLES in intents and len(intents) > 1 and not asks_about:
        intents = [Kind.ROLES]  # "which roles do you know about": the catalogue
    if asks_about:  # "open roles for mlops", "the list of things panels expect", "a list
        # of bootcamps": about that role or those words, not the catalogue
        intents = [i for i in intents if i != Kind.ROLES]
    asks_other = reading.others and not reading.role and not has_role
    if asks_other and Kind.COMPARE not in intents and intents[:1] != [Kind.PATH]:
        return Kind.OTHER_ROLE  # "sre salary": a role we have no card for
    between = reading.asks_between or "gap" in reading.topics
    if not intents and reading.others and has_role and between:
        return Kind.COMPARE  # "the gap between this and DevOps?": their pay
    if not intents and reading.others and has_role and replying_to and _compared(replying_to):
        return Kind.COMPARE  # "sorry, I meant DevOps" after pay against SRE: pay again
    after_pay = _names(replying_to, "salary") and reading.role is None and not reading.about_self
    if not intents and reading.others and after_pay and not reading.content_topics:
        return Kind.OTHER_ROLE  # "what about devops then?" after a band: what the source
        # relates of that role's pay to this one, not a route from it
    if not intents and reading.others and has_role and not reading.content_topics:
        return Kind.PATH  # "backend to mlops", not "who builds feature stores, MLOps or DE?"
    if intents == [Kind.ROLE] and reading.others and reading.about_self and has_role:
        return Kind.PATH  # "I'm a QA engineer, can I do MLOps?"
    if intents == ["help"] and any(gap.kind == "topic" for gap in reading.gaps):
        intents = []  # "too old to start in MLOps?": a question, not /start
    if intents:
        intent = intents[0]
        return Kind.START if intent == "help" else Kind(intent)
    if reading.level is not None or reading.years is not None or reading.pay is not None:
        return Kind.SALARY
    if replying_to is not None and replying_to.spec.needs_role:
        return Kind(replying_to.name)
    # A tool or credential the source never names: nearest are the skills it lists
    # ("which certifications get me shortlisted?"), unless other words name content.
    topic_gap = any(gap.kind == "topic" for gap in reading.gaps)
    learnable = any(gap.word in vocab.LEARNABLE for gap in reading.gaps)
    if reading.topics:
        return Kind.SKILLS if learnable and not reading.content_topics else Kind.SEARCH
    if has_role or reading.gaps:
        return Kind.SKILLS if topic_gap else Kind.ROLE
    return Kind.START


def _command(kind: Kind, reading: Reading, role: Role | None) -> Command | None:
    spec = command_spec(_COMMAND_OF.get(kind, kind.value))
    if spec is None:
        return None
    args: list[str] = []
    if kind in (Kind.SALARY, Kind.COMPARE):
        if reading.years is not None:
            args += [f"{reading.years:g}", "years"]
        elif reading.level is not None:
            args.append(reading.level)
    if role is not None and spec.needs_role:
        args.append(role.slug)
    if kind is Kind.COMPARE:
        args += ["vs", *(other.casefold() for other in reading.others)]
    if kind is Kind.PATH:
        args += ["switch", *(other.casefold() for other in reading.others)]
    if kind is Kind.DEMAND:
        args.append("demand")
    if spec.needs_role:
        args += reading.topics
    return Command(spec, tuple(args))
