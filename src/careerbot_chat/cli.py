"""The ``careerbot`` command line. Imports stay lazy so ``careerbot ask`` starts fast.

Global options (``--content DIR``) are accepted before or after the subcommand. Every
error is one line on stderr; the exit status is 0 on success, 1 on errors (invalid
content, an unreachable database, output that cannot be written), 2 on usage errors (a
bad option or argument, a port outside 0-65535, a missing or invalid setting such as
a platform's token).
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import typing
from collections.abc import Sequence
from pathlib import Path

from ._errors import CareerbotError, ContentError, SettingsError
from .catalog._loader import Catalog, load_catalog, require_role_files

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
_WRITE_FAILURES = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT})
"""Errors writing to stdout (a full disk, ``> /dev/full``): one line, not a traceback."""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line (and exit status 2)."""

    def error(self, message: str) -> typing.NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _port(text: str) -> int:
    """A TCP port for argparse: 0 (any free one) to 65535, else a usage error."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535)")
    return port


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--content",
        type=Path,
        metavar="DIR",
        default=default,
        help="content folder (default: $CAREERBOT_CONTENT_DIR or the bundled one)",
    )


def _parser(adapters: bool = True) -> argparse.ArgumentParser:
    """The command line; with ``adapters``, each installed adapter's own subcommands too."""
    parser = _Parser(
        prog="careerbot", description="Career answers for tech communities, on every chat platform."
    )
    _global_options(parser, None)
    # The same options after the subcommand; SUPPRESS keeps a value given before it.
    common = _Parser(add_help=False)
    _global_options(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    ask = sub.add_parser("ask", parents=[common], help="answer one command and print it")
    ask.add_argument("text", nargs="+", help='e.g. "/salary senior mlops"')
    ask.add_argument(
        "--format", default="plain", help="plain (default), or an installed platform's name"
    )
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
        help="run the bot without a public URL: one platform by polling or Socket Mode "
        "(SIGHUP reloads content), or, with no platform, whatever is configured "
        "(else the console chat)",
    )
    run.add_argument("platform", nargs="?", help="an installed platform's name")
    run.add_argument(
        "--host",
        default="127.0.0.1",
        help="when serving, and the internal port's (default 127.0.0.1)",
    )
    run.add_argument("--port", type=_port, default=8080, help="when serving (default 8080)")
    run.add_argument(
        "--internal-port",
        type=_port,
        metavar="P",
        help="serve /healthz, /readyz and /metrics on port P while running "
        "(default: $CAREERBOT_INTERNAL_PORT, else not at all)",
    )
    serve = sub.add_parser("serve", parents=[common], help="serve the HTTP endpoints (production)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8080)
    serve.add_argument("--watch", action="store_true", help="reload content when files change")
    serve.add_argument(
        "--internal-port",
        type=_port,
        metavar="P",
        help="serve /healthz, /readyz and /metrics only on port P "
        "(default: $CAREERBOT_INTERNAL_PORT, else on --port with the rest)",
    )
    sub.add_parser("refresh-pins", parents=[common], help="edit pinned cards whose content changed")
    retire = sub.add_parser(
        "retire-roles",
        parents=[common],
        help="remove roles on purpose: the next content reload may drop them "
        "(the reload guard refuses large removals otherwise)",
    )
    retire.add_argument("slugs", nargs="+", metavar="SLUG", help="a role whose file was deleted")
    preview = sub.add_parser(
        "preview",
        parents=[common],
        help="a live web page showing every card as each platform shows it",
    )
    preview.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1 (this machine)")
    preview.add_argument(
        "--port", type=_port, default=8765, help="default 8765; 0 picks a free one"
    )
    if adapters:
        from ._registry import registrations

        for adapter in registrations().values():
            for command in adapter.commands:
                own = sub.add_parser(command.name, parents=[common], help=command.help)
                command.arguments(own)
                own.set_defaults(run=command.run)
    return parser


def _first_word(argv: Sequence[str]) -> str | None:
    """The subcommand in ``argv`` (the first word that is not an option or its value)."""
    words = iter(argv)
    for word in words:
        if word == "--content":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Adapters' own subcommands are looked up only when the command is not ours,
    # so `careerbot ask` loads no adapter at all.
    parser = _parser(adapters=_first_word(argv) not in _COMMANDS)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        run = _COMMANDS.get(args.command) or args.run
        status = int(run(args))
        sys.stdout.flush()  # a full disk or closed pipe is reported here, as one line
        return status
    except ContentError as exc:
        for problem in exc.problems:
            print(f"careerbot: {problem}", file=sys.stderr)
        return EXIT_ERROR
    except SettingsError as exc:  # a missing token or a bad setting: the operator's to fix
        print(f"careerbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CareerbotError as exc:
        print(f"careerbot: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (`careerbot ask … | head`): what it read is all it wanted.
        # Point stdout at nothing so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        if exc.errno not in _WRITE_FAILURES:
            raise
        # Writing the output failed (`careerbot schema > /dev/full`): one line, and
        # stdout pointed at nothing so the interpreter's final flush cannot fail again.
        print(f"careerbot: cannot write the output: {exc.strerror}", file=sys.stderr)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR


def _catalog(args: argparse.Namespace) -> Catalog:
    return load_catalog(args.content, cache=True)


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
    from ._errors import AdapterMissing
    from ._registry import find_adapter, names, needs_extra

    try:
        adapter = find_adapter(args.format)
    except AdapterMissing:
        # Every adapter ships in this distribution: an unknown name has no extra to install.
        choices = ", ".join(["plain", *names()])
        print(
            f"careerbot ask: unknown --format {args.format!r} (one of: {choices})", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        print(adapter.format_reply(reply))
    except ImportError as exc:
        print(needs_extra(args.format, exc), file=sys.stderr)
        return EXIT_ERROR
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
        require_role_files(args.dir or args.content)
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

    try:
        return run_command(args)
    except SettingsError as exc:  # a missing token: how it was called, not what it met
        print(f"careerbot: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _serve(args: argparse.Namespace) -> int:
    from .service._server import serve_command

    return serve_command(args)


def _refresh_pins(args: argparse.Namespace) -> int:
    from .service._server import refresh_pins_command

    return refresh_pins_command(args)


def _retire_roles(args: argparse.Namespace) -> int:
    from .service._server import retire_roles_command

    return retire_roles_command(args)


def _preview(args: argparse.Namespace) -> int:
    from .preview._serve import preview_command
    from .service._server import preview_drawers

    return preview_command(args, preview_drawers())


_COMMANDS = {
    "ask": _ask,
    "chat": _chat,
    "roles": _roles,
    "validate": _validate,
    "schema": _schema,
    "run": _run,
    "serve": _serve,
    "refresh-pins": _refresh_pins,
    "retire-roles": _retire_roles,
    "preview": _preview,
}

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
