"""Content through deploys: reload guards, pinned cards refreshed on start by one replica."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from careerbot_chat import Chat, PinnedCard, Settings, open_store
from careerbot_chat.adapter import Inbound
from careerbot_chat.service import _metrics as metrics
from careerbot_chat.service._refresh import current_card
from careerbot_chat.service._runtime import Runtime
from careerbot_chat.service._server import create_app
from tests.conftest import MLOPS_YAML, POSTGRES_URL, _postgres_reachable, _postgres_store
from tests.server.fake_platform import FakePlatform
from tests.server.test_runtime import FlakyStore, edit_summary, reload_by_signal
from tests.servers import serve_asgi

NO_PACE = {"fake": 0.0}


def role_yaml(slug: str) -> str:
    return (
        f"slug: {slug}\ntitle: {slug.upper()}\nregion: India\nas_of: 2026\n"
        "summary: Keeps things up.\nsources:\n  - {title: T, kind: survey, as_of: 2026}\n"
    )


def metric(name: str) -> float:
    """The value of a metric line (``name`` with its labels) on the metrics page, else 0."""
    for line in metrics.exposition()[0].decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


REFUSED = 'careerbot_content_reloads_total{outcome="refused"}'


@pytest.fixture
def content(content_dir: Callable[..., Path]) -> Path:
    """A content folder with the MLOps role and two more (three in all)."""
    folder = content_dir(MLOPS_YAML)
    for slug in ("sre", "qa"):
        (folder / "roles" / f"{slug}.yaml").write_text(role_yaml(slug))
    return folder


async def started(content: Path, db: Path, **settings: object) -> tuple[Runtime, FakePlatform]:
    loaded = Settings.load(database_url=f"sqlite:///{db}", **settings)
    runtime = Runtime(loaded, content, store=FlakyStore(db), platforms=[], pace=NO_PACE)
    platform = FakePlatform(runtime.bot)
    runtime.platforms.append(platform)
    await runtime.start()
    if runtime.refreshing is not None:
        await runtime.refreshing
    return runtime, platform


async def pin_current(runtime: Runtime, message_id: str, role: str = "mlops-engineer") -> None:
    """Record a pinned card as today's content renders it."""
    pin = PinnedCard("fake", "c1", message_id, role, "role", "", "u1", time.time())
    card = current_card(runtime.bot, pin)
    assert card is not None
    await runtime.store.save_pin(pin.updated(content_hash=card.content_hash))


@pytest.fixture
async def runtime(content: Path, tmp_path: Path) -> AsyncIterator[tuple[Runtime, FakePlatform]]:
    runtime, platform = await started(content, tmp_path / "db.sqlite3")
    yield runtime, platform
    await runtime.stop()


