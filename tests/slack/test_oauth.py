"""Add to Slack over real HTTP: install through Bolt's OAuth flow, answer with the new
workspace's token, restart on the same database, refuse forged and reused states."""

from __future__ import annotations

import contextlib
import logging
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml
from starlette.applications import Starlette

from careerbot_chat import CareerBot, Settings, StoreError, load_catalog, open_store
from careerbot_chat.adapter import RedactSecrets
from careerbot_chat.service._refresh import RefreshReport, refresh_pins
from careerbot_chat.store import SQLiteStore, Store
from careerbot_slack import SlackPlatform, create_platform
from careerbot_slack._installations import Sealer, SignedStates
from careerbot_slack._registration import TOKENS
from careerbot_slack._words import NOT_INSTALLED, TWO_MODES
from tests.conftest import POSTGRES_URL
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.servers import serve_asgi
from tests.slack import builders as b
from tests.slack.conftest import FORM, SlackClient

SECOND = "T0SECOND"
THIRD = "T0THIRD"
PUBLIC = "https://careerbot.example.com"
KEY = "a long random operator key, 32 bytes or more of it"
COOKIE = "slack-app-oauth-state"

# slack_sdk's oauth.v2.access sends the app's credentials with aiohttp's BasicAuth, which
# aiohttp 3.12 deprecates: the library's warning, not ours (Python hides it by default).
pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")


@dataclass
class OAuthClient:
    http: httpx.AsyncClient
    fake: FakeSlackApi
    platform: SlackPlatform

    async def install_page(self) -> tuple[str, str]:
        """``GET /slack/install``: the state in the Add to Slack link, and the cookie's."""
        page = await self.http.get("/slack/install")
        assert page.status_code == 200
        link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.text)
        assert link is not None, page.text
        query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
        assert query["client_id"] == [self.fake.client_id]
        assert query["redirect_uri"] == [PUBLIC + "/slack/oauth_redirect"]
        assert "chat:write" in query["scope"][0].split(",")
        cookie = page.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=")
        return query["state"][0], cookie.split(";")[0].split("=", 1)[1]

    async def redirect(self, code: str, state: str, cookie: str | None = None) -> httpx.Response:
        """Slack sends the browser back: ``GET /slack/oauth_redirect`` with its cookie."""
        return await self.http.get(
            "/slack/oauth_redirect",
            params={"code": code, "state": state},
            headers={"Cookie": f"{COOKIE}={cookie if cookie is not None else state}"},
        )

    async def install(self, team_id: str, code: str = "code-1") -> str:
        """Install into ``team_id`` through the flow; the bot token it was given."""
        self.fake.grant(code, team_id)
        state, cookie = await self.install_page()
        done = await self.redirect(code, state, cookie)
        assert done.status_code == 200, done.text
        return self.fake.token_of(team_id)

    async def send(self, body: str, content_type: str = FORM) -> httpx.Response:
        headers = {"Content-Type": content_type, **b.sign(body)}
        return await self.http.post("/slack/events", content=body, headers=headers)

    async def command(
        self,
        team_id: str,
        command: str,
        text: str = "",
        user: str = b.MEMBER,
        channel: str = b.CHANNEL,
    ) -> httpx.Response:
        url = self.fake.response_url("command")
        body = b.slash(command, text, user=user, channel=channel, response_url=url)
        return await self.send(_in_team(body, team_id))

    async def press(
        self, team_id: str, action_id: str, value: str, **fields: Any
    ) -> httpx.Response:
        body = b.block_action(action_id, value, response_url=self.fake.response_url(), **fields)
        return await self.send(_in_team(body, team_id))

    async def event(self, team_id: str, body: str) -> httpx.Response:
        return await self.send(_in_team(body, team_id), "application/json")


def _in_team(body: str, team_id: str) -> str:
    """A payload of the builders' workspace, sent from ``team_id`` instead."""
    return body.replace(TEAM_ID, team_id)


StartOAuth = Callable[..., contextlib.AbstractAsyncContextManager[OAuthClient]]


