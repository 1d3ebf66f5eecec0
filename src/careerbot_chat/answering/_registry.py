"""The command registry: one list from which help, menus and manifests are made.

``/help``, Telegram's command menu (setMyCommands) and Slack's app manifest are all
generated from ``COMMANDS``; adding a command here adds it everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMMANDS", "CommandSpec", "command_spec", "member_commands", "moderator_commands"]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command: its name, other names, arguments and one-line description."""

    name: str
    description: str
    usage: str = ""
    example: str = ""
    aliases: tuple[str, ...] = ()
    moderator: bool = False
    needs_role: bool = True

    @property
    def usage_line(self) -> str:
        return f"/{self.name} {self.usage}".rstrip()


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("role", "What a role does, its demand and pay", "[role]", "/role mlops"),
    CommandSpec(
        "salary",
        "Pay bands by seniority, or one level",
        "[level | N years] [role] [vs role]",
        "/salary senior mlops",
        aliases=("pay", "salaries"),
    ),
    CommandSpec("chart", "Pay by level as a picture", "[role]", "/chart mlops"),
    CommandSpec(
        "pitfalls",
        "Interview mistakes and what strong candidates discuss",
        "[role]",
        "/pitfalls mlops",
        aliases=("interview",),
    ),
    CommandSpec("skills", "Core competencies and toolchains", "[role]", "/skills mlops"),
    CommandSpec("faq", "Common questions and answers", "[role] [words]", "/faq mlops devops"),
    CommandSpec(
        "ask",
        "A question in your own words",
        "text",
        "/ask how much does a senior mlops engineer make",
        needs_role=False,
    ),
    CommandSpec("roles", "Every role I know", example="/roles", needs_role=False),
    CommandSpec("help", "What I can answer", example="/help", needs_role=False),
    CommandSpec("start", "Say hello", example="/start", needs_role=False),
    CommandSpec(
        "pin", "Post and pin a role card (moderators)", "[role]", "/pin mlops", moderator=True
    ),
    CommandSpec(
        "unpin",
        "Unpin my pinned card (moderators)",
        example="/unpin",
        moderator=True,
        needs_role=False,
    ),
    CommandSpec(
        "setrole",
        "Set this chat's default role (moderators)",
        "role",
        "/setrole mlops",
        moderator=True,
    ),
    CommandSpec(
        "stats",
        "Most asked roles and unanswered queries (moderators)",
        example="/stats",
        moderator=True,
        needs_role=False,
    ),
)

_BY_NAME: dict[str, CommandSpec] = {}
for _spec in COMMANDS:
    for _name in (_spec.name, *_spec.aliases):
        _BY_NAME[_name] = _spec


def command_spec(name: str) -> CommandSpec | None:
    """The command called ``name`` (or one of its aliases), case-insensitive."""
    return _BY_NAME.get(name.casefold())


def member_commands() -> tuple[CommandSpec, ...]:
    return tuple(spec for spec in COMMANDS if not spec.moderator)


def moderator_commands() -> tuple[CommandSpec, ...]:
    return tuple(spec for spec in COMMANDS if spec.moderator)
