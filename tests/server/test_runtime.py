"""The server over real HTTP: health, readiness, metrics, reload, pinned-card refresh."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from careerbot_chat import PinnedCard, SQLiteStore, StoreUnavailable
from careerbot_chat.service import _runtime
from careerbot_chat.service._refresh import current_card
from careerbot_chat.service._runtime import Runtime
from careerbot_chat.service._server import create_app
from careerbot_chat.service._settings import Settings
from tests.conftest import FIXTURES, MLOPS_YAML
from tests.server.fake_platform import FakePlatform
from tests.servers import serve_asgi

NO_PACE = {"fake": 0.0}


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


def make_runtime(content: Path, db: Path) -> tuple[Runtime, FakePlatform]:
    settings = Settings.load(database_url=f"sqlite:///{db}")
    runtime = Runtime(settings, content, store=FlakyStore(db), platforms=[], pace=NO_PACE)
    platform = FakePlatform(runtime.bot)
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
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database down at start is retried in the background until it answers."""
    monkeypatch.setattr("careerbot_chat.service._runtime.STORE_RETRY_SECONDS", 0.02)
    runtime, _ = make_runtime(content, tmp_path / "db.sqlite3")
    store = runtime.store.inner
    assert isinstance(store, FlakyStore)
    store.down = True
    await runtime.start()
    try:
        assert await runtime.readiness() == ["database"]
        store.down = False
        for _ in range(200):
            if runtime.store_open:
                break
            await asyncio.sleep(0.01)
        assert await runtime.readiness() == []
    finally:
        await runtime.stop()


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
    for _ in range(1000):
        if runtime.reloads > count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("SIGHUP did not reload")


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


async def test_watch_reloads_changed_files(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--watch notices an edited file and reloads it."""
    monkeypatch.setattr("careerbot_chat.service._runtime.WATCH_SECONDS", 0.02)
    runtime, _ = make_runtime(content, tmp_path / "db.sqlite3")
    runtime.watch = True
    await runtime.start()
    try:
        before = runtime.holder.catalog
        edit_summary(content, "Watched change.")
        for _ in range(300):
            if runtime.holder.catalog is not before:
                break
            await asyncio.sleep(0.01)
        assert runtime.holder.catalog.roles[0].summary == "Watched change."
    finally:
        await runtime.stop()


SlowRefresh = Callable[[int], Awaitable[Runtime]]


@pytest.fixture
def slow_refresh(
    served: tuple[Runtime, FakePlatform, str], monkeypatch: pytest.MonkeyPatch
) -> SlowRefresh:
    """Set up N cards whose content changed, edited 0.15 s apart, under a 0.6 s lease."""
    runtime, _, _ = served
    monkeypatch.setattr(_runtime, "REFRESH_LEASE_SECONDS", 0.6)
    runtime.pace = {"fake": 0.15}

    async def with_pins(pins: int) -> Runtime:
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


async def test_a_long_refresh_keeps_its_lease(slow_refresh: SlowRefresh) -> None:
    """A refresh that outlasts the lease renews it: no other replica starts a second one."""
    runtime = await slow_refresh(8)
    refreshing = asyncio.ensure_future(runtime.refresh())
    await asyncio.sleep(0.9)  # one and a half lease lengths in
    assert not refreshing.done()
    assert not await runtime.store.take_lease(_runtime.REFRESH_LEASE, "other replica", 60)
    report = await refreshing
    assert len(report.edited) == 8
    assert not report.elsewhere


async def test_a_refresh_whose_lease_is_taken_stops(
    slow_refresh: SlowRefresh, caplog: pytest.LogCaptureFixture
) -> None:
    """Once another replica holds the lease, this one edits no further card and says so."""
    runtime = await slow_refresh(8)
    refreshing = asyncio.ensure_future(runtime.refresh())
    await asyncio.sleep(0.05)
    await runtime.store.drop_lease(_runtime.REFRESH_LEASE, runtime.holder_id)  # as if expired
    assert await runtime.store.take_lease(_runtime.REFRESH_LEASE, "other replica", 60)
    report = await refreshing
    assert report.elsewhere
    assert 0 < len(report.edited) < 8
    assert "another replica took over the rest" in report.summary()
    assert "another replica took the refresh lease" in caplog.text
    # The lease stays the other replica's: stopping did not drop it.
    assert not await runtime.store.take_lease(_runtime.REFRESH_LEASE, runtime.holder_id, 60)


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

    async def slow(take: TakeLease, name: str, holder: str, ttl: float) -> bool:
        async def statement() -> bool:  # runs to its end, as a sent statement does
            await asyncio.sleep(0.4)
            return await take(name, holder, ttl)

        return await asyncio.shield(statement())

    renewals = on_renewal(runtime, monkeypatch, slow)
    report = await runtime.refresh()  # about 0.3 s of edits; a renewal from 0.2 to 0.6 s
    assert len(report.edited) == 3
    assert renewals, "a renewal was under way when the refresh ended"
    await asyncio.sleep(0.5)  # past the end of any statement still running
    assert await taken(_runtime.REFRESH_LEASE, "other replica", 60)
