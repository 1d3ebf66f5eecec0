"""A fake Telegram Bot API: a small Starlette app to serve on 127.0.0.1 for tests.

It answers ``POST /bot{token}/{method}`` the way the real server does
(``{"ok": true, "result": ...}`` with objects python-telegram-bot can read), records
every call as ``Call(method, params)``, and can be told to fail the next calls of a
method with a chosen status (429 with ``retry_after``, 400, 403, 500 ...).

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
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BOT_ID = 7000001
BOT_USERNAME = "CareerTestBot"
ANONYMOUS_ADMIN_ID = 1087968824
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "photo",
        "callback_query_id",
        "inline_query_id",
        "inline_message_id",
        "url",
        "secret_token",
    }
)
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


def _decode(key: str, value: str) -> Any:
    """PTB sends each parameter form-urlencoded: strings as they are, the rest as JSON."""
    if key in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class FakeTelegram:
    """The fake server's state: calls received, chat members, sent messages, failures."""

    def __init__(self, token: str, *, username: str = BOT_USERNAME) -> None:
        self.token = token
        self.username = username
        self.url = ""
        """The root URL once served (set by whoever serves ``app``)."""
        self.calls: list[Call] = []
        self.refused: list[Call] = []
        """The calls answered with a failure (``fail()``), also in ``calls``."""
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

    # -- serving ---------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        params = await _params(request)
        self.calls.append(Call(method, params))  # on arrival: a call that times out counts
        delays = self._delays.get(method)
        if delays:
            await asyncio.sleep(delays.popleft())
        failure = self._failures.get(method)
        if failure is not None and failure.remaining > 0:
            failure.remaining -= 1
            self.refused.append(self.calls[-1])
            return _error(failure.status, failure.description, failure.retry_after)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result = await handler(params) if method == "getUpdates" else handler(params)
        if isinstance(result, JSONResponse):
            return result
        return JSONResponse({"ok": True, "result": result})

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


async def _params(request: Request) -> dict[str, Any]:
    """The call's parameters: form-urlencoded, or multipart when a file is uploaded.

    An uploaded file arrives as ``attach://name`` in its field and the bytes under
    ``name``; the field gets the bytes, so tests can read what was uploaded.
    """
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        body = (await request.body()).decode()
        return {k: _decode(k, v) for k, v in parse_qsl(body, keep_blank_values=True)}
    async with request.form() as form:
        files = {k: await v.read() for k, v in form.items() if isinstance(v, UploadFile)}
        params = {k: _decode(k, v) for k, v in form.items() if isinstance(v, str)}
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
