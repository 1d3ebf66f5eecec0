"""`careerbot serve` in the Add to Slack mode, as a process: install a workspace through
/slack/install and /slack/oauth_redirect, answer it, count it in /metrics, restart on the
same database and answer it again; after app_uninstalled, its token is never used."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import httpx
import pytest

from bench.load import SLACK_TOKEN, careerbot_serve, free_port, server_log
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.server.stack import env_for
from tests.servers import serve_asgi
from tests.slack import builders as b

pytestmark = pytest.mark.slow

SECOND = "T0SECOND"
KEY = "an operator's long random key for the tokens at rest"


def _database_files_holding(folder: Path, text: str) -> list[Path]:
    """The database's files (with its WAL) that contain ``text``."""
    files = list(folder.glob("db.sqlite3*"))
    assert files
    return [f for f in files if text.encode() in f.read_bytes()]


async def installations(http: httpx.AsyncClient) -> float:
    text = (await http.get("/metrics")).text
    (line,) = [
        x for x in text.splitlines() if x.startswith('careerbot_installations{platform="slack"}')
    ]
    return float(line.split()[-1])


async def signed(http: httpx.AsyncClient, body: str, content_type: str) -> httpx.Response:
    headers = {"Content-Type": content_type, **b.sign(body)}
    return await http.post("/slack/events", content=body, headers=headers)


async def test_serve_installs_answers_restarts_and_uninstalls(tmp_path: Path) -> None:
    fake = FakeSlackApi(SLACK_TOKEN)
    async with serve_asgi(fake.app) as slack_url:
        fake.base = slack_url
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = env_for("http://127.0.0.1:9", slack_url, f"sqlite:///{tmp_path}/db.sqlite3")
        env = {k: v for k, v in env.items() if not k.startswith(("SLACK_BOT", "TELEGRAM_"))}
        env |= {
            "SLACK_CLIENT_ID": fake.client_id,
            "SLACK_CLIENT_SECRET": fake.client_secret,
            "CAREERBOT_SECRET_KEY": KEY,
            "CAREERBOT_PUBLIC_URL": url,
        }
        slash = b.slash("/role", "mlops", response_url=fake.response_url()).replace(TEAM_ID, SECOND)
        mention = b.message_event("<@UBOT> senior salary?").replace(TEAM_ID, SECOND)
        with tempfile.TemporaryFile() as log_file:
            async with (
                careerbot_serve(env, port, log_file=log_file, cwd=tmp_path),
                httpx.AsyncClient(base_url=url, timeout=10) as http,
            ):
                assert await installations(http) == 0
                fake.grant("code-1", SECOND)
                page = await http.get("/slack/install")
                state = re.search(r"state=([^&\"]+)", page.text)
                assert state is not None, page.text
                cookie = {"Cookie": f"slack-app-oauth-state={state.group(1)}"}
                done = await http.get(
                    "/slack/oauth_redirect",
                    params={"code": "code-1", "state": state.group(1)},
                    headers=cookie,
                )
                assert done.status_code == 200, done.text
                token = fake.token_of(SECOND)
                assert await installations(http) == 1
                answered = await signed(http, slash, "application/x-www-form-urlencoded")
                assert answered.json()["blocks"]
            fake.reset()
            async with (
                careerbot_serve(env, port, log_file=log_file, cwd=tmp_path),
                httpx.AsyncClient(base_url=url, timeout=10) as http,
            ):
                assert await installations(http) == 1
                answered = await signed(http, slash, "application/x-www-form-urlencoded")
                assert answered.json()["blocks"]
                await signed(http, mention, "application/json")
                assert [c.method for c in fake.with_token(token)] == [
                    "auth.test",
                    "chat.postMessage",
                ]
                gone = b.event_callback({"type": "app_uninstalled"}, "Ev0GONE").replace(
                    TEAM_ID, SECOND
                )
                assert (await signed(http, gone, "application/json")).status_code == 200
                assert await installations(http) == 0
                fake.reset()
                again = mention.replace("Ev0ASK1", "Ev0ASK2")
                assert (await signed(http, again, "application/json")).status_code == 200
                assert (
                    await signed(http, slash, "application/x-www-form-urlencoded")
                ).status_code == 200
                assert fake.with_token(token) == []
            log = server_log(log_file)
    assert token not in log
    assert "Traceback" not in log
    assert _database_files_holding(tmp_path, token) == []
