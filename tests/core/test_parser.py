"""The command grammar: names, aliases, @bot suffixes, umbrella form, plain text."""

from __future__ import annotations

import pytest

from careerbot_chat import parse
from careerbot_chat.answering._parser import MAX_ARGS, MAX_INPUT, clean


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/role mlops", "role", ("mlops",)),
        ("/ROLE MLOps", "role", ("mlops",)),
        ("/salary senior mlops", "salary", ("senior", "mlops")),
        ("/pay sr", "salary", ("sr",)),
        ("/interview", "pitfalls", ()),
        ("/role@CareerBot mlops", "role", ("mlops",)),
        ("/careerbot salary senior", "salary", ("senior",)),
        ("/careerbot", "help", ()),
        ("/careerbot /pin mlops", "pin", ("mlops",)),
        ("  /faq   mlops\tdevops ", "faq", ("mlops", "devops")),
    ],
)
def test_parse_commands(text: str, name: str, args: tuple[str, ...]) -> None:
    """Commands are found by name or alias, case-insensitively, with their words."""
    command = parse(text, bot_username="careerbot")
    assert command is not None
    assert (command.name, command.args) == (name, args)


def test_command_for_another_bot_is_ignored() -> None:
    """In a group, /role@OtherBot is not ours."""
    assert parse("/role@OtherBot mlops", bot_username="careerbot") is None


def test_unknown_command_becomes_help_naming_it() -> None:
    """An unknown command answers with help and remembers what was typed."""
    command = parse("/salry senior")
    assert command is not None
    assert (command.name, command.unknown) == ("help", "salry")


def test_words_after_the_umbrella_that_name_no_command_are_a_question() -> None:
    """``/careerbot sr mlops ka ctc kitna hai`` asks in words, as a mention would; a
    mistyped command written as one (``/careerbot /salry``) still gets help naming it."""
    asked = parse("/careerbot sr mlops ka ctc kitna hai")
    assert asked is not None
    assert (asked.name, asked.args) == ("ask", ("sr", "mlops", "ka", "ctc", "kitna", "hai"))
    typo = parse("/careerbot /salry senior")
    assert typo is not None
    assert (typo.name, typo.unknown) == ("help", "salry")


def test_plain_text_only_when_allowed() -> None:
    """Plain text is a question in words (/ask) where allowed, and ignored elsewhere."""
    assert parse("mlops") is None
    looked_up = parse("mlops", plain=True)
    assert looked_up is not None
    assert (looked_up.name, looked_up.args) == ("ask", ("mlops",))
    sentence = parse("How much does a Senior MLOps engineer make?", plain=True)
    assert sentence is not None
    assert sentence.name == "ask"
    assert sentence.args == ("how", "much", "does", "a", "senior", "mlops", "engineer", "make?")


def test_ask_keeps_a_long_question() -> None:
    """/ask keeps up to 40 words; other commands stay capped at 12 arguments."""
    long = " ".join(f"w{i}" for i in range(50))
    asked = parse(f"/ask {long}")
    assert asked is not None
    assert len(asked.args) == 40
    other = parse(f"/faq {long}")
    assert other is not None
    assert len(other.args) == 12


def test_plain_text_never_runs_moderator_commands() -> None:
    """Typing "pin mlops" in a private chat is a question, not a moderator command."""
    command = parse("pin mlops", plain=True)
    assert command is not None
    assert command.name == "ask"


def test_hostile_input_is_capped_and_cleaned() -> None:
    """Huge input, control and format characters cost nothing and vanish."""
    command = parse("/role " + "x " * 10_000 + "\x00\u202e")
    assert command is not None
    assert len(command.args) == MAX_ARGS
    assert len(clean("a" * 50_000)) == MAX_INPUT
    assert clean("a\x00b\u200fc\nd") == "a b c d"


def test_canonical_text() -> None:
    """A command prints back as its canonical form, used for button data."""
    command = parse("/PAY  Senior MLOPS")
    assert command is not None
    assert command.text == "/salary senior mlops"