async def test_emptied_folder_is_refused(
    runtime: tuple[Runtime, FakePlatform], content: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SIGHUP on an emptied roles folder: refused, old catalogue kept, one log line, no edit."""
    bot, platform = runtime
    await pin_current(bot, "m1")
    before, refused = bot.holder.catalog, metric(REFUSED)
    for file in (content / "roles").iterdir():
        file.unlink()
    with caplog.at_level(logging.INFO, "careerbot.runtime"):
        await reload_by_signal(bot)
    assert bot.holder.catalog is before
    (line,) = [r.getMessage() for r in caplog.records if "reload" in r.getMessage()]
    assert line.startswith("content reload refused, old content kept: it would remove 3 of 3")
    assert metric(REFUSED) == refused + 1
    assert bot.refreshing is None or bot.refreshing.done()
    assert platform.edits == []
    assert (await bot.refresh()).edited == []
    reply = await bot.bot.handle(Inbound("/role mlops", Chat("fake", "c9")))
    assert reply is not None
    assert reply.title.startswith("MLOps Engineer")


async def test_dropping_more_than_the_share_is_refused(
    runtime: tuple[Runtime, FakePlatform], content: Path
) -> None:
    """Removing two roles of three (over the default half) is refused; one of three is taken."""
    bot, _ = runtime
    (content / "roles" / "sre.yaml").unlink()
    (content / "roles" / "qa.yaml").unlink()
    assert not await bot.reload()
    assert len(bot.holder.catalog) == 3
    (content / "roles" / "qa.yaml").write_text(role_yaml("qa"))
    assert await bot.reload()
    assert [r.slug for r in bot.holder.catalog.roles] == ["mlops-engineer", "qa"]


async def test_the_share_is_a_setting(content: Path, tmp_path: Path) -> None:
    """CAREERBOT_RELOAD_MAX_DROP=0.7 lets two of three go, but never all of them."""
    bot, _ = await started(content, tmp_path / "db.sqlite3", reload_max_drop=0.7)
    try:
        (content / "roles" / "sre.yaml").unlink()
        (content / "roles" / "qa.yaml").unlink()
        assert await bot.reload()
        assert len(bot.holder.catalog) == 1
        (content / "roles" / "mlops-engineer.yaml").unlink()
        (content / "roles" / "new.yaml").write_text(role_yaml("new"))
        assert not await bot.reload()
    finally:
        await bot.stop()


async def test_cards_changed_while_down_are_refreshed_on_start(
    content: Path, tmp_path: Path
) -> None:
    """Content edited while the server was down: the next start edits the pinned card, once,
    and sets the pinned-cards gauge; a SIGHUP afterwards finds nothing to do."""
    db = tmp_path / "db.sqlite3"
    first, platform = await started(content, db)
    await pin_current(first, "m1")
    await first.stop()
    edit_summary(content, "Changed while the server was down.")
    metrics.pins_recorded(0)

    second, platform = await started(content, db)
    try:
        assert metric("careerbot_pinned_cards") == 1
        assert [edit[1] for edit in platform.edits] == ["m1"]
        await reload_by_signal(second)
        assert (await second.refresh()).edited == []
        assert len(platform.edits) == 1
    finally:
        await second.stop()


@pytest.mark.postgres
async def test_two_replicas_on_postgres_refresh_once(content: Path, tmp_path: Path) -> None:
    """Two replicas starting together on one PostgreSQL: the changed card is edited once."""
    reason = _postgres_reachable()
    if reason is not None:
        pytest.skip(reason)
    await _postgres_store()  # a clean schema
    settings = Settings.load(database_url=POSTGRES_URL)
    seed = Runtime(settings, content, store=open_store(POSTGRES_URL), platforms=[])
    await seed.start(warn_without_platforms=False)
    for n in range(20):
        await pin_current(seed, f"m{n}")
    await seed.stop()
    edit_summary(content, "Changed for the next release.")

    replicas = []
    for _ in range(2):
        runtime = Runtime(settings, content, store=open_store(POSTGRES_URL), platforms=[])
        runtime.pace = {"fake": 0.05}  # a refresh that takes a while, as on a real platform
        platform = FakePlatform(runtime.bot)
        runtime.platforms.append(platform)
        replicas.append((runtime, platform))
    await asyncio.gather(*(runtime.start() for runtime, _ in replicas))
    try:
        reports = [await r.refreshing for r, _ in replicas if r.refreshing is not None]
        assert len(reports) == 2
        edited = sorted(edit[1] for _, platform in replicas for edit in platform.edits)
        assert edited == sorted(f"m{n}" for n in range(20))  # each card once, in all
        stored = await replicas[0][0].store.pins()
        fresh = current_card(replicas[0][0].bot, stored[0])
        assert fresh is not None
        assert {pin.content_hash for pin in stored} == {fresh.content_hash}
    finally:
        await asyncio.gather(*(runtime.stop() for runtime, _ in replicas))


async def test_readyz_answers_over_http_after_a_refused_reload(
    runtime: tuple[Runtime, FakePlatform], content: Path
) -> None:
    """After a refused reload the server is still ready with the old roles."""
    bot, _ = runtime
    for file in (content / "roles").iterdir():
        file.unlink()
    assert not await bot.reload()
    async with serve_asgi(create_app(bot, start=False)) as url, httpx.AsyncClient() as client:
        ready = await client.get(f"{url}/readyz")
    assert ready.status_code == 200
    assert ready.json()["roles"] == 3


async def roles_served(client: httpx.AsyncClient) -> int:
    ready = (await client.get("/readyz")).json()
    return int(ready["roles"])


def retire_roles(content: Path, db: Path, *slugs: str) -> subprocess.CompletedProcess[str]:
    """``careerbot retire-roles`` as an operator runs it, on the server's database."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "careerbot_chat.cli",
            "--content",
            str(content),
            "retire-roles",
            *slugs,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "CAREERBOT_DATABASE_URL": f"sqlite:///{db}"},
    )


async def test_small_reloads_cannot_walk_the_catalogue_down(
    content_dir: Callable[..., Path], tmp_path: Path
) -> None:
    """Six roles, one file deleted per SIGHUP: removals count from the day's largest
    catalogue (in the store), so the third takes it to half and the rest are refused (it
    went 6 → 1); a restart does not reset it; `careerbot retire-roles` removes on purpose."""
    content = content_dir(MLOPS_YAML)
    slugs = [f"r{n}" for n in range(1, 6)]
    for slug in slugs:
        (content / "roles" / f"{slug}.yaml").write_text(role_yaml(slug))
    db = tmp_path / "db.sqlite3"
    runtime, _ = await started(content, db)
    try:
        app = create_app(runtime, start=False)
        async with (
            serve_asgi(app, lifespan="off") as url,
            httpx.AsyncClient(base_url=url) as client,
        ):
            assert await roles_served(client) == 6
            seen = []
            for slug in slugs:
                (content / "roles" / f"{slug}.yaml").unlink()
                await reload_by_signal(runtime)
                seen.append(await roles_served(client))
        assert seen == [5, 4, 3, 3, 3]
    finally:
        await runtime.stop()
    # A restart on the same database keeps the baseline: from three roles, one more is
    # four of six, refused; retiring the deleted ones takes it.
    for slug in ("r4", "r5"):
        (content / "roles" / f"{slug}.yaml").write_text(role_yaml(slug))
    again, _ = await started(content, db)
    try:
        (content / "roles" / "r4.yaml").unlink()
        assert not await again.reload()
        assert len(again.holder.catalog) == 3
        done = retire_roles(content, db, "r1", "r2", "r3", "r4")
        assert done.returncode == 0, done.stderr
        assert "counts from 2 role(s)" in done.stdout
        assert await again.reload()
        assert [role.slug for role in again.holder.catalog.roles] == ["mlops-engineer", "r5"]
    finally:
        await again.stop()


def test_retire_roles_refuses_a_role_still_on_disk(content: Path, tmp_path: Path) -> None:
    """Retiring a role whose file is still there is a one-line error, status 1."""
    done = retire_roles(content, tmp_path / "db.sqlite3", "sre")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "careerbot: still in the content folder: sre (delete their files first)"
    ]
