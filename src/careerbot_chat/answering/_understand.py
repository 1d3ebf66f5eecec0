"""Read a member's sentence: which role, what is asked, which level or years, which topic.

Pure and synchronous; no I/O. The words come from ``_vocabulary`` (what members ask
and how they say it) and from the catalogue (role names, level names, FAQ ``match:``
words, every word of every card), gathered once per catalogue in a ``Lexicon``.

Misspellings are corrected per word with rapidfuzz, only for words that are in no
list at all, and each correction is remembered per catalogue, so a message of known
words costs a few dictionary lookups and a typo costs one ``extractOne`` once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..catalog._checks import normalise
from ..catalog._content import Role, level_words
from . import _vocabulary as vocab
from ._figures import member_pay, quoted_band
from ._standing import asks_standing
from ._yesno import asks_yes_no

if TYPE_CHECKING:
    from ..catalog._loader import Catalog

__all__ = [
    "MAX_WORDS",
    "Gap",
    "Lexicon",
    "Reading",
    "content_words",
    "read",
    "tokens",
]

MAX_WORDS = 40
_TOKEN = re.compile(r"[a-z0-9₹][a-z0-9'./+-]*")
_MENTION = re.compile(r"@\w+")
_NUMBER_UNIT = re.compile(r"^(\d{1,2}(?:\.\d+)?)\+?(y|yr|yrs|years?|yoe)?$")
_CALENDAR_YEAR = re.compile(r"^(19|20)\d\d$")
_SPAN = re.compile(r"^(\d{1,2})-(\d{1,2})$")
"""A span of years in one word: ``3-6`` (``3-6 yoe``)."""
_BASIS = re.compile(
    r"\b(?:is|are|was)\s+(?:that|this|it|these|those|the\s+\w+)\s+(?:in\s+|the\s+)?ctc\b"
    r"|\b(?:ye|yeh|wo|woh)\s+ctc\b|\bctc\s+(?:hai|he|h)\s+kya\b|\bctc\s+(?:ya|or)\b"
    r"|\b(?:or|ya)\s+ctc\b"
)
"""Asking what a band is ("is that CTC?", "CTC or in-hand?"), not asking pay in CTC."""
_WHERE = re.compile(r"\b(where|kahan|kaha|kidhar)\b")
_MINE = re.compile(r"\b(my|mine|mera|meri|mere|you|your|aap|tum)\b")
_MY = re.compile(r"\b(my|mine|mera|meri|mere)\b")
_OTHER_PERSON = re.compile(
    r"\b(friends?|dost|colleagues?|co-?workers?|cousin|brother|sister|someone|somebody"
    r"|he|she|his|him|her|uska|uski|uske|guy)\b"
)
"""Words by which a member speaks of someone else ("my friend on 40 LPA", "is she
underpaid?"): a figure then is that person's, not the member's own."""
_FEATURE_STORE = re.compile(r"feature[- ]stor")
_SELF = re.compile(
    r"\b(i|i'm|im|me|my|mine|mujhe|mera|meri|mere|main|hu|hoon"
    r"|karu|karun|karoon|jaun|jaaun|aaun|seekhu|lagau)\b"
)
"""Words by which a member speaks of themselves (English and Hinglish, with the verbs
only a speaker says of themselves: "switch karu toh?")."""
_AMOUNT = frozenset({"kitna", "howmuch", "milta", "milega", "itna"})
"""Asking an amount (of money: "paisa kitna milta"); "kitni"/"kitne" ask a count."""
_EXPLAIN = re.compile(
    r"\b(explain|samjha\w*|difference between|differ|which one|which should|better)\b"
)
_ALL_FIRMS = re.compile(
    r"\b(?:all|every|any|har|sab|sabhi|saari|sari)\s+(?:\w+\s+)?(?:compan|firm|employer|org|mnc)"
)
_WHICH = re.compile(
    r"\b(?:which|name|names|list|examples?|kaunsi|konsi|kaunse|konse|kon si|kaun si)\b"
)
_HERE = re.compile(r"\w\s+here\W*$")
"""A member introducing themselves: "senior MLOps engineer here", "backend dev here"."""
_WHY = re.compile(r"\b(why|kyu|kyun|kyon|reason|wajah)\b")
_SPENT = re.compile(r"\b(?:been|(?!pay|earn|mak)\w+ing)\s+(?:\w+\s+){0,3}?for\s+a\s+month\b")
"""Time spent, not pay a month: "been prepping for a month", "learning k8s for a month"."""
_STILL_AHEAD = re.compile(
    r"\bstill\b.*\bin\s+(?:the\s+next\s+)?\d{1,2}\s*(?:years?|yrs?|saal)\b"
    r"|\bin\s+\d{1,2}\s*(?:years?|yrs?|saal)\b.*\bstill\b"
)
_WILL = re.compile(r"\b(?:will|going to|gonna|would)\b")
"""A time ahead, not experience: "will mlops still be a thing in 5 years?"."""
_MORE = re.compile(r"\b(more|extra|zyada|jyada|badhega|badhegi|bump|jump)\b")
_OUTSIDE = re.compile(
    r"\b(non[- ]?faang|outside|other than|besides|others|other companies|elsewhere|baaki"
    r"|everywhere|har jagah)\b"
)
_DIFFER = re.compile(r"\b(different|differ|differs|alag)\b")
_DEFINE = re.compile(
    r"\b(what\s*(is|'s|s|are|r)|whats|kya\s+(hai|h|hota|hoti|hote)|matlab|meaning|define|definition)\b"
)
"""A definition asked ("what is MLOps", "MLOps kya hota hai"): what the role is."""
_HEADCOUNT = re.compile(
    r"\b(how many|kitne)\b(?=.*\b(engineers|people|log|professionals|folks|devs|talent)\b)"
    r"(?!.*\b(jobs?|openings?|vacanc\w*|positions?|roles?|companies|naukri|naukriyan|years?|yrs)\b)"
)
"""How many people do the job ("how many MLOps engineers are there"): not openings."""
_COUNT = re.compile(
    r"\b(?:how many|kitni|kitne|number of)\b.*\b(?:openings?|vacanc\w*|jobs?|positions?|open roles)\b"
)
"""A count of openings asked ("how many openings r there"), beside whatever else is."""
_DIFFERENCE = frozenset({"difference", "diff", "farak", "fark", "farq"})
_WORK = frozenset({"work", "job", "kaam", "duties"})
"""Said together, how the work differs ("difference between MLOps and DevOps work")."""
_INTENT_OF = {word: intent for intent, words in vocab.INTENTS.items() for word in words}
_EXCEPT = re.compile(
    r"\b(?:besides|apart from|other than|except(?: for)?|aside from|excluding)\s+"
    r"([a-z0-9 '+-]+?)\s*(?:[,?.;]|$|\b(?:what|which|how|kya|do|does|is|are|should|can|i)\b)"
)
_ALAWA = re.compile(
    r"([a-z0-9+-]+(?:\s+[a-z0-9+-]+)?)\s+(?:ke|ki|k)\s+(?:alawa|alava|alaawa|alaava|siva|siwa|sivay|sivaay)\b"
)
"""Something set aside ("besides Python, what else?", "kubernetes ke alawa"): the rest of
the list it is on is asked."""
_NOT = re.compile(
    r"[,;]\s*(?:and\s+|but\s+)?not\s+(?:for\s+|the\s+)?([a-z0-9 '+-]+?)\s*(?:[,?.;!]|$)"
)
"""A correction's other half: "I meant pipelines, not serving"."""
_EXCEPT_CUES = (
    "besides",
    "apart",
    "other than",
    "except",
    "aside",
    "excluding",
    "ala",
    "siv",
    "siw",
)
_OVER = frozenset({"over", "above", "upar"})
"""Pay "over" another role named: how much more, the premium."""
_AUXILIARY = frozenset({"do", "does", "doing", "did"})
_YOU = frozenset({"you", "u", "aap", "tum"})
_ABOUT_BOT = frozenset({"do", "does", "know", "help", "hi", "hello", "hey", "explain"})
"""Cue words of a question about the bot itself, said to "you" and naming no role."""
_POLITE = vocab.SMALL_TALK["thanks"] | vocab.SMALL_TALK["hello"]
_INTERVIEW = frozenset({"interview", "interviews", "interviewing", "panel", "panels"})
_MY_PAY = re.compile(
    r"\bhow much (?:can|will|would|could|might|do|should) (?:i|we) (?:get|make|expect|draw)\b"
    r"|\bkitna (?:milega|milegi|mil sakta|mil sakti|milta)\b"
)
"""The member's own pay asked beside other things: "how much can I get?" is pay however
much else the sentence asks."""
_PER = frozenset({"a", "per", "every", "each", "har"})
"""Before "year", how often pay comes ("a crore a year"), not the member's experience."""


@dataclass(frozen=True, slots=True)
class Gap:
    """Something asked that the source may not break its figures down by."""

    kind: str  # city | country | company | remote | year | topic | pay_form | currency | future
    # | headline (a level's band against the headline band's ends: the word is the level)
    word: str


@dataclass(frozen=True, slots=True)
class Reading:
    """What a sentence says, slot by slot. ``role`` is only a role it names."""

    role: Role | None = None
    level: str | None = None
    years: float | None = None
    intents: tuple[str, ...] = ()
    years_to: float | None = None
    """With ``years``, the last of a span of years ("3-6 yoe", "3 to 6 years")."""
    years_text: str = ""
    """``years`` as typed when written as a word ("eight"), to echo it and no figure."""
    others: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    gaps: tuple[Gap, ...] = ()
    unknown_level: bool = False
    asks_years: bool = False
    pay: int | None = None
    """The member's own yearly pay in rupees, when they state one figure."""
    pay_text: str = ""
    """That figure as they typed it (``28 LPA``), to echo it and no other number."""
    pay_of_other: bool = False
    """The figure is someone else's ("my friend gets 40 LPA"): placed, never called theirs."""
    chat: str = ""
    """``thanks``, ``hello`` or ``ok`` when the message is only small talk."""
    about_self: bool = False
    """The member speaks of themselves ("I", "my", "mujhe")."""
    asks_why: bool = False
    """Asks for a reason ("why so much?", "kyu itna zyada?")."""
    asks_more: bool = False
    """Asks how much more (a premium, a bump on switching)."""
    outside: bool = False
    """Asks about pay outside a band's qualifier ("staff outside FAANG", "non-faang")."""
    asks_difference: bool = False
    """Asks how the role differs from another (not what it pays over it)."""
    weak_pay: bool = False
    """Pay is asked only by "how much" or "milega": after openings, it asks how many."""
    asks_amount: bool = False
    """"Kitna milta hai?", "how much?": an amount of money, not a count ("kitni?")."""
    asks_define: bool = False
    """"What is X?", "X kya hota hai?", "explain X", "the difference between X and Y",
    "which one should I pick?": an explanation or a choice, not a fact."""
    firms: str = ""
    """"which": the member asks which companies; "all": whether it holds at every one."""
    asks_unit: bool = False
    """Names a unit of pay (rupees, lakhs): "how much is that in lakhs?"."""
    content_topics: bool = False
    """Some topic word is a word of the role's content ("feature store"), not filler."""
    asks_premium: bool = False
    """Asks for pay over other roles ("the premium"), whether or not it names them."""
    asks_period: bool = False
    """Asks whether a figure is yearly ("is that per year?")."""
    asks_between: bool = False
    """Asks the distance between two bands ("the gap between them?")."""
    about_privacy: bool = False
    """Asks what the bot keeps of what the member told it ("do you store my salary?")."""
    about_source: bool = False
    """Asks about the figures themselves: their year, region or source."""
    band: tuple[float, float] | None = None
    """A band the member quotes, in lakhs ("ye 22–45 kis level ka hai?")."""
    levels: tuple[str, ...] = ()
    """Every level named, in order, when more than one is ("senior vs staff pay")."""
    excluded: tuple[str, ...] = ()
    """Topic words set aside ("besides Kubernetes, what else?"): the rest is asked."""
    asks_enough: bool = False
    """Asks whether some skills are enough ("only Docker and Python?")."""
    asks_standing: bool = False
    """Asks where the member stands ("where do I stand?", "kaha hu?"): their own figure."""
    asks_count: bool = False
    """Asks how many openings there are ("skills + how many openings?")."""
    asks_yes_no: bool = False
    """Asks yes or no ("so MLOps pays more?"), not how much or which (``_yesno``)."""
    corrected: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def intent(self) -> str | None:
        return self.intents[0] if self.intents else None


class Lexicon:
    """Every word the catalogue and the vocabulary know, built once per catalogue."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        names = [normalise(name).split() for role in catalog.roles for name in role.names]
        self.name_heads = frozenset(words[0] for words in names if words)
        self.name_words = {
            role.slug: frozenset(
                normalise(name) for name in role.names if len(normalise(name).split()) == 1
            )
            for role in catalog.roles
        }
        """Per role, its one-word names: named twice ("MLOps vs US MLOps"), no topic."""
        self.longest_name = max((len(words) for words in names), default=1)
        self.level_words = frozenset(
            word for role in catalog.roles for level in role.ladder for word in level_words(level)
        )
        known = set(vocab.STOPWORDS) | set(_INTENT_OF) | vocab.LEVELS | set(vocab.SHORT_FORMS)
        known |= set(vocab.SHORT_FORMS.values()) | vocab.CITIES | vocab.COUNTRIES
        known |= vocab.COMPANIES | vocab.REMOTE | vocab.COMMAND_WORDS
        known |= vocab.UNCOVERED | vocab.PAY_FORMS | vocab.CURRENCIES | vocab.FUTURE
        known |= vocab.WEAK_PAY | vocab.ACROSS_LEVELS | vocab.UNITS | vocab.BETWEEN
        known |= vocab.DATA_WORDS | vocab.PROVENANCE | vocab.PRIVACY | vocab.SHARING
        known |= vocab.PERIODS
        known |= {word for key in vocab.PHRASES for word in key}  # "how long" stays whole
        known |= {word for key in vocab.OTHER_ROLES for word in key}
        known |= {word for talk in vocab.SMALL_TALK.values() for word in talk}
        known |= vocab.SMALL_TALK_FILLER
        known |= {word for words in names for word in words}
        known |= {word for phrase in self.level_words for word in phrase.split()}
        self.content = frozenset(content_words(catalog))
        plain = vocab.TOP_PAY | vocab.LOW_PAY | vocab.PLACEMENT | vocab.CORRECTION
        plain |= vocab.SUFFICIENT | vocab.POSSESSIVE | vocab.ABROAD | vocab.COMMON_WORDS
        plain |= set(vocab.TOPIC_SYNONYMS)  # "stale" is no typo for "salary"
        self.known = frozenset(known | self.content | plain)
        """``plain``: everyday words that are never a typo, and never what a typo becomes."""
        self._echoed = (vocab.UNCOVERED | vocab.PAY_FORMS | vocab.CURRENCIES | vocab.COMPANIES) | (
            vocab.CITIES | vocab.COUNTRIES | vocab.FUTURE | vocab.REMOTE
        )
        """Words a gap note echoes back ("the source says nothing about Spark"): a guess
        into one of them puts words in the member's mouth, so it must be a close one."""
        self._targets = sorted(
            word
            for word in known
            if len(word) >= 3
            and word.isalpha()
            and not (len(word) <= 4 and word in vocab.STOPWORDS)  # "hosted" is not "hote"
        )
        self._fixes: dict[str, str] = {}

    def _swapped(self, word: str) -> str | None:
        """The known word ``word`` is with two neighbouring letters swapped ("waht"):
        the commonest slip, which a ratio scores low in a short word."""
        for at in range(len(word) - 1):
            swapped = f"{word[:at]}{word[at + 1]}{word[at]}{word[at + 2 :]}"
            if swapped != word and swapped in self.known:
                return swapped
        return None

    def fix(self, word: str) -> str:
        """``word`` itself when known or unfixable, else the closest known word."""
        if word in self.known or len(word) < vocab.FUZZY_MIN_LENGTH or not word.isalpha():
            return word
        fixed = self._fixes.get(word)
        if fixed is None:
            fixed = self._swapped(word) or self._closest(word)
            if len(self._fixes) < 4096:
                self._fixes[word] = fixed
        return fixed

    def _closest(self, word: str) -> str:
        """The known word ``word`` is most likely a slip for, or ``word`` itself."""
        from rapidfuzz import fuzz, process  # only when a word is in no list: a typo

        matches = process.extract(
            word,
            self._targets,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=vocab.FUZZY_CUTOFF,
            limit=4,
        )
        return next((target for target, score, _ in matches if _typo(word, target, score)), word)


def _typo(word: str, target: str, score: float) -> bool:
    """``word`` may be a slip of the keys for ``target``: not another form of it, not a
    short word grown by two letters ("mate" is not "kamate"), and close indeed when the
    target is a word a gap note echoes ("speak" is not "spark")."""
    if _inflected(word, target):
        return False
    if len(word) <= 5 and abs(len(word) - len(target)) > 1:
        return False
    return score >= vocab.FUZZY_ECHO_CUTOFF or target not in _ECHOED


def _inflected(word: str, target: str) -> bool:
    """``word`` is another form of a word ``target`` is also a form of ("managed" and
    "manager"): a real word, not a typo of ``target``."""
    if target.startswith(word) and target[len(word) :] in _SUFFIXES:
        return True  # "grow" and "growth"
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return target.startswith(word[: -len(suffix)]) and not target.endswith(suffix)
    return False


_SUFFIXES = frozenset({"th", "ing", "ed", "er", "ers"})
_ECHOED = (vocab.UNCOVERED | vocab.PAY_FORMS | vocab.CURRENCIES | vocab.COMPANIES) | (
    vocab.CITIES | vocab.COUNTRIES | vocab.FUTURE | vocab.REMOTE
)
"""Words a gap note echoes back ("the source says nothing about Spark"): a guess into
one of them puts words in the member's mouth, so it must be a close one."""


_WORD = re.compile(r"[a-z][a-z0-9-]+")


def content_words(catalog: Catalog) -> set[str]:
    """Every word of every role's content, so a topic word is never "corrected" away."""
    seen: set[str] = set()
    texts: set[str] = set()
    for role in catalog.roles:
        texts.update(_role_texts(role))
    for text in texts:
        seen.update(_WORD.findall(text.casefold()))
    return seen


def _role_texts(role: Role) -> list[str]:
    texts = [role.summary, *role.duties, *role.competencies]
    texts += [tool for chain in role.toolchains for tool in (chain.purpose, *chain.tools)]
    texts += [p.mistake for p in role.pitfalls]
    texts += [line for p in role.pitfalls for line in p.strong_candidates_discuss]
    texts += [f"{q.question} {q.answer} {' '.join(q.match)}" for q in role.faq]
    texts += [f"{path.origin} {path.note or ''} {' '.join(path.steps)}" for path in role.paths]
    if role.why_now is not None:
        texts += [role.why_now.summary, *role.why_now.market, *role.why_now.employers]
    return texts


def tokens(
    text: str, lexicon: Lexicon, *, fuzzy: bool = True
) -> tuple[list[str], list[tuple[str, str]]]:
    """Case-folded words, short forms expanded, phrases joined; with ``fuzzy`` (a sentence
    rather than a typed command's arguments) @mentions dropped and typos fixed."""
    folded = _MENTION.sub(" ", text.casefold()) if fuzzy else text.casefold()
    raw = [part for token in _TOKEN.findall(folded)[:MAX_WORDS] for part in _parts(token)]
    words: list[str] = []
    corrected: list[tuple[str, str]] = []
    for token in raw:
        token = token.removesuffix("'s").rstrip(".'/+-") or token  # "walmart's"
        token = token.removesuffix("-wise") or token  # "pay-wise", "salary-wise"
        token = vocab.NUMBER_WORDS.get(token) or vocab.SHORT_FORMS.get(token, token)
        fixed = lexicon.fix(token) if fuzzy else token
        if fixed != token:
            corrected.append((token, fixed))
        words.append(vocab.SHORT_FORMS.get(fixed, fixed))
    return _join_phrases(words), corrected


def _parts(token: str) -> list[str]:
    """``tcs/infosys`` as two words; ``ci/cd`` and ``v/s`` stay one."""
    if "/" not in token or token in vocab.SHORT_FORMS or token in vocab.UNCOVERED:
        return [token]
    return [part for part in token.split("/") if part]


def _spans(words: list[str], table: dict[tuple[str, ...], str]) -> list[tuple[str, bool]]:
    """``words`` with every run that is a key of ``table`` (longest first, up to three
    words) replaced by its value: ``(value, True)``; other words as ``(word, False)``."""
    out: list[tuple[str, bool]] = []
    heads = _HEADS.get(id(table))
    if heads is None:
        heads = _HEADS[id(table)] = frozenset(key[0] for key in table)
    index = 0
    while index < len(words):
        if words[index] not in heads:  # most words start no phrase: one set lookup
            out.append((words[index], False))
            index += 1
            continue
        for size in (3, 2, 1):
            key = tuple(words[index : index + size])
            if len(key) == size and key in table:
                out.append((table[key], True))
                index += size
                break
        else:
            out.append((words[index], False))
            index += 1
    return out


_HEADS: dict[int, frozenset[str]] = {}
"""Per table of ``_spans`` (the module's own, alive as long as it), the first words of
its keys."""


def _join_phrases(words: list[str]) -> list[str]:
    return [word for word, _ in _spans(words, vocab.PHRASES)]


def _take_role(words: list[str], lexicon: Lexicon) -> tuple[Role | None, list[str]]:
    """The longest run of words naming a catalogue role (trying singulars too)."""
    catalog = lexicon.catalog
    for size in range(min(lexicon.longest_name, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if words[start] not in lexicon.name_heads:
                continue
            run = words[start : start + size]
            role = catalog.find(" ".join(run))
            if role is None and run[-1].endswith("s"):
                role = catalog.find(" ".join([*run[:-1], run[-1][:-1]]))
            if role is not None:
                return role, words[:start] + words[start + size :]
    return None, words


def _take_others(words: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """Roles named that may not be in the catalogue (``devops``, ``data scientist``)."""
    spans = _spans(words, vocab.OTHER_ROLES)
    found = tuple(dict.fromkeys(name for name, other in spans if other))
    return found, [word for word, other in spans if not other]


def _take_years(words: list[str]) -> tuple[float | None, float | None, str | None, list[str]]:
    """A count of years (``5 years``, ``5y``, ``4.5 yoe``), or a span of them (``3-6 yoe``,
    ``3 to 6 years``: its first and last), and a calendar year (``2025``)."""
    years: float | None = None
    until: float | None = None
    calendar: str | None = None
    rest: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if years is None and (span := _years_span(words, index)) is not None:
            years, until, index = span
            continue
        match = _NUMBER_UNIT.match(word)
        after = words[index + 1] if index + 1 < len(words) else ""
        if match and years is None and (match[2] or after in vocab.YEAR_UNITS):
            years = float(match[1])
            index += 1 if match[2] else 2
            continue
        if _CALENDAR_YEAR.match(word) and calendar is None:
            calendar = word
        elif not word[0].isdigit() and word != "₹":
            rest.append(word)
        index += 1
    return years, until, calendar, rest


def _years_span(words: list[str], index: int) -> tuple[float, float, int] | None:
    """``3-6 years`` or ``3 to 6 years`` at ``index``: first, last, and the index after."""
    match = _SPAN.match(words[index])
    if match is not None:
        low, high, size = match[1], match[2], 1
    elif index + 2 < len(words) and words[index + 1] in ("to", "-", "se"):
        low, high, size = words[index], words[index + 2], 3
        if not (low.isdigit() and high.isdigit()):
            return None
    else:
        return None
    if index + size >= len(words) or words[index + size] not in vocab.YEAR_UNITS:
        return None
    first, last = float(low), float(high)
    return (first, last, index + size + 1) if first < last else None


def _take_level(
    words: list[str], role: Role | None, lexicon: Lexicon
) -> tuple[str | None, bool, list[str]]:
    """The level named (``senior``, ``mid level``, ``sr``); True when no ladder has it."""
    catalog = lexicon.catalog
    for size in (2, 1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if role is not None:
                level = catalog.level(role, phrase)
                known = level is not None
            else:
                known = phrase in lexicon.level_words
            if known or (size == 1 and phrase in vocab.LEVELS):
                if not known and start and words[start - 1] in vocab.POSSESSIVE:
                    continue  # "my manager says": a person, not the member's level
                rest = words[:start] + words[start + size :]
                level_id = level.id if role is not None and level is not None else phrase
                return level_id, not known, rest
    return None, False, words


def read(text: str, lexicon: Lexicon, *, fuzzy: bool = True) -> Reading:
    """Slot by slot, what ``text`` says (see ``Reading``); ``fuzzy`` corrects typos."""
    pay, pay_text = member_pay(text) if fuzzy else (None, "")
    folded = text.casefold()
    words, corrected = tokens(text, lexicon, fuzzy=fuzzy)
    said = set(words)
    about_source = not said.isdisjoint(vocab.DATA_WORDS) and not said.isdisjoint(vocab.PROVENANCE)
    chat = small_talk(words) if fuzzy else ""
    role, words = _take_role(words, lexicon)
    if role is not None:
        named = lexicon.name_words[role.slug]
        words = [word for word in words if word not in named or word in vocab.STOPWORDS]
    others, words = _take_others(words)
    if others and role is not None and (meant := _NOT.search(folded)) is not None:
        wrong, _ = _take_others(_TOKEN.findall(meant[1]))  # "I meant MLOps, not SRE"
        others = tuple(other for other in others if other not in wrong)
    years, until, calendar, words = _take_years(words)
    level, unknown_level, words = _take_level(words, role, lexicon)
    levels: list[str] = []
    while level is not None and len(levels) < 3:  # "mid vs senior vs staff"
        more, _, rest = _take_level(words, role, lexicon)
        if more is None or more == level or more in levels:
            break  # "senior MLOps vs senior backend": one level, the other a topic
        levels.append(more)
        words = rest
    levels = [level, *levels] if levels and level is not None else []
    found: dict[str, int] = {}
    gaps: list[Gap] = []
    topics: list[str] = []
    asks_years = False
    weak_pay = False
    asks_unit = False
    for at, word in enumerate(words):
        if word in vocab.UNITS:
            asks_unit = True
            if word not in _INTENT_OF:
                continue  # "in rupees": how a figure is given, not a topic
        intent = "faq" if word == "faq" else _INTENT_OF.get(word)
        if word in vocab.COMMAND_WORDS and word != "faq":
            intent = "roles" if word == "roles" else word
        if word in vocab.WEAK_PAY:
            weak_pay = True  # "how much Kubernetes": pay only when nothing else is asked
        elif intent is not None:
            found.setdefault(intent, len(found))
        elif (gap := _gap(word)) is not None:
            gaps.append(gap)
            topics.extend(vocab.NEAREST.get(word, ()))  # what the source says nearest
        elif word in ("years", "experience"):
            asks_years = asks_years or not (at and words[at - 1] in _PER)  # "a crore a year"
        elif word in vocab.CORRECTION:
            continue  # "sorry, I meant ...": how it is said, not what is asked
        elif word in vocab.ACROSS_LEVELS or word in vocab.BETWEEN:
            continue  # "with seniority", "between them": no level in particular
        elif word not in vocab.STOPWORDS and len(word) > 1:
            topics.append(word)
    if _STILL_AHEAD.search(folded) and _WILL.search(folded):
        gaps.append(Gap("future", "still"))
    if _SPENT.search(folded):
        gaps = [gap for gap in gaps if gap != Gap("pay_form", "monthly")]
    gained = bool(others) and any(g.kind == "pay_form" and g.word in vocab.GAINS for g in gaps)
    # "a hike going devops to mlops?": no hike in the source, but the premium over DevOps
    places = any(gap.kind in ("country", "city") for gap in gaps)
    if places and not others and not said.isdisjoint(vocab.ABROAD):
        found.pop("path", None)  # "mlops salary if I move to the US": moving country, not role
        topics = [topic for topic in topics if topic not in vocab.ABROAD]
    if role is None and not others and not said.isdisjoint(_YOU) and not (gaps or level or years):
        cues = {w for w in said if w in _INTENT_OF}
        if cues and cues <= _ABOUT_BOT and not any(t in lexicon.content for t in topics):
            found = {"help": 0}  # "what can you do?", "what do you know about?": the bot
            topics = []
    if weak_pay and {w for w in said if _INTENT_OF.get(w) == "role"} <= _AUXILIARY:
        found.pop("role", None)  # "what does a senior make": "does" asks nothing
    things = any(gap.kind in ("remote", "topic") for gap in gaps)
    ends = vocab.PLACEMENT | vocab.TOP_PAY | vocab.LOW_PAY  # "make, lowest to highest?"
    asked_alone = not set(found) - {"compare"} and not set(topics) - ends
    weak_pay = weak_pay and (
        (asked_alone and not things) or years is not None or _MY_PAY.search(folded) is not None
    )  # "what to learn and how much can I get?": their pay, beside the rest
    # "5 yoe devops, how much would I get and what to learn": the member's years ask pay
    # "premium kyu milta"; "wfh milta hai?" asks about remote work, not pay
    if role is not None and _HEADCOUNT.search(folded) and set(found) <= {"role"} and not weak_pay:
        found.pop("role", None)  # "kitne log kaam karte": a count, not what the work is
        gaps.append(Gap("topic", "how many people do this work"))
        topics.extend(vocab.NEAREST_HEADCOUNT)
    if weak_pay:
        found["salary"] = 0
    greeting = "help" in found and {w for w in said if _INTENT_OF.get(w) == "help"} <= _POLITE
    if greeting and (role is not None or others or level is not None or topics or len(found) > 1):
        found.pop("help")  # "hey, what's mlops?": the greeting asks nothing itself
    elif "help" in found and "help" in said and (gaps or len(found) > 1):
        found.pop("help")  # "which certifications would help me?": a verb, not /help
    plain = role is not None and not found and not topics and not gaps
    if plain and level is None and years is None and _DEFINE.search(folded):
        found["role"] = 0  # "what is mlops"; "senior mlops ka range kya hai" asks pay
    if "pitfalls" in found and (
        level is not None or years is not None or pay is not None or others
    ):
        pitfall_words = {w for w in said if _INTENT_OF.get(w) == "pitfalls"}
        if pitfall_words <= vocab.CORRECTION and said.isdisjoint(_INTERVIEW):
            found.pop("pitfalls")  # "oops wrong one, I meant mid level": a correction
    excluded = _excluded(folded, topics)
    if excluded:
        topics = [topic for topic in topics if topic not in excluded]
    if calendar is not None:
        gaps.append(Gap("year", calendar))
    if "ctc" in folded and _BASIS.search(folded):
        gaps.append(Gap("pay_form", "ctc"))
    if "skills" in found and _WHERE.search(folded):
        gaps.append(Gap("topic", "where to learn"))  # no courses or hubs in the source
    if any(gap.kind == "future" for gap in gaps):
        years = None  # "in the next 5 years" is a time ahead, not experience
    standing = asks_standing(folded)
    if standing:  # "how do I stack up?", "how does senior compare for me?": pay, placed
        topics = [topic for topic in topics if topic not in vocab.STANDING_WORDS]
        for intent in ("skills", "role", *(() if others else ("compare",))):
            cues = {w for w in said if _INTENT_OF.get(w) == intent}
            if intent in found and cues <= vocab.STANDING_WORDS | _AUXILIARY:
                found.pop(intent)
    intents = tuple(sorted(found, key=vocab.PRIORITY.index))
    if not chat and fuzzy and not said.isdisjoint(_POLITE):
        asks = role or level or years is not None or pay or others or gaps or calendar
        content = any(len(t) > 3 and t in lexicon.content for t in topics)  # not "up"
        if not asks and set(intents) <= {"help"} and not content:
            chat = "thanks" if not said.isdisjoint(vocab.SMALL_TALK["thanks"]) else "hello"
    return Reading(
        role=role,
        level=level,
        years=years,
        intents=intents,
        others=others,
        topics=tuple(dict.fromkeys(topics)),
        gaps=tuple(dict.fromkeys(gaps)),  # "jenkins … jenkins": named once
        unknown_level=unknown_level,
        asks_years=asks_years,
        pay=pay,
        pay_text=pay_text,
        pay_of_other=pay is not None and _OTHER_PERSON.search(folded) is not None,
        chat=chat,
        about_self=_SELF.search(folded) is not None
        or ("?" not in folded and _HERE.search(folded) is not None),
        asks_why=_WHY.search(folded) is not None,
        asks_more=gained
        or _MORE.search(folded) is not None
        or bool(others and "compare" not in found and not said.isdisjoint(_OVER)),
        outside=_OUTSIDE.search(folded) is not None,
        asks_difference=_DIFFER.search(folded) is not None
        or not (said.isdisjoint(_DIFFERENCE) or said.isdisjoint(_WORK)),
        weak_pay=weak_pay,
        asks_amount=weak_pay and not said.isdisjoint(_AMOUNT),
        firms=_firms(folded, said),
        asks_define=_DEFINE.search(folded) is not None or _EXPLAIN.search(folded) is not None,
        about_source=about_source and years is None and pay is None,
        about_privacy=_privacy(said, folded),
        asks_unit=asks_unit,
        asks_between=not vocab.BETWEEN.isdisjoint(words),
        asks_period=not said.isdisjoint(vocab.PERIODS),
        asks_premium=not said.isdisjoint(vocab.PREMIUM_WORDS),
        content_topics=any(topic in lexicon.content for topic in topics),
        band=quoted_band(text) if fuzzy else None,
        levels=tuple(levels),
        excluded=excluded,
        years_to=until if years is not None else None,
        years_text=_as_typed(folded, years),
        asks_enough=not said.isdisjoint(vocab.SUFFICIENT),
        asks_standing="standing" in said or standing,
        asks_count=_COUNT.search(folded) is not None,
        asks_yes_no=asks_yes_no(folded),
        corrected=tuple(corrected),
    )


def _as_typed(folded: str, years: float | None) -> str:
    """The word the member wrote ``years`` as ("eight"), or ``""`` when typed in figures."""
    if years is None or re.search(rf"(?<![\d.]){years:g}(?![\d.])", folded):
        return ""
    figure = f"{years:g}"
    said = (word for word in _TOKEN.findall(folded) if vocab.NUMBER_WORDS.get(word) == figure)
    return next(said, "")


def _excluded(folded: str, topics: list[str]) -> tuple[str, ...]:
    """The topic words a sentence sets aside ("besides deploying models, what else?",
    "I meant monitoring, not serving")."""
    match = _NOT.search(folded) if " not " in folded else None
    if match is None and not any(cue in folded for cue in _EXCEPT_CUES):
        return ()
    match = match or _EXCEPT.search(folded) or _ALAWA.search(folded)
    if match is None:
        return ()
    aside = set(_TOKEN.findall(match[1]))
    aside |= {vocab.SHORT_FORMS.get(word, word) for word in aside}
    return tuple(topic for topic in topics if topic in aside)


def _firms(folded: str, said: set[str]) -> str:
    """ "all" for "is that true at every company?", "which" for "which AI-native companies
    are hiring?", else ""."""
    if said.isdisjoint(vocab.FIRMS):
        return ""
    if _ALL_FIRMS.search(folded):
        return "all"
    return "which" if _WHICH.search(folded) else ""


def _privacy(words: set[str], folded: str) -> bool:
    """A privacy word said of the member's own things, not of feature stores."""
    if _FEATURE_STORE.search(folded):
        return False
    if not words.isdisjoint(vocab.SHARING) and _MY.search(folded):
        return True  # "do you share my salary?"
    return not words.isdisjoint(vocab.PRIVACY) and _MINE.search(folded) is not None


def small_talk(words: list[str]) -> str:
    """What kind of small talk ``words`` are (``thanks``, ``hello``, ``ok``), or ``""``
    when they say anything else. No words at all (an emoji) is an "ok"."""
    if len(words) > 6:
        return ""
    kinds = []
    for word in words:
        kind = next((k for k, talk in vocab.SMALL_TALK.items() if word in talk), None)
        if kind is None and word not in vocab.SMALL_TALK_FILLER:
            return ""
        if kind is not None:
            kinds.append(kind)
    if not words:
        return "ok"
    if not kinds:  # "good bot", "this bot is good": praise, said as thanks
        praised = "good" in words and not vocab.BOT_NAMES.isdisjoint(words)
        return "thanks" if praised else ""
    return "thanks" if "thanks" in kinds else kinds[0]


def _gap(word: str) -> Gap | None:
    for kind, words in (
        ("city", vocab.CITIES),
        ("country", vocab.COUNTRIES),
        ("company", vocab.COMPANIES),
        ("remote", vocab.REMOTE),
        ("topic", vocab.UNCOVERED),
        ("pay_form", vocab.PAY_FORMS),
        ("currency", vocab.CURRENCIES),
        ("future", vocab.FUTURE),
    ):
        if word in words:
            return Gap(kind, word)
    return None
