"""``careerbot preview``: the preview alone, on 127.0.0.1 by default.

It answers only requests whose ``Host`` is one of its own names (``localhost``, the
loopback addresses, and the ``--host`` given), so a web page elsewhere cannot read
the unreleased content through a name of its own that resolves to 127.0.0.1 (DNS
rebinding); ``--host 0.0.0.0`` (or ``::``), listening everywhere on purpose, accepts
any name.
"""

from __future__ import annotations

import argparse
import socket
import sys
from typing import Any

from .._errors import ContentError
from ..catalog._loader import require_role_files
from ._card import Drawers
from ._state import PreviewState

__all__ = ["LOOPBACK_NAMES", "OwnHosts", "preview_command"]

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 - names, compared, not bound


def _host_name(header: str) -> str:
    """The name in a ``Host`` header, without its port (``[::1]:8765`` → ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


class OwnHosts:
    """ASGI middleware: 400 for an HTTP request whose ``Host`` is not one of ``names``."""

    def __init__(self, app: Any, host: str) -> None:
        self.app = app
        self.any = host.strip("[]") in WILDCARDS
        self.names = LOOPBACK_NAMES | {host.strip("[]").lower()}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not self.any:
            headers = dict(scope.get("headers") or ())
            name = _host_name(headers.get(b"host", b"").decode("latin-1"))
            if name not in self.names:
                from starlette.responses import PlainTextResponse

                response = PlainTextResponse("unknown host name", status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def preview_command(args: argparse.Namespace, drawers: Drawers) -> int:
    """Serve the preview of ``--content`` (or the bundled content) until Ctrl-C, each
    reply drawn by every one of ``drawers``."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import RedirectResponse
    from starlette.routing import Route

    from ._app import PREFIX, preview_routes

    require_role_files(args.content)  # nothing to preview: a mistyped --content, most likely
    state = PreviewState.load(args.content)
    if state.problems:  # the page shows them too, and fills in once they are fixed
        print(ContentError(list(state.problems)), file=sys.stderr)

    async def home(request: object) -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    app = Starlette(routes=[Route("/", home), *preview_routes(state, drawers)])
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # proto=IPPROTO_TCP: asyncio then sets TCP_NODELAY on each accepted connection, and no
    # response waits 40 ms for a delayed ACK (uvicorn's own bind_socket does the same).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(
            f"careerbot: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr
        )
        return 1
    # Listening before the URL is printed: a client that follows it at once is queued
    # until uvicorn accepts, rather than refused.
    sock.listen(128)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    print(
        f"Previewing {state.content_dir or 'the bundled content'} at http://{shown}:{port}{PREFIX}/ (Ctrl-C stops)",
        flush=True,
    )
    guarded = OwnHosts(app, args.host)
    config = uvicorn.Config(guarded, log_config=None, access_log=False, server_header=False)
    uvicorn.Server(config).run(sockets=[sock])
    return 0
