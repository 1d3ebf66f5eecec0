"""The preview's web routes (Starlette), mounted at ``/preview``.

``careerbot preview`` serves them alone on 127.0.0.1; ``careerbot serve`` mounts them
only when ``CAREERBOT_PREVIEW_TOKEN`` is set, and then every route but the token form
needs the cookie that form sets (the token is compared in constant time; the cookie
holds an HMAC of it, never the token). The form reads at most ``MAX_FORM`` bytes
before the token is checked (413 past it), and the charts drawn from unreleased
content are cached ``private``, never by a shared cache.

The page polls ``state`` every second; each poll checks the role files (a few
``stat`` calls) and reloads them when they changed, so a saved file shows within
about a second and nothing runs while no page is open.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from .._http import MAX_BODY, read_capped
from ..chart import chart_spec, parse_key, render_svg
from ._card import Drawers
from ._page import Previewer, Row, styles
from ._state import PreviewState

__all__ = [
    "COOKIE",
    "MAX_FORM",
    "MAX_QUESTION",
    "NO_STORE",
    "POLL_MS",
    "PREFIX",
    "Preview",
    "preview_routes",
]

PREFIX = "/preview"
POLL_MS = 1000
COOKIE = "careerbot_preview"
MAX_QUESTION = 500
NO_STORE = {"Cache-Control": "no-store"}
MAX_FORM = MAX_BODY
"""The most the token form reads before the token is checked (1 MiB, as the webhooks)."""


@functools.cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("careerbot_chat.preview"), autoescape=select_autoescape()
    )


def _render(name: str, **context: Any) -> str:
    return _env().get_template(name).render(**context)


ASKED = "You asked:"
"""The heading of a typed question's row; the question follows it once, as code."""


