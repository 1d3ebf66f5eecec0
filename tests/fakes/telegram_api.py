"""A fake Telegram Bot API: a small Starlette app to serve on 127.0.0.1 for tests.

It answers ``POST /bot{token}/{method}`` the way the real server does
(``{"ok": true, "result": ...}`` with objects python-telegram-bot can read), records
every call as ``Call(method, params)``, and can be told to fail the next calls of a
method with a chosen status (429 with ``retry_after``, 400, 403, 500 ...).

``FakeTelegram(token, sends_per_second=N, group_sends_per_minute=M)`` plays
Telegram's flood control: a call to a chat (anything with a ``chat_id``, webhook
answers included) beyond ``N`` accepted in the last second, or into one group beyond
``M`` in the last minute, is refused with 429 and ``retry_after``, and kept in
``flooded``. ``clock`` (``time.monotonic`` unless given) is the time it judges by.

``sendPhoto`` takes an upload (multipart; the file's bytes land in ``params`` and in
``uploads`` under a new ``file_id``) or a ``file_id`` it issued earlier; any other
``file_id`` is refused as the real server does.

    fake = FakeTelegram(TOKEN)
    async with serve_asgi(fake.app) as url:   # aim the bot at f"{url}/bot"
        fake.set_member(chat_id, user_id, "administrator", can_pin_messages=True)
        fake.fail("sendMessage", 429, retry_after=1)
        ...
        await fake.wait_for("sendMessage", count=2)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.telegram_spec import bot_api_spec

BOT_ID = 7000001
BOT_USERNAME = "CareerTestBot"
ANONYMOUS_ADMIN_ID = 1087968824
STATUS_TEXT = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 409: "Conflict"}


@dataclass(frozen=True, slots=True)
class Call:
    """One request the fake received: the method name and its decoded parameters."""

    method: str
    params: dict[str, Any]


@dataclass(slots=True)
class _Failure:
    status: int
    remaining: int
    description: str
    retry_after: int | None


@dataclass(slots=True)
class _Member:
    status: str = "member"
    rights: dict[str, bool] = field(default_factory=dict)


class FakeTelegram:
    """The fake server's state: calls received, chat members, sent messages, failures."""

    def __init__(
        self,
        token: str,
        *,
        username: str = BOT_USERNAME,
        sends_per_second: int | None = None,
        group_sends_per_minute: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.sends_per_second = sends_per_second
        self.group_sends_per_minute = group_sends_per_minute
        self.clock = clock
        self._group_sent_at: dict[int, deque[float]] = {}
        self.flooded: list[Call] = []
        """Calls refused with 429 by ``sends_per_second`` (also in ``calls``)."""
        self._sent_at: deque[float] = deque()
        self.username = username
        self.url = ""
        """The root URL once served (set by whoever serves ``app``)."""
        self.calls: list[Call] = []
        self.refused: list[tuple[Call, list[str]]] = []
        """Calls the Bot API spec refuses, with the reasons (answered 400, not run)."""
        self.webhook_replies: list[Call] = []
        """Calls that arrived in a webhook's HTTP answer (also in ``calls``)."""
        self.failed: list[Call] = []
        """Calls answered with a failure set up by ``fail()`` (also in ``calls``)."""
        self.members: dict[tuple[int, int], _Member] = {}
        self.texts: dict[tuple[int, int], str] = {}
        self.updates: deque[dict[str, Any]] = deque()
        self.uploads: dict[str, bytes] = {}
        """Photos uploaded with ``sendPhoto``, by the ``file_id`` the fake gave them."""
        self._failures: dict[str, _Failure] = {}
        self._delays: dict[str, deque[float]] = {}
        self._message_ids = itertools.count(1000)
        self.app = Starlette(
            routes=[Route("/bot{token}/{method}", self._endpoint, methods=["POST"])]
        )

    # -- configuring -----------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        description: str = "",
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``status``."""
        text = description or STATUS_TEXT.get(status, "Internal Server Error")
        if status == 429 and not description:
            text = f"Too Many Requests: retry after {retry_after}"
        self._failures[method] = _Failure(status, times, text, retry_after)

    def delay(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` answer only after ``seconds``."""
        self._delays.setdefault(method, deque()).extend([seconds] * times)

    def recover(self) -> None:
        """Forget every failure still queued: the API answers normally again."""
        self._failures.clear()

    def set_member(self, chat_id: int, user_id: int, status: str, **rights: bool) -> None:
        """What ``getChatMember`` answers for ``user_id`` in ``chat_id``."""
        self.members[(chat_id, user_id)] = _Member(status, rights)

    def queue_update(self, update: dict[str, Any]) -> None:
        """An update for ``getUpdates`` (polling) to deliver."""
        self.updates.append(update)

    # -- reading what happened -----------------------------------------------------

    def called(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def delivered(self, method: str) -> list[Call]:
        """Calls of ``method`` the fake ran: neither failed as told nor refused as a flood."""
        refused = {id(call) for call in (*self.failed, *self.flooded)}
        return [call for call in self.called(method) if id(call) not in refused]

    def sent_texts(self) -> list[str]:
        """Every text the bot sent or edited into a message, photo captions too, in order."""
        return [
            call.params.get("text", call.params.get("caption"))
            for call in self.calls
            if call.method in ("sendMessage", "editMessageText", "sendPhoto")
            and ("text" in call.params or "caption" in call.params)
        ]

    async def wait_for(self, method: str, count: int = 1, within: float = 5.0) -> list[Call]:
        """Poll until ``method`` was called ``count`` times; fail after ``within`` seconds."""
        deadline = time.monotonic() + within
        while len(self.called(method)) < count:
            if time.monotonic() > deadline:
                seen = [call.method for call in self.calls]
                raise AssertionError(
                    f"{method} called {len(self.called(method))} of {count}: {seen}"
                )
            await asyncio.sleep(0.005)
        return self.called(method)

    def reset(self) -> None:
        self.calls.clear()
        self.webhook_replies.clear()

    # -- serving ---------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        params = await _params(request, method)
        refused = self._arrive(method, params)  # on arrival: a call that times out counts
        if refused is not None:
            return refused
        delays = self._delays.get(method)
        if delays:
            await asyncio.sleep(delays.popleft())
        return await self._answer(method, params)

    def _arrive(self, method: str, params: dict[str, Any]) -> JSONResponse | None:
        """Judge the call by the spec: refused (400, not run), or recorded."""
        call = Call(method, params)
        reasons = bot_api_spec().check(method, params)
        if reasons:
            self.refused.append((call, reasons))
            status = 404 if method not in bot_api_spec().methods else 400
            return _error(status, "Bad Request: " + "; ".join(reasons))
        self.calls.append(call)
        return None

    async def _answer(self, method: str, params: dict[str, Any]) -> JSONResponse:
        """Fail the call as told, or answer it as Telegram would."""
        failure = self._failures.get(method)
        if failure is not None and failure.remaining > 0:
            failure.remaining -= 1
            self.failed.append(self.calls[-1])
            return _error(failure.status, failure.description, failure.retry_after)
        if "chat_id" in params and (wait := self._flooding(params["chat_id"])):
            self.flooded.append(self.calls[-1])
            return _error(429, f"Too Many Requests: retry after {wait}", wait)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return _error(501, f"the fake does not play {method}")
        result = await handler(params) if method == "getUpdates" else handler(params)
        if isinstance(result, JSONResponse):
            return result
        return JSONResponse({"ok": True, "result": result})

    async def run_webhook_reply(self, status: int, content_type: str, body: bytes) -> Call | None:
        """Play Telegram reading a webhook's HTTP answer: run the one method it carries.

        Telegram reads only a 200's body; an empty one carries nothing. A 200 body
        that is not a JSON object with a ``method`` fails the test here, since
        Telegram would silently drop it. Like Telegram, the fake returns the method's
        result to no one.
        """
        if status != 200 or not body:
            return None
        assert content_type.split(";")[0].strip() == "application/json", content_type
        payload = json.loads(body)
        assert isinstance(payload, dict), payload
        params = dict(payload)
        method = params.pop("method")
        assert isinstance(method, str), payload
        if self._arrive(method, params) is None:
            self.webhook_replies.append(self.calls[-1])
            await self._answer(method, params)
        return Call(method, params)

    async def read_webhook_answer(self, response: httpx.Response) -> None:
        """An httpx response hook for clients posting to a webhook: hands its answer over."""
        if response.request.url.path.endswith("/telegram/webhook"):
            await response.aread()
            content_type = response.headers.get("content-type", "")
            await self.run_webhook_reply(response.status_code, content_type, response.content)

    def _flooding(self, chat_id: object) -> int:
        """Seconds to retry after when one more send now passes a limit (0: it is counted)."""
        now = self.clock()
        windows = []
        if self.sends_per_second is not None:
            windows.append((self._sent_at, self.sends_per_second, 1.0))
        if self.group_sends_per_minute is not None and int(str(chat_id)) < 0:
            sent = self._group_sent_at.setdefault(int(str(chat_id)), deque())
            windows.append((sent, self.group_sends_per_minute, 60.0))
        for times, limit, span in windows:
            while times and times[0] <= now - span:
                times.popleft()
            if len(times) >= limit:
                return max(1, math.ceil(times[0] + span - now))
        for times, _, _ in windows:
            times.append(now)
        return 0

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Careerbot",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    def _getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_user()

    def _message(self, chat_id: int, text: str, params: dict[str, Any]) -> dict[str, Any]:
        message_id = int(params.get("message_id") or next(self._message_ids))
        self.texts[(chat_id, message_id)] = text
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": self._bot_user(),
            "text": text,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        if params.get("message_thread_id"):  # sent into a forum topic
            message["message_thread_id"] = int(params["message_thread_id"])
            message["is_topic_message"] = True
        return message

    def _sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(int(params["chat_id"]), str(params["text"]), params)

    def _editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | bool | JSONResponse:
        if "inline_message_id" in params:
            return True
        key = (int(params["chat_id"]), int(params["message_id"]))
        if self.texts.get(key) == params["text"]:
            return _error(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        return self._message(key[0], str(params["text"]), params)

    def _sendPhoto(self, params: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        photo = params["photo"]
        if isinstance(photo, bytes):
            file_id = f"AgACAgphoto-{len(self.uploads) + 1}"
            self.uploads[file_id] = photo
        elif photo in self.uploads:
            file_id = photo
        else:
            return _error(400, "Bad Request: wrong file identifier/HTTP URL specified")
        message = self._message(int(params["chat_id"]), "", params)
        del message["text"]
        message["caption"] = params.get("caption", "")
        message["photo"] = [
            {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 960, "height": 640}
        ]
        return message

    def _getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        member = self.members.get((chat_id, user_id), _Member())
        user = (
            self._bot_user()
            if user_id == BOT_ID
            else {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        )
        return {"status": member.status, "user": user, **_rights(member)}

    def _true(self, params: dict[str, Any]) -> bool:
        return True

    _answerCallbackQuery = _answerInlineQuery = _setMyCommands = _true
    _setWebhook = _deleteWebhook = _pinChatMessage = _unpinChatMessage = _true

    async def _getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()
        if not self.updates:
            await asyncio.sleep(0.02)  # a short long-poll, so a stopping poller is not kept
        return [u for u in self.updates if u["update_id"] >= offset]


async def _params(request: Request, method: str) -> dict[str, Any]:
    """The call's parameters: form-urlencoded, or multipart when a file is uploaded.

    Each value is read by the kinds the Bot API spec allows for its field. An uploaded
    file arrives as ``attach://name`` in its field and the bytes under ``name``; the
    field gets the bytes, so tests can read what was uploaded.
    """
    spec = bot_api_spec()
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        body = (await request.body()).decode()
        return spec.decode_form(method, parse_qsl(body, keep_blank_values=True))
    async with request.form() as form:
        files = {k: await v.read() for k, v in form.items() if isinstance(v, UploadFile)}
        params = spec.decode_form(method, [(k, v) for k, v in form.items() if isinstance(v, str)])
    for key, value in params.items():
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = files[value.removeprefix("attach://")]
    return params


def _rights(member: _Member) -> dict[str, Any]:
    """The fields PTB needs to build ``ChatMemberOwner``/``Administrator``/``Member``."""
    if member.status == "creator":
        return {"is_anonymous": False}
    if member.status != "administrator":
        return {}
    names = (
        "can_be_edited",
        "is_anonymous",
        "can_manage_chat",
        "can_delete_messages",
        "can_manage_video_chats",
        "can_restrict_members",
        "can_promote_members",
        "can_change_info",
        "can_invite_users",
        "can_post_stories",
        "can_edit_stories",
        "can_delete_stories",
        "can_pin_messages",
    )
    return {name: member.rights.get(name, False) for name in names}


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Member"}
    return {"id": chat_id, "type": "supergroup", "title": "Career community"}


def _error(status: int, description: str, retry_after: int | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return JSONResponse(body, status_code=status)
