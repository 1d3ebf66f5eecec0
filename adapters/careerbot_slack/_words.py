"""Every word the Slack adapter says (the core's ``messages`` holds the rest)."""

from __future__ import annotations

__all__ = [
    "ALREADY_RUN",
    "HOME_BACK",
    "HOME_INTRO",
    "HOME_OPEN",
    "NOT_INSTALLED",
    "NOT_IN_CHANNEL",
    "NO_PUBLIC_URL",
    "PIN_LABEL",
    "PIN_SCOPE",
    "SETUP_HINT",
    "SHARE_FAILED",
    "SHARE_LABEL",
    "STILL_WORKING",
    "TRUNCATED",
    "TWO_MODES",
    "UMBRELLA_DESCRIPTION",
    "UMBRELLA_HINT",
    "needs",
]

NOT_IN_CHANNEL = "I'm not in this channel yet. Invite me with /invite @careerbot, then try again."
PIN_SCOPE = "I'm missing the pins:write permission; ask a workspace admin to reinstall me."

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

# For operators
SETUP_HINT = "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET for Slack"
NO_PUBLIC_URL = (
    "no --url and no CAREERBOT_PUBLIC_URL: using the placeholder {url}; "
    "replace it with your server's https address"
)

TWO_MODES = (
    "SLACK_BOT_TOKEN (one workspace) and SLACK_CLIENT_ID + SLACK_CLIENT_SECRET "
    "(Add to Slack) are two Slack modes: set one of them, not both"
)
NOT_INSTALLED = "careerbot is not installed in this workspace yet: ask an admin to add it."


def needs(name: str) -> str:
    """The one-line configuration error for a missing Slack variable."""
    return f"{name} is required for Slack"
