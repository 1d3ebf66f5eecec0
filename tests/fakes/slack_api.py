"""A fake Slack Web API: a small Starlette app served over real HTTP by the tests.

Aim ``AsyncWebClient(base_url=f"{base}/api/")`` at it. It answers ``auth.test``,
``chat.postMessage``, ``chat.update``, ``pins.add``, ``pins.remove``, ``users.info``
and ``views.publish`` the way Slack does (``{"ok": true, ...}``), ``apps.connections.open``
with the app-level token (the ``socket_url`` of a fake Socket Mode server), plus response URLs
at ``{base}/response/{key}``. Every call is recorded; ``fail()`` makes the next
calls of a method fail (a Slack error code, a 429 with ``Retry-After``, a 500).

Add to Slack: ``grant(code, team_id)`` makes ``oauth.v2.access`` (with the app's
``client_id``/``client_secret``) exchange ``code`` once for a new bot token of that
workspace; ``auth.test`` then answers for each token with its own workspace, and
``revoke(token)`` makes a token ``token_revoked`` from then on.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes.slack_spec import web_api_spec

BOT_USER_ID = "UCAREERBOT"
TEAM_ID = "T0CAREER"


@dataclass(frozen=True)
class Call:
    """One request the fake received: the method (or response key) and its parameters."""

    method: str
    params: dict[str, Any]
    authorization: str = ""


@dataclass(frozen=True)
class Failure:
    error: str = "internal_error"
    status: int = 200
    retry_after: int | None = None


@dataclass
class FakeSlackApi:
    """The fake's state: expected token, users, recorded calls and queued failures."""

    token: str
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    refused: list[tuple[Call, list[str]]] = field(default_factory=list)
    """Calls the Web API method list refuses (a required parameter missing), not run."""
    responses: list[Call] = field(default_factory=list)
    failures: dict[str, deque[Failure]] = field(default_factory=dict)
    base: str = ""
    delays: dict[str, deque[float]] = field(default_factory=dict)
    client_id: str = "1111.2222"
    client_secret: str = "fake-client-secret"
    workspaces: dict[str, str] = field(default_factory=dict)
    """Tokens issued through ``oauth.v2.access``, each with its workspace's team id."""
    revoked: set[str] = field(default_factory=set)
    codes: dict[str, str] = field(default_factory=dict)
    """Codes ``oauth.v2.access`` will exchange once, each for a workspace's team id."""
    rotation: bool = False
    """Token rotation on: tokens expire in ``expires_in`` seconds and come with a refresh
    token, which ``oauth.v2.access`` (``grant_type=refresh_token``) exchanges once."""
    expires_in: int = 3600
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    app_token: str = "xapp-1-A0CAREER-1-fakeapptoken"
    """The app-level token ``apps.connections.open`` takes (Socket Mode)."""
    socket_url: str = ""
    """What ``apps.connections.open`` answers: the fake Socket Mode server's ws:// URL."""
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/api/{method}", self._api, methods=["GET", "POST"]),
                Route("/response/{key}", self._response, methods=["POST"]),
            ]
        )

    # -- set-up ------------------------------------------------------------------------

    def add_user(self, user_id: str, *, admin: bool = False, owner: bool = False) -> None:
        self.users[user_id] = {"id": user_id, "is_admin": admin, "is_owner": owner}

    def fail(
        self,
        method: str,
        error: str = "internal_error",
        *,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail this way."""
        queue = self.failures.setdefault(method, deque())
        queue.extend([Failure(error, status, retry_after)] * times)

    def recover(self) -> None:
        """Forget every failure still queued: the API answers normally again."""
        self.failures.clear()

    def delay(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` answer only after ``seconds``."""
        self.delays.setdefault(method, deque()).extend([seconds] * times)

    def grant(self, code: str, team_id: str) -> None:
        """Let ``oauth.v2.access`` exchange ``code`` (once) for a bot token of ``team_id``."""
        self.codes[code] = team_id

    def revoke(self, token: str) -> None:
        """From now on ``token`` is refused (``token_revoked``)."""
        self.revoked.add(token)

    def token_of(self, team_id: str) -> str:
        """The bot token ``oauth.v2.access`` issued for ``team_id`` (the latest)."""
        return [token for token, team in self.workspaces.items() if team == team_id][-1]

    def with_token(self, token: str) -> list[Call]:
        """Every call made with ``token``."""
        return [call for call in self.calls if call.authorization == f"Bearer {token}"]

    def response_url(self, key: str = "r1") -> str:
        return f"{self.base}/response/{key}"

    def reset(self) -> None:
        """Forget the calls and response-URL posts received so far."""
        self.calls.clear()
        self.responses.clear()

    # -- inspection --------------------------------------------------------------------

    def to(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call to ``method``, oldest first."""
        return [call.params for call in self.calls if call.method == method]

    async def wait_for_responses(self, count: int = 1, within: float = 5.0) -> list[Call]:
        """Poll until ``count`` posts reached response URLs; fail after ``within`` seconds."""
        deadline = time.monotonic() + within
        while len(self.responses) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.responses)} of {count} response-URL posts")
            await asyncio.sleep(0.005)
        return self.responses

    # -- handlers ----------------------------------------------------------------------

    async def _params(self, request: Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query_params)
        raw = await request.body()
        if request.headers.get("content-type", "").startswith("application/json"):
            params.update(json.loads(raw or b"{}"))
        elif raw:
            params.update(parse_qsl(raw.decode()))
        return params

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        auth = request.headers.get("authorization", "")
        params = await self._params(request)
        reasons = web_api_spec().check(method, params)
        if method == "oauth.v2.access" and params.get("grant_type") == "refresh_token":
            # The 2021 list predates token rotation: a refresh token stands in for the code.
            reasons = [reason for reason in reasons if not reason.endswith("code is required")]
        if reasons:  # judged by the published method list (tests/fakes/specs)
            self.refused.append((Call(method, params, auth), reasons))
            return JSONResponse({"ok": False, "error": "invalid_arguments", "reasons": reasons})
        self.calls.append(Call(method, params, auth))
        if method == "oauth.v2.access":
            return JSONResponse(self._oauth_v2_access(auth, params))
        bearer = auth.removeprefix("Bearer ")
        if method == "apps.connections.open":  # only the app-level token opens a link
            given = bearer or str(params.get("token", ""))
            if given != self.app_token:
                return JSONResponse({"ok": False, "error": "invalid_auth"})
            return self._apps_connections_open(params)
        if bearer in self.revoked:
            return JSONResponse({"ok": False, "error": "token_revoked"})
        if auth != f"Bearer {self.token}" and bearer not in self.workspaces:
            return JSONResponse({"ok": False, "error": "invalid_auth"})
        delays = self.delays.get(method)
        if delays:
            await asyncio.sleep(delays.popleft())
        queue = self.failures.get(method)
        if queue:
            return self._failure(queue.popleft())
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        if answer is None:
            return JSONResponse({"ok": False, "error": "unknown_method"}, status_code=404)
        return JSONResponse(answer(self.calls[-1].params))

    def _failure(self, failure: Failure) -> Response:
        if failure.status >= 500:
            return PlainTextResponse("upstream exploded", status_code=failure.status)
        headers = {} if failure.retry_after is None else {"Retry-After": str(failure.retry_after)}
        body = {"ok": False, "error": failure.error}
        return JSONResponse(body, status_code=failure.status, headers=headers)

    async def _response(self, request: Request) -> Response:
        body = json.loads(await request.body() or b"{}")
        self.responses.append(Call(request.path_params["key"], body))
        return PlainTextResponse("ok")

    # -- Web API methods ---------------------------------------------------------------

    def _oauth_v2_access(self, auth: str, params: dict[str, Any]) -> dict[str, Any]:
        """Slack's code exchange: the app's credentials (Basic auth or in the body), a code
        granted once; a new bot token for the code's workspace."""
        pair = f"{self.client_id}:{self.client_secret}"
        basic = "Basic " + base64.b64encode(pair.encode()).decode()
        given = (params.get("client_id"), params.get("client_secret"))
        if auth != basic and given != (self.client_id, self.client_secret):
            return {"ok": False, "error": "invalid_client"}
        if params.get("grant_type") == "refresh_token":
            team_id = self.refresh_tokens.pop(str(params.get("refresh_token")), None)
            if team_id is None:
                return {"ok": False, "error": "invalid_refresh_token"}
        else:
            team_id = self.codes.pop(str(params.get("code")), None)
            if team_id is None:
                return {"ok": False, "error": "invalid_code"}
        token = f"xoxb-{team_id}-{next(self._ts)}-workspacetoken"
        self.workspaces[token] = team_id
        rotating: dict[str, Any] = {}
        if self.rotation:
            refresh = f"xoxe-1-{team_id}-{next(self._ts)}-refresh"
            self.refresh_tokens[refresh] = team_id
            rotating = {"refresh_token": refresh, "expires_in": self.expires_in}
        return {
            **rotating,
            "ok": True,
            "app_id": "A0CAREER",
            "authed_user": {"id": "U0INSTALLER"},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": f"UBOT{team_id}",
            "team": {"id": team_id, "name": f"Team {team_id}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, params: dict[str, Any]) -> Response:
        queue = self.failures.get("apps.connections.open")
        if queue:
            return self._failure(queue.popleft())
        return JSONResponse({"ok": True, "url": self.socket_url})

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        token = self.calls[-1].authorization.removeprefix("Bearer ")
        if token in self.workspaces:
            team_id = self.workspaces[token]
            return {
                "ok": True,
                "url": f"https://{team_id.lower()}.slack.com/",
                "team": f"Team {team_id}",
                "user": "careerbot",
                "team_id": team_id,
                "user_id": f"UBOT{team_id}",
                "bot_id": f"B{team_id}",
            }
        return {
            "ok": True,
            "url": "https://careerbot-test.slack.com/",
            "team": "Careers",
            "user": "careerbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": "BCAREERBOT",
        }

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"1700000000.{next(self._ts):06d}"
        return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": params}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}

    def _pins_add(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    def _pins_remove(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(params.get("user")))
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "V1", **(params.get("view") or {})}}
