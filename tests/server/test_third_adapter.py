"""A third platform, living only in this file, plugs into the unchanged core.

It registers like the real adapters (name, settings section with its own ``ECHO_*``
variables, ``--format`` renderer, edit pacing, words) and then answers over HTTP,
pins a card as a moderator and has that card refreshed after a content change: the
proof that the core names no platform.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from careerbot_chat import cli
from careerbot_chat.adapter import (
    AdapterRegistration,
    CareerBot,
    Chat,
    Inbound,
    Reply,
    Settings,
    SettingsSection,
    register,
    render_plain,
    unregister,
)
from careerbot_chat.service._runtime import Runtime
from careerbot_chat.service._server import create_app
from tests.conftest import MLOPS_YAML
from tests.server.test_runtime import edit_summary
from tests.servers import serve_asgi


class EchoSettings(SettingsSection):
    model_config = SettingsConfigDict(**{**SettingsSection.model_config, "env_prefix": "ECHO_"})

    token: SecretStr | None = None

    @property
    def enabled(self) -> bool:
        return self.token is not None


class EchoPlatform:
    """Messages in as JSON, plain text out; moderators are the users called ``admin``."""

    name = "echo"

    def __init__(self, settings: Settings, bot: CareerBot) -> None:
        self.section = settings.section(EchoSettings)
        self.bot = bot
        self.posted: list[tuple[str, Reply]] = []
        self.pinned: list[str] = []
        self.edits: list[tuple[str, str]] = []

    def routes(self) -> list[Any]:
        return [Route("/echo/messages", self.message, methods=["POST"])]

    async def message(self, request: Request) -> Response:
        body = await request.json()
        chat = Chat(self.name, body["chat"], is_group=True)
        reply = await self.bot.handle(
            Inbound(body["text"], chat, body["user"], addressed=True), self
        )
        if reply is None:
            return Response(status_code=204)
        return JSONResponse({"text": render_plain(reply), "outcome": reply.outcome.value})

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def is_moderator(self, chat: Chat, user_id: str, *, pinning: bool) -> bool:
        return user_id == "admin"

    async def check_pin_rights(self, chat: Chat) -> None: ...

    async def post_card(self, chat: Chat, reply: Reply) -> str:
        self.posted.append((chat.chat_id, reply))
        return f"echo-{len(self.posted)}"

    async def pin(self, chat: Chat, message_id: str) -> None:
        self.pinned.append(message_id)

    async def unpin(self, chat: Chat, message_id: str) -> None:
        self.pinned.remove(message_id)

    async def edit_card(self, chat: Chat, message_id: str, reply: Reply) -> None:
        self.edits.append((message_id, render_plain(reply)))


ECHO = AdapterRegistration(
    name="echo",
    settings=EchoSettings,
    create_platform=EchoPlatform,
    format_reply=lambda reply: "ECHO " + render_plain(reply),
    edit_pace=0.0,
    setup_hint="ECHO_TOKEN for Echo",
)


@pytest.fixture
def echo(monkeypatch: pytest.MonkeyPatch) -> Iterator[AdapterRegistration]:
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "SLACK_")):
            monkeypatch.delenv(name)
    register(ECHO)
    yield ECHO
    unregister(ECHO.name)


def test_ask_prints_the_adapters_format(
    echo: AdapterRegistration, capsys: pytest.CaptureFixture[str]
) -> None:
    """``careerbot ask --format echo`` prints what the third adapter renders."""
    assert cli.main(["ask", "--format", "echo", "/role mlops"]) == 0
    assert capsys.readouterr().out.startswith("ECHO MLOps Engineer")


def test_settings_section_reads_its_own_variables(
    echo: AdapterRegistration, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ECHO_TOKEN lands in the adapter's section and is redacted like every secret."""
    monkeypatch.setenv("ECHO_TOKEN", "echo-secret-token")
    settings = Settings.load(_env_file=None)
    assert settings.section(EchoSettings).enabled
    assert "echo-secret-token" in settings.secrets()


async def test_answers_pins_and_refreshes(
    echo: AdapterRegistration, content_dir: Callable[..., Path], tmp_path: Path
) -> None:
    """Served by the unchanged core: it answers, a moderator pins, the pin follows content."""
    content = content_dir(MLOPS_YAML)
    settings = Settings.load(
        _env_file=None, echo_token="t", database_url=f"sqlite:///{tmp_path}/db.sqlite3"
    )
    runtime = Runtime(settings, content)
    [platform] = runtime.platforms
    assert isinstance(platform, EchoPlatform)
    async with serve_asgi(create_app(runtime)) as url, httpx.AsyncClient() as client:

        async def say(text: str, user: str = "member") -> dict[str, str]:
            sent = {"chat": "room", "user": user, "text": text}
            response = await client.post(f"{url}/echo/messages", json=sent)
            return response.json()  # type: ignore[no-any-return]

        assert (await say("mlops salary"))["text"].startswith("MLOps Engineer pay")
        assert (await say("/pin mlops"))["outcome"] == "refused"
        assert (await say("/pin mlops", user="admin"))["outcome"] == "answered"
        assert platform.pinned == ["echo-1"]
        [pin] = await runtime.store.pins("echo", "room")
        assert pin.message_id == "echo-1"

        edit_summary(content, "A summary written after the card was pinned.")
        assert await runtime.reload()
        assert runtime.refreshing is not None
        report = await runtime.refreshing
    assert [p.message_id for p in report.edited] == ["echo-1"]
    [(message_id, text)] = platform.edits
    assert message_id == "echo-1"
    assert "A summary written after the card was pinned." in text
