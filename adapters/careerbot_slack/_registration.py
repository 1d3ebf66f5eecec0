"""What the Slack adapter registers with the core. Imports no slack-bolt or slack_sdk:
the functions below import them when called, so ``careerbot ask`` stays quick."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from careerbot_chat.adapter import (
    AdapterRegistration,
    CareerBot,
    CliCommand,
    Reply,
    Settings,
    SettingsError,
)

from ._preview_style import PREVIEW_CSS
from ._settings import SlackSettings
from ._words import NO_PUBLIC_URL, SETUP_HINT

if TYPE_CHECKING:
    from careerbot_chat.preview import ChartSource, PreviewCard

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


EXAMPLE_URL = "https://careerbot.example.com"


def _manifest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        help="public https URL of `careerbot serve`, with or without /slack/events "
        f"(default: $CAREERBOT_PUBLIC_URL, else the placeholder {EXAMPLE_URL})",
    )


def _public_url() -> str | None:
    """``CAREERBOT_PUBLIC_URL`` (environment or .env), if it is set and valid."""
    try:
        return Settings.load().public_url
    except SettingsError:
        return None


def _print_manifest(args: argparse.Namespace) -> int:
    """``careerbot slack-manifest``: 0, or 2 with one line when the URL is not https."""
    from ._manifest import manifest_yaml

    url = args.url or _public_url()
    if not url:
        url = EXAMPLE_URL
        print(f"careerbot: {NO_PUBLIC_URL.format(url=url)}", file=sys.stderr)
    try:
        manifest = manifest_yaml(url)
    except ValueError as exc:
        print(f"careerbot slack-manifest: error: --url {exc}", file=sys.stderr)
        return 2
    print(manifest, end="")
    return 0


def _preview_card(reply: Reply, chart_src: ChartSource, public_url: str | None) -> PreviewCard:
    from ._preview import preview_card

    return preview_card(reply, chart_src, public_url)


ADAPTER = AdapterRegistration(
    name="slack",
    settings=SlackSettings,
    create_platform=_create_platform,
    format_reply=_format_reply,
    run_dev=_run_dev,
    edit_pace=1.2,  # chat.update is Tier 3: about 50 calls a minute
    setup_hint=SETUP_HINT,
    preview_card=_preview_card,
    preview_css=PREVIEW_CSS,
    commands=(
        CliCommand(
            "slack-manifest",
            "print the Slack app manifest",
            _print_manifest,
            _manifest_arguments,
        ),
    ),
)