class Preview:
    """The routes, bound to one ``PreviewState``."""

    def __init__(
        self,
        state: PreviewState,
        drawers: Drawers,
        *,
        token: str | None = None,
        public_url: str | None = None,
    ) -> None:
        self.state = state
        self.drawers = drawers
        self.token = token
        self.public_url = public_url

    def routes(self) -> list[BaseRoute]:
        return [
            Route(f"{PREFIX}", self.redirect, methods=["GET"]),
            Route(f"{PREFIX}/", self.page, methods=["GET", "POST"]),
            Route(f"{PREFIX}/state", self.state_json, methods=["GET"]),
            Route(f"{PREFIX}/body", self.body, methods=["GET"]),
            Route(f"{PREFIX}/card", self.card, methods=["GET"]),
            Route(f"{PREFIX}/ask", self.ask, methods=["GET"]),
            Route(f"{PREFIX}/section", self.section, methods=["GET"]),
            Route(f"{PREFIX}/charts/{{name}}", self.chart, methods=["GET"]),
        ]

    # -- access --------------------------------------------------------------------

    def _cookie_value(self) -> str:
        assert self.token is not None
        return hmac.new(self.token.encode(), b"careerbot preview", hashlib.sha256).hexdigest()

    def _allowed(self, request: Request) -> bool:
        if self.token is None:
            return True
        given = request.cookies.get(COOKIE, "")
        return hmac.compare_digest(given.encode(), self._cookie_value().encode())

    async def _login(self, request: Request) -> Response:
        """The token form; a right token sets the cookie and shows the page."""
        assert self.token is not None
        failed = False
        if request.method == "POST":
            raw = await read_capped(request)
            if raw is None:
                return Response("payload too large", status_code=413, media_type="text/plain")
            form = parse_qs(raw[:4096].decode("utf-8", "replace"))
            given = (form.get("token") or [""])[0]
            if hmac.compare_digest(given.encode(), self.token.encode()):
                response = RedirectResponse(f"{PREFIX}/", status_code=303)
                response.set_cookie(
                    COOKIE,
                    self._cookie_value(),
                    path=PREFIX,
                    httponly=True,
                    samesite="strict",
                    secure=request.url.scheme == "https",
                )
                return response
            failed = True
        html = _render("login.html", base=f"{PREFIX}/", failed=failed)
        return HTMLResponse(html, status_code=401 if failed else 200, headers=NO_STORE)

    # -- pages ---------------------------------------------------------------------

    def _previewer(self) -> Previewer:
        return Previewer(self.state.catalog, self.drawers, _chart_src, self.public_url)

    def _body(self) -> str:
        catalog = self.state.catalog
        problems = [
            {
                "file_name": p.file.name if p.file else "content",
                "path": p.path,
                "message": p.message,
            }
            for p in self.state.problems
        ]
        return _render(
            "body.html",
            revision=self.state.revision,
            problems=problems,
            roles=catalog.roles,
            version=catalog.version,
            source=self.state.content_dir or "bundled content",
            sections=list(self._previewer().sections()),
        )

    async def redirect(self, request: Request) -> Response:
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    async def page(self, request: Request) -> Response:
        """The whole page; with a token, its form until the token is given."""
        if self.token is not None and (request.method == "POST" or not self._allowed(request)):
            return await self._login(request)
        if request.method == "POST":  # no token to give: nothing to post (nor read)
            return Response("nothing to post here", status_code=405, headers={"Allow": "GET"})
        await self.state.check()
        html = _render(
            "page.html",
            body=Markup(self._body()),  # noqa: S704 - rendered by our autoescaping template
            platform_css=Markup(styles(self.drawers)),  # noqa: S704 - the adapters' own constant CSS
            base=f"{PREFIX}/",
            poll_ms=POLL_MS,
        )
        return HTMLResponse(html, headers=NO_STORE)

    async def state_json(self, request: Request) -> Response:
        if not self._allowed(request):
            return _denied()
        revision = await self.state.check()
        return JSONResponse(
            {"revision": revision, "errors": len(self.state.problems)}, headers=NO_STORE
        )

    async def body(self, request: Request) -> Response:
        if not self._allowed(request):
            return _denied()
        await self.state.check()
        return HTMLResponse(self._body(), headers=NO_STORE)

    async def card(self, request: Request) -> Response:
        """One platform's card for a button's command (what the bot would show)."""
        if not self._allowed(request):
            return _denied()
        platform = request.query_params.get("platform", "")
        command = request.query_params.get("command", "")[:MAX_QUESTION]
        card = self._previewer().platform_card(platform, command)
        if card is None:
            return HTMLResponse("unknown platform or command", status_code=404)
        macro = _env().get_template("row.html").module.card_cell  # type: ignore[attr-defined]
        return HTMLResponse(str(macro(platform, card)), headers=NO_STORE)

    async def ask(self, request: Request) -> Response:
        """The answer to a question typed as a member would, on every platform."""
        if not self._allowed(request):
            return _denied()
        question = request.query_params.get("q", "").strip()[:MAX_QUESTION]
        row = self._previewer().row(question, ASKED) if question else None
        return HTMLResponse(_row_html(row) if row else "", headers=NO_STORE)

    async def section(self, request: Request) -> Response:
        """One role's cards, drawn when a large catalogue's role is opened."""
        if not self._allowed(request):
            return _denied()
        role = self.state.catalog.get(request.query_params.get("slug", ""))
        if role is None:
            return HTMLResponse("no such role", status_code=404)
        macro = _env().get_template("row.html").module.section_html  # type: ignore[attr-defined]
        return HTMLResponse(str(macro(self._previewer().section(role))), headers=NO_STORE)

    async def chart(self, request: Request) -> Response:
        """``charts/<role>-<version>.svg`` from the content being previewed."""
        if not self._allowed(request):
            return _denied()
        name: str = request.path_params["name"]
        parsed = parse_key(name.removesuffix(".svg")) if name.endswith(".svg") else None
        role = self.state.catalog.get(parsed[0]) if parsed else None
        spec = chart_spec(role) if role else None
        if spec is None or parsed is None or spec.version != parsed[1]:
            return Response("no such chart", status_code=404, media_type="text/plain")
        return Response(
            render_svg(spec),
            media_type="image/svg+xml",
            # private: drawn from unreleased content, behind the token in ``serve``
            headers={"Cache-Control": "private, max-age=86400, immutable"},
        )


def _row_html(row: Row) -> str:
    macro = _env().get_template("row.html").module.row_html  # type: ignore[attr-defined]
    return str(macro(row))


def _chart_src(key: str) -> str:
    return f"{PREFIX}/charts/{key}.svg"


def _denied() -> Response:
    return Response("preview token required", status_code=401, media_type="text/plain")


def preview_routes(
    state: PreviewState,
    drawers: Drawers,
    *,
    token: str | None = None,
    public_url: str | None = None,
) -> list[BaseRoute]:
    """The preview's routes under ``/preview`` (behind ``token`` when given), drawing
    each reply with every one of ``drawers``."""
    return Preview(state, drawers, token=token, public_url=public_url).routes()
