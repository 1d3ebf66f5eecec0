"""The server over real HTTP: health, readiness, metrics, reload, pinned-card refresh."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from careerbot_chat import (
    Chat,
    PinnedCard,
    Reply,
    SQLiteStore,
    StartupError,
    StoreUnavailable,
)
from careerbot_chat.service._refresh import REFRESH_LEASE, current_card
from careerbot_chat.service._retry import Backoff
from careerbot_chat.service._runtime import Runtime, Timings
from careerbot_chat.service._server import create_app
from careerbot_chat.service._settings import Settings
from tests.conftest import FIXTURES, MLOPS_YAML
from tests.server.fake_platform import FakePlatform
from tests.servers import serve_asgi

NO_PACE = {"fake": 0.0}
QUICK = Timings(store_retry=Backoff(0.01, 0.02), platform_retry=Backoff(0.01, 0.02), watch=0.01)
"""Retries and watching a hundred times quicker than in production."""
WAIT = 10.0
"""The longest a test waits for an event that comes within milliseconds when all is well."""


class FlakyStore(SQLiteStore):
    """A real SQLite store that can be switched off, like a database outage."""

    down = False

    async def ping(self) -> None:
        if self.down:
            raise StoreUnavailable("connection refused")
        await super().ping()

    async def open(self) -> None:
        if self.down:
            raise StoreUnavailable("connection refused")
        await super().open()


@pytest.fixture
def content(content_dir: Callable[..., Path]) -> Path:
    return content_dir(MLOPS_YAML)


class FlakyPlatform(FakePlatform):
    """A fake platform whose API is unreachable for its first ``outage`` starts."""

    def __init__(self, *args: Any, outage: int = 0, error: Exception | None = None) -> None:
        super().__init__(*args)
        self.outage = outage
        self.error = error or ConnectionError("connection refused")
        self.attempts = 0

    async def start(self) -> None:
        self.attempts += 1
        if self.attempts <= self.outage:
            raise self.error
        await super().start()


def make_runtime(
    content: Path, db: Path, *, timings: Timings = QUICK, **platform: Any
) -> tuple[Runtime, FlakyPlatform]:
    settings = Settings.load(database_url=f"sqlite:///{db}")
    runtime = Runtime(
        settings, content, store=FlakyStore(db), platforms=[], pace=NO_PACE, timings=timings
    )
    platform = FlakyPlatform(runtime.bot, **platform)
    runtime.platforms.append(platform)
    return runtime, platform


@pytest.fixture
async def served(content: Path, tmp_path: Path) -> AsyncIterator[tuple[Runtime, FakePlatform, str]]:
    runtime, platform = make_runtime(content, tmp_path / "db.sqlite3")
    async with serve_asgi(create_app(runtime)) as url:
        yield runtime, platform, url


async def ask(client: httpx.AsyncClient, url: str, text: str, chat: str = "c1") -> dict[str, str]:
    response = await client.post(f"{url}/fake/ask", json={"text": text, "chat": chat})
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


async def test_health_ready_and_platform_started(served: tuple[Runtime, FakePlatform, str]) -> None:
    """healthz and readyz answer 200; the lifespan started the platform."""
    _, platform, url = served
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{url}/healthz")).json() == {"status": "ok"}
        ready = await client.get(f"{url}/readyz")
    assert ready.status_code == 200
    assert ready.json()["roles"] == 1
    assert platform.started


async def test_readiness_reports_database_down_and_recovers(
    served: tuple[Runtime, FakePlatform, str], caplog: pytest.LogCaptureFixture
) -> None:
    """Database down → 503 naming the database (the error only in the log); back up → 200."""
    runtime, _, url = served
    store = runtime.store.inner
    assert isinstance(store, FlakyStore)
    async with httpx.AsyncClient() as client:
        store.down = True
        with caplog.at_level(logging.WARNING, "careerbot.runtime"):
            down = await client.get(f"{url}/readyz")
        assert down.status_code == 503
        assert down.json()["not_ready"] == ["database"]
        assert "connection refused" not in down.text
        assert "not ready: database: connection refused" in caplog.text
        assert "₹45–80 LPA" in (await ask(client, url, "/salary senior"))["text"]
        store.down = False
        assert (await client.get(f"{url}/readyz")).status_code == 200


async def test_store_reopened_when_it_returns(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A database down at start is retried in the background until it answers, one log
    line a retry and no traceback."""
    runtime, _ = make_runtime(content, tmp_path / "db.sqlite3")
    store = runtime.store.inner
    assert isinstance(store, FlakyStore)
    store.down = True
    await runtime.start()
    try:
        assert await runtime.readiness() == ["database"]
        assert not runtime.database.opened.is_set()
        store.down = False
        await asyncio.wait_for(runtime.database.opened.wait(), WAIT)
        assert await runtime.readiness() == []
    finally:
        await runtime.stop()
    retries = [r.getMessage() for r in caplog.records if "retrying in" in r.getMessage()]
    assert retries
    assert all(
        m.startswith("database unavailable (StoreUnavailable: connection refused); retrying in ")
        for m in retries
    )
    assert "database is back" in caplog.text
    assert "Traceback" not in caplog.text


