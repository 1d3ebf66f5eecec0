"""What the Slack adapter registers with the core. Imports no slack-bolt or slack_sdk:
the functions below import them when called, so ``careerbot ask`` stays quick."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from careerbot_chat.adapter import AdapterRegistration, CareerBot, CliCommand, Reply, Settings

from ._settings import SlackSettings
from ._words import NO_PUBLIC_URL, SETUP_HINT

if TYPE_CHECKING:
    from ._app import SlackPlatform

__all__ = ["ADAPTER"]


def _format_reply(reply: Reply) -> str:
    from ._render import format_reply

    return format_reply(reply)


def _create_platform(settings: Settings, bot: CareerBot) -> SlackPlatform:
    from ._app import create_platform

    return create_platform(settings, bot)


async def _run_dev(settings: Settings, bot: CareerBot) -> None:
    from ._app import run_dev

    await run_dev(settings, bot)


PLACEHOLDER_URL = "https://careerbot.example.com"


def _manifest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        help="public https URL of `careerbot serve`, with or without /slack/events "
        "(default: $CAREERBOT_PUBLIC_URL, else a placeholder)",
    )


def _print_manifest(args: argparse.Namespace) -> int:
    """``careerbot slack-manifest``: 0, or 2 with one line when the URL is not https."""
    from ._manifest import manifest_yaml

    url = args.url or os.environ.get("CAREERBOT_PUBLIC_URL") or ""
    if not url:
        url = PLACEHOLDER_URL
        print(f"careerbot: {NO_PUBLIC_URL.format(url=url)}", file=sys.stderr)
    try:
        manifest = manifest_yaml(url)
    except ValueError as exc:
        print(f"careerbot slack-manifest: error: --url {exc}", file=sys.stderr)
        return 2
    print(manifest, end="")
    return 0


ADAPTER = AdapterRegistration(
    name="slack",
    settings=SlackSettings,
    create_platform=_create_platform,
    format_reply=_format_reply,
    run_dev=_run_dev,
    edit_pace=1.2,  # chat.update is Tier 3: about 50 calls a minute
    setup_hint=SETUP_HINT,
    commands=(
        CliCommand(
            "slack-manifest",
            "print the Slack app manifest",
            _print_manifest,
            _manifest_arguments,
        ),
    ),
)
