"""What the Slack adapter registers with the core. Imports no slack-bolt or slack_sdk:
the functions below import them when called, so ``careerbot ask`` stays quick."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from careerbot_chat.adapter import AdapterRegistration, CareerBot, CliCommand, Reply, Settings

from ._settings import SlackSettings
from ._words import SETUP_HINT

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


def _manifest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        default="https://careerbot.example.com",
        help="public base URL of `careerbot serve`",
    )


def _print_manifest(args: argparse.Namespace) -> int:
    from ._manifest import manifest_yaml

    print(manifest_yaml(args.url), end="")
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