@pytest.fixture
def start_oauth(fake_slack: FakeSlackApi) -> StartOAuth:
    """Serve the Slack platform in Add to Slack mode on ``store``; yield a client."""

    @contextlib.asynccontextmanager
    async def start(store: Store, **overrides: Any) -> AsyncIterator[OAuthClient]:
        settings = Settings(
            _env_file=None,
            public_url=PUBLIC,
            slack_client_id=fake_slack.client_id,
            slack_client_secret=fake_slack.client_secret,
            slack_signing_secret=b.SECRET,
            slack_api_base_url=f"{fake_slack.base}/api/",
            **overrides,
        )
        platform = create_platform(settings, CareerBot(load_catalog(), store))
        await platform.start()
        try:
            app = Starlette(routes=list(platform.routes()))
            async with serve_asgi(app) as base, httpx.AsyncClient(base_url=base) as http:
                yield OAuthClient(http, fake_slack, platform)
        finally:
            await platform.stop()

    return start


async def _reopened(store: Store) -> Store:
    """A second store on the same database, as a restarted process would open."""
    if isinstance(store, SQLiteStore):
        again: Store = SQLiteStore(store.path)
    else:  # the `store` fixture's other kind: its PostgreSQL database
        again = open_store(POSTGRES_URL)
    await again.open()
    return again


async def test_install_answer_restart_answer(
    start_oauth: StartOAuth, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """A workspace installed through /slack/install and /slack/oauth_redirect is answered
    with its own token, before and after a restart on the same database."""
    caplog.set_level(logging.DEBUG)
    async with start_oauth(store) as slack:
        token = await slack.install(SECOND)
        [exchange] = slack.fake.to("oauth.v2.access")
        assert exchange["code"] == "code-1"
        assert exchange["redirect_uri"] == PUBLIC + "/slack/oauth_redirect"
        answer = await slack.command(SECOND, "/role", "mlops")
        assert answer.status_code == 200
        assert answer.json()["blocks"], answer.text
        asked = await slack.event(SECOND, b.message_event("<@UBOTT0SECOND> senior salary?"))
        assert asked.status_code == 200
        [posted] = slack.fake.with_token(token)[-1:]
        assert posted.method == "chat.postMessage"
        assert posted.params["channel"] == b.CHANNEL
    slack.fake.reset()
    again = await _reopened(store)
    try:
        async with start_oauth(again) as slack:
            answer = await slack.command(SECOND, "/salary", "senior")
            assert answer.status_code == 200
            assert answer.json()["blocks"], answer.text
            await slack.event(
                SECOND,
                b.message_event("what do mlops do?", ts="1700000101.000100", event_id="Ev0ASK2"),
            )
            used = [call.method for call in slack.fake.with_token(token)]
            assert used == ["auth.test", "chat.postMessage"]
    finally:
        await again.close()
    # slack_sdk writes response bodies at DEBUG; the process's redaction (by the shape
    # of Slack's tokens) hides them, and nothing of ours writes one at all.
    redact = RedactSecrets(shapes=TOKENS)
    assert not [r.getMessage() for r in caplog.records if token in redact.redact(r.getMessage())]
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("careerbot")]
    assert ours
    assert not [line for line in ours if token in line]


async def test_forged_and_reused_state_never_reach_the_exchange(
    start_oauth: StartOAuth, sqlite_store: SQLiteStore
) -> None:
    """A state we did not issue, or one used already, is refused before oauth.v2.access."""
    async with start_oauth(sqlite_store) as slack:
        slack.fake.grant("code-1", SECOND)
        state, cookie = await slack.install_page()
        nonce, expires, signature = state.split(".")
        forged = f"{nonce}.{int(expires) + 3600}.{signature}"
        for bad in (forged, "made-up", f"{nonce}.{expires}.{'0' * 64}"):
            refused = await slack.redirect("code-1", bad)
            assert refused.status_code >= 400
        assert slack.fake.to("oauth.v2.access") == []
        assert (await slack.redirect("code-1", state, cookie)).status_code == 200
        slack.fake.grant("code-2", SECOND)
        reused = await slack.redirect("code-2", state, cookie)
        assert reused.status_code >= 400
        assert [call["code"] for call in slack.fake.to("oauth.v2.access")] == ["code-1"]


