"""Every word the Telegram adapter says (the core's ``messages`` holds the rest)."""

from __future__ import annotations

__all__ = [
    "ADMIN_CANNOT_PIN",
    "ALSO_ASKED",
    "BOT_CANNOT_PIN",
    "INLINE_PITFALLS",
    "INLINE_ROLE",
    "INLINE_SALARY",
    "SERVE_PROBLEM",
    "SETUP_HINT",
]

BOT_CANNOT_PIN = (
    "I need the admin right “Pin messages” to pin here. Make me an admin with "
    "that right, then try /pin again."
)
ADMIN_CANNOT_PIN = "You need the admin right “Pin messages” to use /pin here."

# A group answer that serves several members who asked the same thing meanwhile
ALSO_ASKED = "Also asked by"

# Inline mode: result titles
INLINE_ROLE = "{role}: role card"
INLINE_SALARY = "{role}: pay by level"
INLINE_PITFALLS = "{role}: interview pitfalls"

# For operators
SETUP_HINT = "TELEGRAM_BOT_TOKEN (and TELEGRAM_WEBHOOK_SECRET to serve its webhook) for Telegram"
SERVE_PROBLEM = (
    "TELEGRAM_WEBHOOK_SECRET is required to serve the Telegram webhook "
    "(or use `careerbot run telegram` for polling)"
)
