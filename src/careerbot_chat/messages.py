"""Every word the bot says that does not come from content, in one place.

Keep the tone friendly and short: most readers are on phones in busy groups.
Templates use ``str.format`` fields; values are plain text, escaped by renderers.
"""

from __future__ import annotations

ECHO_MAX = 40
"""Longest piece of user text echoed back (then "…")."""

BOT_NAME = "careerbot"
TAGLINE = "Career answers for tech communities: roles, pay bands, interview pitfalls."
TRY = "Try {example}. Commands work in any order and any case."

HELP_TITLE = "What I can answer"
HELP_MODERATORS = "For moderators"
HELP_UNKNOWN = "I don't know the command /{name}. Here is what I can do."
START_TITLE = "Hi! I'm careerbot"
START_BODY = (
    "Ask me about tech roles in India: what the job is, what each level pays, "
    "and where interviews go wrong. Every figure comes with its source and date."
)

CATALOG_TITLE = "Roles I know ({count})"
CATALOG_MORE = "…and {more} more. Type /role and part of a name to find one."
CATALOG_EMPTY = "No roles are loaded yet."
WHICH_ROLE = "Which role? For example: {example}"

ROLE_NOT_FOUND_TITLE = "No role called “{query}”"
DID_YOU_MEAN = "Did you mean {names}?"
NO_SUGGESTION = "Type /roles to see every role I know."

LEVEL_NOT_IN_SOURCE = "The source gives no {level} band for {role}. It lists: {levels}."
NO_LADDER = "The source gives no pay bands by level for {role}."
NO_BAND_BELOW = "The source gives no band below {lowest}."
YEARS_NOT_IN_SOURCE = (
    "The source ties no level of {role} to {years} of experience. Levels with years: {known}."
)
YEARS_NONE_KNOWN = "The source gives no experience ranges for {role}'s levels."
LEVEL_UNKNOWN = "I don't know the level “{level}” for {role}. Levels: {levels}."
LEVEL_ACROSS_TITLE = "{level} pay across roles"
LEVEL_ACROSS_NONE = "No role I know lists a “{level}” band."
ALL_LEVELS = "All levels"

FAQ_NO_MATCH = "No question about “{words}” for {role}; here are all of them."
SECTION_EMPTY = "The source says nothing about {what} for {role} yet."

CARD_OUT_OF_DATE = "This card is out of date: that role is no longer in my catalogue."
SORRY = "Sorry, something went wrong on my side. Please try again in a minute."

MODERATORS_ONLY = "Sorry, only this chat's admins can use /{name}."
GROUPS_ONLY = "/{name} is for groups and channels: add me to one and ask there."
PINNED = "Pinned the {role} card."
UNPINNED = "Unpinned the {role} card."
NOTHING_PINNED = "I have no pinned card in this chat."
DEFAULT_ROLE_SET = "This chat's default role is now {role}: /salary senior needs no role here."
SETROLE_NEEDS_ROLE = "Which role? For example: /setrole mlops"
STORE_DOWN = "I couldn't save that just now; nothing changed. Please try again in a minute."
PIN_FAILED = "I couldn't pin that card ({reason}). Nothing was recorded; please try again."

PERMISSION_HINTS = {
    "telegram_pin": (
        "I need the admin right “Pin messages” to pin here. Make me an admin with "
        "that right, then try /pin again."
    ),
    "telegram_admin_pin": "You need the admin right “Pin messages” to use /pin here.",
    "slack_not_in_channel": (
        "I'm not in this channel yet. Invite me with /invite @careerbot, then try again."
    ),
    "slack_pin_scope": "I'm missing the pins:write permission; ask a workspace admin to reinstall me.",
}

# Telegram inline mode: result titles
INLINE_ROLE = "{role}: role card"
INLINE_SALARY = "{role}: pay by level"
INLINE_PITFALLS = "{role}: interview pitfalls"

# Slack
SHARE_LABEL = "Share in channel"
PIN_LABEL = "Pin"
TRUNCATED = "…more than Slack shows in one message. Ask for a narrower card, e.g. /salary senior."
HOME_BACK = "← All roles"
HOME_OPEN = "Open"
HOME_INTRO = "Ask in any channel with /role, /salary, /pitfalls, /skills or /faq, or tap a role."
UMBRELLA_DESCRIPTION = "Career answers: roles, pay bands, interview pitfalls"
UMBRELLA_HINT = "[command] [args], e.g. salary senior mlops"
STILL_WORKING = "On it: Slack is slow right now, so I'll answer here in a moment."
ALREADY_RUN = "Already done: this exact request was handled once, so I did not run it again."
SHARE_FAILED = "I couldn't share that card ({reason}). Please try again."

STATS_TITLE = "What this community asks"
STATS_TOP_ROLES = "Most asked roles"
STATS_TOP_COMMANDS = "Most used commands"
STATS_GAPS = "Asked but not found (content gaps)"
STATS_EMPTY = "Nothing asked yet."

SOURCE_FOOTER = "Source: {title} ({kind}, {as_of})"


def echo(text: str) -> str:
    """User text as it may be shown back: capped at ``ECHO_MAX`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= ECHO_MAX else text[: ECHO_MAX - 1].rstrip() + "…"


def join_names(names: list[str] | tuple[str, ...], last: str = "or") -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {last} " + names[-1]
