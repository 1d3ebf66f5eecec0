"""The ``careerbot`` command line. Imports stay lazy so ``careerbot ask`` starts fast.

Global options (``--content DIR``) are accepted before or after the subcommand. Every
error is one line on stderr; the exit status is 0 on success, 1 on errors (invalid
content, an unreachable database), 2 on usage errors (a bad option or argument).
"""

from __future__ import annotations

import argparse
import os
import sys
import typing
from collections.abc import Sequence
from pathlib import Path

from ._errors import CareerbotError, ContentError
from .catalog._loader import Catalog, load_catalog

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
PLACEHOLDER_URL = "https://careerbot.example.com"


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line (and exit status 2)."""

    def error(self, message: str) -> typing.NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--content",
        type=Path,
        metavar="DIR",
        default=default,
        help="content folder (default: $CAREERBOT_CONTENT_DIR or the bundled one)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="careerbot", description="Career answers for Telegram and Slack communities."
    )
    _global_options(parser, None)
    # The same options after the subcommand; SUPPRESS keeps a value given before it.
    common = _Parser(add_help=False)
    _global_options(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    ask = sub.add_parser("ask", parents=[common], help="answer one command and print it")
    ask.add_argument("text", nargs="+", help='e.g. "/salary senior mlops"')
    ask.add_argument("--format", choices=("plain", "telegram", "slack"), default="plain")
    sub.add_parser(
        "chat", parents=[common], help="chat with the bot in this terminal (Ctrl-D quits)"
    )
    sub.add_parser("roles", parents=[common], help="list the roles in the catalogue")
    validate = sub.add_parser(
        "validate", parents=[common], help="check content files; print errors and warnings"
    )
    validate.add_argument("dir", nargs="?", type=Path, help="content folder to check")
    sub.add_parser("schema", parents=[common], help="print the JSON Schema of a role file")
    run = sub.add_parser(
        "run",
        parents=[common],
        help="run the bot: telegram (polling), slack (Socket Mode), "
        "or, with no platform, whatever is configured (else the console chat)",
    )
    run.add_argument("platform", nargs="?", choices=("telegram", "slack"))
    run.add_argument("--host", default="127.0.0.1", help="when serving (default 127.0.0.1)")
    run.add_argument("--port", type=int, default=8080, help="when serving (default 8080)")
    serve = sub.add_parser("serve", parents=[common], help="serve the HTTP endpoints (production)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--watch", action="store_true", help="reload content when files change")
    manifest = sub.add_parser(
        "slack-manifest", parents=[common], help="print the Slack app manifest"
    )
    manifest.add_argument(
        "--url",
        help="public https URL of `careerbot serve`, with or without /slack/events "
        "(default: $CAREERBOT_PUBLIC_URL, else a placeholder)",
    )
    sub.add_parser("refresh-pins", parents=[common], help="edit pinned cards whose content changed")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_USAGE
    try:
        return _COMMANDS[args.command](args)
    except ContentError as exc:
        for problem in exc.problems:
            print(f"careerbot: {problem}", file=sys.stderr)
        return EXIT_ERROR
    except CareerbotError as exc:
        print(f"careerbot: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR


def _catalog(args: argparse.Namespace) -> Catalog:
    return load_catalog(args.content)


def _ask(args: argparse.Namespace) -> int:
    from .answering._answer import answer
    from .answering._parser import parse

    text = " ".join(args.text)
    command = parse(text, plain=True)
    if command is None:
        print("Nothing to answer.", file=sys.stderr)
        return EXIT_USAGE
    reply = answer(command, _catalog(args))
    if args.format == "plain":
        from .answering._render_plain import render_plain

        print(render_plain(reply))
        return EXIT_OK
    from .service._plugins import AdapterMissing, load_adapter

    try:
        adapter = load_adapter(args.format)
    except AdapterMissing as exc:
        print(exc, file=sys.stderr)
        return EXIT_ERROR
    print(adapter.format_reply(reply))
    return EXIT_OK


def _chat(args: argparse.Namespace) -> int:
    from .service._console import console_chat

    return console_chat(_catalog(args))


def _roles(args: argparse.Namespace) -> int:
    for role in _catalog(args).roles:
        print(f"{role.slug:<24} {role.title} ({role.region}, {role.as_of})")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog(args.dir or args.content)
    except ContentError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(exc.problems)} error(s); the bot would refuse this content.", file=sys.stderr)
        return EXIT_ERROR
    for warning in catalog.warnings:
        print(f"warning: {warning}")
    print(
        f"ok: {len(catalog)} role(s), {len(catalog.warnings)} warning(s), version {catalog.version}"
    )
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from .catalog._schema import schema_json

    print(schema_json(), end="")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from .service._server import run_command

    return run_command(args)


def _serve(args: argparse.Namespace) -> int:
    from .service._server import serve_command

    return serve_command(args)


def _slack_manifest(args: argparse.Namespace) -> int:
    from .service._plugins import AdapterMissing, load_adapter

    try:
        adapter = load_adapter("slack")
    except AdapterMissing as exc:
        print(exc, file=sys.stderr)
        return EXIT_ERROR
    url = args.url or os.environ.get("CAREERBOT_PUBLIC_URL") or ""
    if not url:
        url = PLACEHOLDER_URL
        print(
            f"careerbot: no --url and no CAREERBOT_PUBLIC_URL: using the placeholder {url}; "
            "replace it with your server's https address",
            file=sys.stderr,
        )
    try:
        manifest = adapter.manifest_yaml(url)
    except ValueError as exc:
        print(f"careerbot slack-manifest: error: --url {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(manifest, end="")
    return EXIT_OK


def _refresh_pins(args: argparse.Namespace) -> int:
    from .service._server import refresh_pins_command

    return refresh_pins_command(args)


_COMMANDS = {
    "ask": _ask,
    "chat": _chat,
    "roles": _roles,
    "validate": _validate,
    "schema": _schema,
    "run": _run,
    "serve": _serve,
    "slack-manifest": _slack_manifest,
    "refresh-pins": _refresh_pins,
}

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
