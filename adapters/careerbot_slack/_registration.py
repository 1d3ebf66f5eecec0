"""What the Slack adapter registers with the core. Imports no slack-bolt or slack_sdk:
``later`` imports them when a function is first called, so ``careerbot ask`` stays quick."""

from __future__ import annotations

import argparse
import re
import sys

from careerbot_chat.adapter import (
    AdapterRegistration,
    CliCommand,
    SecretShape,
    Settings,
    SettingsError,
    later,
)

from ._preview_style import PREVIEW_CSS
from ._settings import SlackSettings
from ._words import NO_PUBLIC_URL, SETUP_HINT

__all__ = ["ADAPTER", "TOKENS"]

TOKENS = (
    SecretShape("xox", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]+")),
    SecretShape("xapp-", re.compile(r"\bxapp-[A-Za-z0-9-]+")),
)
"""Bot, user and app-level tokens (``xoxb-…``, ``xoxp-…``, ``xapp-…``)."""


EXAMPLE_URL = "https://careerbot.example.com"


def _manifest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        help="public https URL of `careerbot serve`, with or without /slack/events "
        f"(default: $CAREERBOT_PUBLIC_URL, else the placeholder {EXAMPLE_URL})",
    )


def _public_url() -> str | None:
    """``CAREERBOT_PUBLIC_URL`` (environment or .env), if set; ``SettingsError`` when the
    settings cannot be read (an invalid value is named, not replaced by the placeholder)."""
    return Settings.load().public_url


def _oauth_mode() -> bool:
    """Whether the settings are the Add to Slack mode (client id and secret set)."""
    return Settings.load().section(SlackSettings).oauth


def _print_manifest(args: argparse.Namespace) -> int:
    """``careerbot slack-manifest``: 0, or 2 with one line when the URL is not https.

    With ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` set, the Add to Slack manifest."""
    from ._manifest import manifest_yaml

    try:
        url = args.url or _public_url()
        oauth = _oauth_mode()
    except SettingsError as exc:
        print(f"careerbot slack-manifest: error: {exc}", file=sys.stderr)
        return 2
    if not url:
        url = EXAMPLE_URL
        print(f"careerbot: {NO_PUBLIC_URL.format(url=url)}", file=sys.stderr)
    try:
        manifest = manifest_yaml(url, oauth=oauth)
    except ValueError as exc:
        named = "--url" if args.url else "CAREERBOT_PUBLIC_URL"  # the one that was given
        print(f"careerbot slack-manifest: error: {named} {exc}", file=sys.stderr)
        return 2
    print(manifest, end="")
    return 0


ADAPTER = AdapterRegistration(
    name="slack",
    settings=SlackSettings,
    create_platform=later("careerbot_slack._app:create_platform"),
    format_reply=later("careerbot_slack._render:format_reply"),
    run_dev=later("careerbot_slack._socket:run_dev"),
    create_runner=later("careerbot_slack._socket:create_runner"),
    edit_pace=1.2,  # chat.update is Tier 3: about 50 calls a minute
    setup_hint=SETUP_HINT,
    preview_card=later("careerbot_slack._preview:preview_card"),
    preview_css=PREVIEW_CSS,
    secret_shapes=TOKENS,
    commands=(
        CliCommand(
            "slack-manifest",
            "print the Slack app manifest",
            _print_manifest,
            _manifest_arguments,
        ),
    ),
)
