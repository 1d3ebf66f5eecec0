"""Turn what a member typed into a ``Command``: pure, no I/O, never raises.

Grammar, the same on every platform::

    /name[@bot] arg arg ...         a command; arguments in any order, any case
    /careerbot name arg ...         the umbrella form (Slack workspaces where /name is taken)
    /careerbot how much for senior? the umbrella and words that name no command: ``/ask``
    how much does a senior make?    plain text where the bot is addressed: ``/ask``

Input is capped before any work (``MAX_INPUT`` characters, ``MAX_ARGS`` words) and
control characters are dropped, so a hostile 10,000-character message costs no
more than a short one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ._registry import CommandSpec, command_spec

__all__ = [
    "MAX_ARGS",
    "MAX_ASK_WORDS",
    "MAX_INPUT",
    "MAX_WORD",
    "UMBRELLA",
    "Command",
    "clean",
    "parse",
]

MAX_INPUT = 300
MAX_ARGS = 12
MAX_ASK_WORDS = 40
MAX_WORD = 48
UMBRELLA = "careerbot"
_US = re.compile(r"\bU\.?S\.?(?![\w.])")
_ASK = "ask"


@dataclass(frozen=True, slots=True)
class Command:
    """A parsed command: which one, and the words after it (case-folded)."""

    spec: CommandSpec
    args: tuple[str, ...] = ()
    unknown: str | None = None
    """The name typed when it matched no command; the command is then ``help`` and
    ``args`` the words after the name ("/jobs mlops" is read as the words "jobs mlops")."""

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def text(self) -> str:
        """The canonical form, e.g. ``/salary senior mlops``."""
        return " ".join((f"/{self.spec.name}", *self.args))


def clean(text: str, limit: int = MAX_INPUT) -> str:
    """Drop control and format characters, collapse spaces, cap the length."""
    text = text[: limit * 4]
    if not text.isprintable():
        text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return " ".join(text.split())[:limit]


def _words(text: str, limit: int = MAX_ARGS) -> tuple[str, ...]:
    return tuple(word[:MAX_WORD] for word in text.casefold().split()[:limit])


def _spec(name: str) -> CommandSpec:
    spec = command_spec(name)
    assert spec is not None, name
    return spec


def parse(text: str, *, bot_username: str | None = None, plain: bool = False) -> Command | None:
    """Parse ``text``; ``None`` when it is not for us (plain text in a group, another bot)."""
    text = clean(text)
    if not text.startswith("/"):
        return _parse_plain(text) if plain and text else None
    head, _, rest = text[1:].partition(" ")
    name, _, addressee = head.partition("@")
    if addressee and bot_username and addressee.casefold() != bot_username.casefold():
        return None
    args = _words(rest, MAX_ASK_WORDS)
    if name.casefold() == UMBRELLA:
        if not args:
            return Command(_spec("help"))
        if not args[0].startswith("/") and command_spec(args[0]) is None:
            return _parse_plain(rest)  # a sentence after the umbrella is a question
        name, args = args[0].lstrip("/"), args[1:]
    spec = command_spec(name)
    if spec is None:
        return Command(_spec("help"), args[:MAX_ARGS], unknown=name[:MAX_WORD])
    return Command(spec, args if spec.name == _ASK else args[:MAX_ARGS])


def _parse_plain(text: str) -> Command:
    """Plain text is a question in words; ``answer`` reads it (``_ask``). "US" in
    capitals is the country, kept apart from "us" before the words are case-folded."""
    return Command(_spec(_ASK), _words(_US.sub("USA", text), MAX_ASK_WORDS))