async def test_expired_state_refused(sqlite_store: SQLiteStore) -> None:
    """A state past its lifetime is refused; a fresh one works once."""
    now = [1_000_000.0]
    states = SignedStates(sqlite_store, "secret", seconds=600, clock=lambda: now[0])
    old, fresh = await states.async_issue(), None
    now[0] += 601
    fresh = await states.async_issue()
    assert not await states.async_consume(old)
    assert await states.async_consume(fresh)
    assert not await states.async_consume(fresh)


async def test_workspace_without_installation_gets_one_line(
    start_oauth: StartOAuth, sqlite_store: SQLiteStore, caplog: pytest.LogCaptureFixture
) -> None:
    """A request from a workspace that never installed the app: one line, no error."""
    async with start_oauth(sqlite_store) as slack:
        answer = await slack.command("T0NOBODY", "/role", "mlops")
        assert answer.status_code == 200
        [told] = await slack.fake.wait_for_responses(1)
        assert told.params["text"] == NOT_INSTALLED
        mention = await slack.event("T0NOBODY", b.message_event("<@UBOT> salary?"))
        assert mention.status_code == 200
        assert slack.fake.calls == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_tokens_encrypted_at_rest_with_key(
    start_oauth: StartOAuth, sqlite_store: SQLiteStore
) -> None:
    """With CAREERBOT_SECRET_KEY the database holds no token; without it the row is plain."""
    async with start_oauth(sqlite_store, slack_secret_key=KEY) as slack:
        token = await slack.install(SECOND)
    row = await sqlite_store.get_installation("slack", f"T:{SECOND}")
    assert row is not None
    assert token not in row
    assert Sealer(KEY).open(row).bot_token == token
    with pytest.raises(StoreError, match="CAREERBOT_SECRET_KEY"):
        Sealer(None).open(row)
    with pytest.raises(StoreError, match="cannot be decrypted"):
        Sealer("another key").open(row)


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"SLACK_BOT_TOKEN": b.TOKEN, "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s"},
            TWO_MODES,
        ),
        ({"SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET is required for Slack"),
        ({"SLACK_CLIENT_SECRET": "s"}, "SLACK_CLIENT_ID is required for Slack"),
        (
            {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s"},
            "SLACK_SIGNING_SECRET is required for Slack",
        ),
    ],
)
def test_serve_refuses_mixed_or_half_modes(env: dict[str, str], line: str) -> None:
    """Both Slack modes at once, or half of the OAuth pair: one line and status 2."""
    done = subprocess.run(
        [sys.executable, "-m", "careerbot_chat.cli", "serve"],
        env={"PATH": "/usr/bin:/bin", "SLACK_SIGNING_SECRET": b.SECRET, **env}
        if "SLACK_SIGNING_SECRET" not in line
        else {"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"careerbot: configuration error: {line}"]


async def test_each_workspace_answered_with_its_own_token(
    start_oauth: StartOAuth, sqlite_store: SQLiteStore
) -> None:
    """Mentions, direct messages, Share, Pin (the admin looked up) and App Home: every
    Web API call for a workspace carries that workspace's token, and only its."""
    async with start_oauth(sqlite_store) as slack:
        tokens = {
            SECOND: await slack.install(SECOND, "code-2"),
            THIRD: await slack.install(THIRD, "code-3"),
        }
        for n, team in enumerate((SECOND, THIRD)):
            slack.fake.reset()
            await slack.event(team, b.message_event("senior salary?", event_id=f"Ev{n}A"))
            dm = b.message_event(
                "what do mlops do?",
                kind="message",
                channel=b.DM,
                event_id=f"Ev{n}B",
                channel_type="im",
            )
            await slack.event(team, dm)
            await slack.event(team, b.home_opened(f"Ev{n}C"))
            await slack.press(team, "careerbot_share", "/role mlops", ephemeral=True)
            pinned = await slack.command(team, "/careerbot", "pin mlops", user=b.ADMIN)
            assert pinned.status_code == 200
            methods = {call.method for call in slack.fake.calls}
            assert methods >= {"chat.postMessage", "pins.add", "users.info", "views.publish"}
            others = [c for c in slack.fake.calls if c.authorization != f"Bearer {tokens[team]}"]
            assert others == []
            posted = slack.fake.to("chat.postMessage")
            assert len(posted) == 4  # mention, DM, Share, the pinned card
            assert slack.fake.to("pins.add")
            assert slack.fake.to("users.info")[0]["user"] == b.ADMIN
            assert slack.fake.to("views.publish")


@pytest.mark.parametrize("leaving", ["app_uninstalled", "tokens_revoked"])
async def test_leaving_removes_the_installation(
    start_oauth: StartOAuth, sqlite_store: SQLiteStore, leaving: str
) -> None:
    """After app_uninstalled (or tokens_revoked for the bot) the installation is gone, the
    token is never used again, and the workspace's members get one line."""
    async with start_oauth(sqlite_store) as slack:
        token = await slack.install(SECOND)
        slack.fake.reset()
        await slack.event(SECOND, b.message_event("salary?", event_id="Ev0BEFORE"))
        assert [c.method for c in slack.fake.with_token(token)] == ["auth.test", "chat.postMessage"]
        slack.fake.revoke(token)
        event: dict[str, Any] = {"type": leaving, "event_ts": "1700000200.000100"}
        if leaving == "tokens_revoked":
            event["tokens"] = {"oauth": [], "bot": ["UBOTT0SECOND"]}
        gone = await slack.event(SECOND, b.event_callback(event, "Ev0LEAVE"))
        assert gone.status_code == 200
        assert await sqlite_store.installation_keys("slack") == []
        slack.fake.reset()
        await slack.event(SECOND, b.message_event("salary?", event_id="Ev0AFTER"))
        await slack.event(SECOND, b.home_opened("Ev0AFTER2"))
        answer = await slack.command(SECOND, "/role", "mlops")
        assert answer.status_code == 200
        [told] = await slack.fake.wait_for_responses(1)
        assert told.params["text"] == NOT_INSTALLED
        assert slack.fake.calls == []


async def test_pinned_cards_refreshed_with_each_workspace_token(
    start_oauth: StartOAuth, sqlite_store: SQLiteStore
) -> None:
    """The refresher edits each workspace's pinned cards with that workspace's token; an
    uninstalled workspace's card is not edited (its token never used) and the others are."""
    channels = {SECOND: "C0SECOND", THIRD: "C0THIRD"}
    async with start_oauth(sqlite_store) as slack:
        tokens = {team: await slack.install(team, f"code-{team}") for team in channels}
        for team, channel in channels.items():
            pinned = await slack.command(team, "/careerbot", "pin mlops", b.ADMIN, channel)
            assert pinned.status_code == 200
        platform = slack.platform

        async def refresh() -> RefreshReport:
            for pin in await sqlite_store.pins("slack"):  # as if the content had changed
                await sqlite_store.save_pin(pin.updated(status="failed"))
            slack.fake.reset()
            return await refresh_pins(platform.bot, {"slack": platform}, pace={"slack": 0.0})

        report = await refresh()
        assert len(report.edited) == 2
        for team, channel in channels.items():
            [edit] = [
                c
                for c in slack.fake.calls
                if c.method == "chat.update" and c.params["channel"] == channel
            ]
            assert edit.authorization == f"Bearer {tokens[team]}"
        gone = b.event_callback({"type": "app_uninstalled"}, "Ev0GONE")
        assert (await slack.event(SECOND, gone)).status_code == 200
        report = await refresh()
        assert [pin.chat_id for pin in report.edited] == [channels[THIRD]]
        assert [(pin.chat_id, why) for pin, why in report.failed] == [
            (channels[SECOND], "chat.update: not installed")
        ]
        assert slack.fake.with_token(tokens[SECOND]) == []


def test_manifest_in_add_to_slack_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the client id and secret set, ``careerbot slack-manifest`` names Bolt's redirect
    URL and subscribes to the events that say a workspace left; without, it does not."""
    from careerbot_chat.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CAREERBOT_PUBLIC_URL", PUBLIC)
    assert main(["slack-manifest"]) == 0
    plain = yaml.safe_load(capsys.readouterr().out)
    assert "redirect_urls" not in plain["oauth_config"]
    monkeypatch.setenv("SLACK_CLIENT_ID", "1111.2222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "s3cret")
    assert main(["slack-manifest"]) == 0
    text = capsys.readouterr().out
    oauth = yaml.safe_load(text)
    assert oauth["oauth_config"]["redirect_urls"] == [PUBLIC + "/slack/oauth_redirect"]
    assert oauth["oauth_config"]["scopes"] == plain["oauth_config"]["scopes"]
    events = oauth["settings"]["event_subscriptions"]["bot_events"]
    assert events[-2:] == ["app_uninstalled", "tokens_revoked"]
    assert f"{PUBLIC}/slack/install" in text


async def test_token_rotation_through_bolt(
    start_oauth: StartOAuth, sqlite_store: SQLiteStore
) -> None:
    """With token rotation on, a token about to expire is refreshed by Bolt before it is
    used, the new one is stored (encrypted), and the old one is used no more."""
    async with start_oauth(sqlite_store, slack_secret_key=KEY) as slack:
        slack.fake.rotation = True
        first = await slack.install(SECOND)
        slack.fake.reset()
        await slack.event(SECOND, b.message_event("senior salary?", event_id="Ev0ROT1"))
        refreshed = [c.params for c in slack.fake.calls if c.method == "oauth.v2.access"]
        assert [p.get("grant_type") for p in refreshed] == ["refresh_token"]
        second = slack.fake.token_of(SECOND)
        assert second != first
        assert slack.fake.with_token(first) == []
        assert [c.method for c in slack.fake.with_token(second)] == [
            "auth.test",
            "chat.postMessage",
        ]
        row = await sqlite_store.get_installation("slack", f"T:{SECOND}")
        assert row is not None
        assert Sealer(KEY).open(row).bot_token == second


async def test_pinned_card_refresh_rotates_an_expiring_token(
    start_oauth: StartOAuth, sqlite_store: SQLiteStore
) -> None:
    """Outside any request, the refresher refreshes a rotating token about to expire
    (through slack_sdk's rotator), stores it, and edits with the new one."""
    async with start_oauth(sqlite_store) as slack:
        slack.fake.rotation = True
        await slack.install(SECOND)
        pinned = await slack.command(SECOND, "/careerbot", "pin mlops", b.ADMIN)
        assert pinned.status_code == 200
        before = slack.fake.token_of(SECOND)
        for pin in await sqlite_store.pins("slack"):
            await sqlite_store.save_pin(pin.updated(status="failed"))
        slack.fake.reset()
        platform = slack.platform
        report = await refresh_pins(platform.bot, {"slack": platform}, pace={"slack": 0.0})
        assert len(report.edited) == 1
        after = slack.fake.token_of(SECOND)
        assert after != before
        assert [c.method for c in slack.fake.calls] == ["oauth.v2.access", "chat.update"]
        assert slack.fake.calls[-1].authorization == f"Bearer {after}"
        row = await sqlite_store.get_installation("slack", f"T:{SECOND}")
        assert row is not None
        assert after in row  # no key set: stored in plain JSON


async def test_store_keeps_installations_and_their_chats(store: Store) -> None:
    """Both backends: an installation saved, replaced, listed; its chats found; removing it
    removes its chats, and leaves other workspaces alone."""
    await store.set_installation("slack", "T:A", "one")
    await store.set_installation("slack", "T:A", "two")
    await store.set_installation("slack", "T:B", "three")
    assert await store.get_installation("slack", "T:A") == "two"
    assert sorted(await store.installation_keys("slack")) == ["T:A", "T:B"]
    assert await store.installation_keys("other") == []
    await store.set_chat_installation("slack", "C1", "T:A")
    await store.set_chat_installation("slack", "C2", "T:B")
    assert await store.chat_installation("slack", "C1") == "T:A"
    await store.remove_installation("slack", "T:A")
    assert await store.get_installation("slack", "T:A") is None
    assert await store.chat_installation("slack", "C1") is None
    assert await store.chat_installation("slack", "C2") == "T:B"
    assert await store.installation_keys("slack") == ["T:B"]


async def test_single_workspace_mode_has_no_oauth_routes(slack: SlackClient) -> None:
    """With SLACK_BOT_TOKEN the OAuth pages are not served (Add to Slack mode only)."""
    for path in ("/slack/install", "/slack/oauth_redirect?code=x&state=y"):
        assert (await slack.http.get(path)).status_code == 404
