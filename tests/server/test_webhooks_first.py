"""The webhooks are answered ahead of Starlette's layers; everything else goes through them."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from careerbot_chat.service._server import WebhooksFirst


class Hook:
    """An ASGI webhook endpoint, as the Slack adapter mounts its own."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse("hook")(scope, receive, send)


async def page(request: Request) -> Response:
    return PlainTextResponse("page")


def build() -> tuple[WebhooksFirst, list[str]]:
    # A path with a parameter is no fixed path: Starlette's router matches it.
    webhooks = [
        Route("/hook", Hook(), methods=["POST"]),
        Route("/hooks/{n}", Hook(), methods=["POST"]),
    ]
    starlette = Starlette(routes=[*webhooks, Route("/page", page)])
    passed: list[str] = []

    async def through_starlette(scope: Any, receive: Any, send: Any) -> None:
        passed.append(f"{scope.get('method', scope['type'])} {scope.get('path', '')}")
        await starlette(scope, receive, send)

    through_starlette.routes = starlette.routes  # type: ignore[attr-defined]
    return WebhooksFirst(webhooks, through_starlette), passed


async def test_a_webhook_skips_starlettes_layers_and_the_rest_does_not() -> None:
    app, passed = build()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
        assert (await client.post("/hook", content=b"{}")).text == "hook"
        assert passed == []
        assert (await client.get("/page")).text == "page"
        assert (await client.get("/hook")).status_code == 405  # Starlette's answer, as before
        assert (await client.post("/hook/")).status_code == 307  # Starlette's redirect
        assert (await client.post("/hooks/1")).text == "hook"
    assert passed == ["GET /page", "GET /hook", "POST /hook/", "POST /hooks/1"]
    assert {route.path for route in app.routes} == {"/hook", "/hooks/{n}", "/page"}
