"""``careerbot preview``: the preview alone, on 127.0.0.1 by default."""

from __future__ import annotations

import argparse
import socket
import sys

from .._errors import ContentError
from ._card import Drawers
from ._state import PreviewState

__all__ = ["preview_command"]


def preview_command(args: argparse.Namespace, drawers: Drawers) -> int:
    """Serve the preview of ``--content`` (or the bundled content) until Ctrl-C, each
    reply drawn by every one of ``drawers``."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import RedirectResponse
    from starlette.routing import Route

    from ._app import PREFIX, preview_routes

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
    config = uvicorn.Config(app, log_config=None, access_log=False, server_header=False)
    uvicorn.Server(config).run(sockets=[sock])
    return 0