async def test_unreachable_platform_is_retried_while_the_rest_serves(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A platform whose API is down at start: start returns, readiness names it with why
    in the log, each retry is one line without a traceback; once up it is ready and
    its pinned cards are refreshed."""
    timings = replace(QUICK, platform_retry=Backoff(0.05, 0.05))
    runtime, platform = make_runtime(content, tmp_path / "db.sqlite3", timings=timings, outage=2)
    await runtime.start()  # returns after the first attempt failed: the rest serves
    try:
        assert runtime.waiting == {"fake": "ConnectionError: connection refused"}
        await asyncio.wait_for(runtime.supervisor.all_started.wait(), WAIT)
        assert platform.attempts == 3
        assert await runtime.readiness() == []
        assert runtime.refreshing is not None
        assert (await runtime.refreshing).summary().startswith("0 edited")
    finally:
        await runtime.stop()
    retries = [r.getMessage() for r in caplog.records if "retrying in" in r.getMessage()]
    assert len(retries) == 2
    assert all(
        m.startswith("fake not started (ConnectionError: connection refused); retrying in ")
        for m in retries
    )
    assert "fake is ready" in caplog.text
    assert "Traceback" not in caplog.text
    assert not platform.started


async def test_readiness_names_a_platform_that_is_being_retried(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """While a platform's start is retried, readiness names it and logs why, once."""
    runtime, platform = make_runtime(content, tmp_path / "db.sqlite3", outage=10**6)
    await runtime.start()  # the first attempt fails at once: waited for, not raised
    try:
        assert await runtime.readiness() == ["fake"]
        assert await runtime.readiness() == ["fake"]
    finally:
        await runtime.stop()
    assert not platform.started
    reports = [r.getMessage() for r in caplog.records if r.getMessage().startswith("not ready")]
    assert reports == ["not ready: fake: ConnectionError: connection refused"]


async def test_a_platform_that_cannot_start_stops_the_start(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A ``StartupError`` (a rejected token) is not retried: start raises it, and what it
    opened is closed again."""
    error = StartupError("TOKEN was rejected")
    runtime, platform = make_runtime(content, tmp_path / "db.sqlite3", outage=1, error=error)
    with pytest.raises(StartupError, match="TOKEN was rejected"):
        await runtime.start()
    assert platform.attempts == 1
    assert not runtime.store_open
    assert "fake cannot start: TOKEN was rejected" in caplog.text
    assert "retrying" not in caplog.text


async def test_metrics_move_when_commands_run(served: tuple[Runtime, FakePlatform, str]) -> None:
    """The commands counter for (fake, salary, answered) grows by the commands sent."""
    _, _, url = served
    label = 'careerbot_commands_total{command="salary",outcome="answered",platform="fake"}'

    def value(page: str) -> float:
        for line in page.splitlines():
            if line.startswith(label):
                return float(line.split()[-1])
        return 0.0

    async with httpx.AsyncClient() as client:
        before = value((await client.get(f"{url}/metrics")).text)
        for _ in range(3):
            await ask(client, url, "/salary senior")
        page = (await client.get(f"{url}/metrics")).text
    assert value(page) == before + 3
    assert "careerbot_roles_loaded 1.0" in page


def edit_summary(content: Path, new: str) -> None:
    file = content / "roles" / "mlops-engineer.yaml"
    text = file.read_text()
    start = text.index("summary: >-")
    end = text.index("\n\ndemand:")
    file.write_text(text[:start] + f"summary: {new}" + text[end:])


async def hammer(client: httpx.AsyncClient, url: str, stop: asyncio.Event) -> list[int]:
    statuses = []
    while not stop.is_set():
        response = await client.post(f"{url}/fake/ask", json={"text": "/role mlops"})
        statuses.append(response.status_code)
    return statuses


async def reload_by_signal(runtime: Runtime) -> None:
    """Send SIGHUP to this process and wait until the reload it starts has finished."""
    count = runtime.reloads
    os.kill(os.getpid(), signal.SIGHUP)
    await asyncio.wait_for(runtime.reloader.reloaded(count), WAIT)


async def test_sighup_reload_valid_and_invalid_under_requests(
    served: tuple[Runtime, FakePlatform, str], content: Path
) -> None:
    """SIGHUP swaps valid content in whole; a broken file is refused; no request fails."""
    runtime, _, url = served
    async with httpx.AsyncClient() as client:
        stop = asyncio.Event()
        load = asyncio.create_task(hammer(client, url, stop))
        edit_summary(content, "A new summary for the test.")
        before = runtime.holder.catalog
        await reload_by_signal(runtime)
        assert runtime.holder.catalog is not before
        assert "A new summary for the test." in (await ask(client, url, "/role"))["text"]
        good = runtime.holder.catalog
        shutil.copy(FIXTURES / "invalid" / "unknown-field.yaml", content / "roles")
        await reload_by_signal(runtime)
        assert runtime.holder.catalog is good
        stop.set()
        statuses = await load
    assert statuses
    assert set(statuses) == {200}


async def seed_pin(
    runtime: Runtime, message_id: str, role: str = "mlops-engineer", card: str = "role"
) -> PinnedCard:
    pin = PinnedCard("fake", "c1", message_id, role, card, "", "u1", time.time())
    fresh = current_card(runtime.bot, pin)
    pin = pin.updated(content_hash=fresh.content_hash if fresh else "gone")
    await runtime.store.save_pin(pin)
    return pin


async def test_pinned_cards_follow_content(
    served: tuple[Runtime, FakePlatform, str], content: Path
) -> None:
    """After a content change only changed cards are edited; failures retry next time."""
    runtime, platform, _ = served
    await seed_pin(runtime, "m-role")
    await seed_pin(runtime, "m-pitfalls", card="pitfalls")
    assert (await runtime.refresh()).unchanged == 2
    assert platform.edits == []

    edit_summary(content, "Changed summary.")
    platform.fail_edits = 1
    assert await runtime.reload()
    assert runtime.refreshing is not None
    report = await runtime.refreshing
    assert len(report.failed) == 1
    assert report.unchanged == 1  # the pitfalls card does not show the summary
    (failed,) = [p for p in await runtime.store.pins() if p.status == "failed"]
    assert failed.message_id == "m-role"

    retry = await runtime.refresh()
    assert [p.message_id for p in retry.edited] == ["m-role"]
    assert platform.edits[-1][1] == "m-role"
    assert all(p.status == "current" for p in await runtime.store.pins())
    assert (await runtime.refresh()).edited == []


async def test_removed_role_marks_card_out_of_date(
    served: tuple[Runtime, FakePlatform, str], content: Path
) -> None:
    """A pinned card whose role was removed is edited to say so, once, and kept."""
    runtime, platform, _ = served
    await seed_pin(runtime, "m1")
    (content / "roles" / "sre.yaml").write_text(
        "slug: sre\ntitle: SRE\nregion: India\nas_of: 2026\nsummary: Keeps things up.\n"
        "sources:\n  - {title: T, kind: survey, as_of: 2026}\n"
    )
    assert await runtime.reload()
    assert runtime.refreshing is not None
    await runtime.refreshing
    (content / "roles" / "mlops-engineer.yaml").unlink()  # one role of two: allowed
    assert await runtime.reload()
    assert runtime.refreshing is not None
    report = await runtime.refreshing
    assert [p.message_id for p in report.stale] == ["m1"]
    assert "out of date" in platform.edits[-1][2]
    assert (await runtime.refresh()).stale == []
    (kept,) = await runtime.store.pins()
    assert kept.status == "stale"


async def test_restart_keeps_pins_and_defaults(content: Path, tmp_path: Path) -> None:
    """A new process on the same database sees the pins and default roles."""
    db = tmp_path / "db.sqlite3"
    first, _ = make_runtime(content, db)
    await first.start()
    await first.store.set_default_role("fake", "c1", "mlops-engineer", "u1")
    await seed_pin(first, "m1")
    await first.stop()
    second, _ = make_runtime(content, db)
    await second.start()
    try:
        assert await second.store.get_default_role("fake", "c1") == "mlops-engineer"
        assert [p.message_id for p in await second.store.pins()] == ["m1"]
    finally:
        await second.stop()


async def test_watch_reloads_changed_files(content: Path, tmp_path: Path) -> None:
    """--watch notices an edited file and reloads it."""
    runtime, _ = make_runtime(content, tmp_path / "db.sqlite3")
    runtime.watch = True
    await runtime.start()
    try:
        before = runtime.holder.catalog
        edit_summary(content, "Watched change.")
        await asyncio.wait_for(runtime.reloader.reloaded(0), WAIT)
        assert runtime.holder.catalog is not before
        assert runtime.holder.catalog.roles[0].summary == "Watched change."
    finally:
        await runtime.stop()


SlowRefresh = Callable[[int], Awaitable[Runtime]]


@pytest.fixture
def slow_refresh(
    served: tuple[Runtime, FakePlatform, str],
) -> SlowRefresh:
    """Set up N cards whose content changed, edited 0.1 s apart, under a 0.3 s lease
    (renewed every 0.1 s)."""
    runtime, _, _ = served
    runtime.pins.lease_seconds = 0.3
    runtime.pace = {"fake": 0.1}

    async def with_pins(pins: int) -> Runtime:
        if runtime.refreshing is not None:  # the start's refresh, of no card, is over
            await runtime.refreshing
        for number in range(pins):
            pin = await seed_pin(runtime, f"m{number}")
            await runtime.store.save_pin(pin.updated(content_hash="before the edit"))
        return runtime

    return with_pins


TakeLease = Callable[[str, str, float], Awaitable[bool]]


def on_renewal(
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    renew: Callable[[TakeLease, str, str, float], Awaitable[bool]],
) -> list[str]:
    """The store takes the lease as it is, then renews it through ``renew``; the list
    returned grows by one holder per renewal."""
    take: TakeLease = runtime.store.take_lease
    renewals: list[str] = []
    first = True

    async def take_or_renew(name: str, holder: str, ttl: float) -> bool:
        nonlocal first
        if first:  # taking the lease at the start of the refresh
            first = False
            return await take(name, holder, ttl)
        renewals.append(holder)
        return await renew(take, name, holder, ttl)

    monkeypatch.setattr(runtime.store, "take_lease", take_or_renew)
    return renewals


async def test_a_long_refresh_keeps_its_lease(
    slow_refresh: SlowRefresh, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh that outlasts the lease renews it: no other replica starts a second one."""
    runtime = await slow_refresh(8)
    third = asyncio.Event()

    async def renew(take: TakeLease, name: str, holder: str, ttl: float) -> bool:
        kept = await take(name, holder, ttl)
        if len(renewals) == 3:
            third.set()
        return kept

    renewals = on_renewal(runtime, monkeypatch, renew)
    refreshing = asyncio.ensure_future(runtime.refresh())
    await asyncio.wait_for(third.wait(), WAIT)  # a whole lease length in: taken, not kept
    assert not refreshing.done()
    assert not await runtime.store.take_lease(REFRESH_LEASE, "other replica", 60)
    report = await refreshing
    assert len(report.edited) == 8
    assert not report.elsewhere


async def test_a_refresh_whose_lease_is_taken_stops(
    slow_refresh: SlowRefresh, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Once another replica holds the lease, this one edits no further card and says so."""
    runtime = await slow_refresh(8)
    (platform,) = runtime.platforms
    assert isinstance(platform, FakePlatform)
    edit_card, edited = platform.edit_card, asyncio.Event()

    async def edit_and_tell(chat: Chat, message_id: str, reply: Reply) -> None:
        await edit_card(chat, message_id, reply)
        edited.set()

    monkeypatch.setattr(platform, "edit_card", edit_and_tell)
    refreshing = asyncio.ensure_future(runtime.refresh())
    await asyncio.wait_for(edited.wait(), WAIT)
    await runtime.store.drop_lease(REFRESH_LEASE, runtime.holder_id)  # as if expired
    assert await runtime.store.take_lease(REFRESH_LEASE, "other replica", 60)
    report = await refreshing
    assert report.elsewhere
    assert 0 < len(report.edited) < 8
    assert "another replica took over the rest" in report.summary()
    assert "another replica took the refresh lease" in caplog.text
    # The lease stays the other replica's: stopping did not drop it.
    assert not await runtime.store.take_lease(REFRESH_LEASE, runtime.holder_id, 60)


async def test_a_refresh_goes_on_when_renewing_its_lease_fails(
    slow_refresh: SlowRefresh, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The database failing a renewal is a warning: the lease is still ours for a while."""
    runtime = await slow_refresh(4)

    async def fails(take: TakeLease, name: str, holder: str, ttl: float) -> bool:
        raise StoreUnavailable("connection refused")

    on_renewal(runtime, monkeypatch, fails)
    report = await runtime.refresh()
    assert len(report.edited) == 4
    assert not report.elsewhere
    assert "could not renew the refresh lease: connection refused" in caplog.text
    assert "Traceback" not in caplog.text


async def test_a_renewal_under_way_ends_before_the_lease_is_dropped(
    slow_refresh: SlowRefresh, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A renewal the database is still running when the refresh ends does not take the
    lease back after it was dropped: the next refresh, on any replica, can start."""
    runtime = await slow_refresh(3)
    taken = runtime.store.take_lease
    statements: list[asyncio.Future[bool]] = []

    async def slow(take: TakeLease, name: str, holder: str, ttl: float) -> bool:
        async def statement() -> bool:  # runs to its end, as a sent statement does
            await asyncio.sleep(0.4)  # the database's time to answer, not a wait for an event
            return await take(name, holder, ttl)

        statements.append(asyncio.ensure_future(statement()))
        return await asyncio.shield(statements[-1])

    renewals = on_renewal(runtime, monkeypatch, slow)
    report = await runtime.refresh()  # about 0.3 s of edits; a renewal from 0.1 to 0.5 s
    assert len(report.edited) == 3
    assert renewals, "a renewal was under way when the refresh ended"
    await asyncio.wait_for(asyncio.gather(*statements), WAIT)  # each statement at its end
    assert await taken(REFRESH_LEASE, "other replica", 60)
