"""Pinned cards refreshed at scale, through python-telegram-bot against the fake Bot API
over HTTP, on PostgreSQL: a refresh whose replica died is finished by another, each card
edited once; member answers go ahead of refresh edits; progress in /metrics and one log
line per batch."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from careerbot_chat import Chat, PinnedCard, Reply, StoreUnavailable
from careerbot_chat.service import _metrics as metrics
from careerbot_chat.service._refresh import BATCH, REFRESH_MARK, current_card
from careerbot_chat.service._runtime import Runtime, Timings
from careerbot_chat.service._server import create_app
from careerbot_chat.store._postgres import PostgresStore
from careerbot_telegram import FloodLimits, TelegramPlatform
from tests.conftest import MLOPS_YAML, POSTGRES_URL, _postgres_reachable, _postgres_store
from tests.fakes.telegram_api import FakeTelegram
from tests.server.test_runtime import QUICK, WAIT, make_runtime
from tests.servers import serve_asgi
from tests.telegram.builders import private_chat, text_update, user
from tests.telegram.conftest import SECRET, TOKEN, make_settings

FIRST_GROUP = -1002000000000
TAKEOVER = Timings(refresh_lease=1.0, refresh_check=0.1)
"""A lease of a second (renewed every third), looked at ten times a second."""


@pytest.fixture
def content(content_dir: Callable[..., Path]) -> Path:
    return content_dir(MLOPS_YAML)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    api = FakeTelegram(TOKEN)
    async with serve_asgi(api.app, lifespan="off") as url:
        api.url = url
        yield api
    assert not api.refused, f"calls the Bot API would refuse: {api.refused}"


async def pinned_groups(count: int) -> list[PinnedCard]:
    """A clean PostgreSQL database with ``count`` pinned cards (one a group) pinned before
    today's content: every one of them is to be edited."""
    reason = _postgres_reachable()
    if reason is not None:
        pytest.skip(reason)
    store = await _postgres_store()
    await store.open()
    pins = [
        PinnedCard("telegram", str(FIRST_GROUP - n), str(100 + n), "mlops-engineer", "role",
                   "pinned before", "u1", time.time())
        for n in range(count)
    ]  # fmt: skip
    try:
        for pin in pins:
            await store.save_pin(pin)
    finally:
        await store.close()
    return pins


def replica(content: Path, api_url: str, limits: FloodLimits, timings: Timings) -> Runtime:
    """A replica on the test database, serving Telegram (real PTB) against the fake."""
    settings = make_settings(api_url, database_url=POSTGRES_URL)
    runtime = Runtime(
        settings, content, store=PostgresStore(POSTGRES_URL), platforms=[], timings=timings
    )
    runtime.platforms.append(TelegramPlatform(settings, runtime.bot, limits=limits))
    return runtime


def edits_made(fake: FakeTelegram) -> Counter[tuple[int, int]]:
    """Edits that changed a message, by (chat, message): a call sending the text the
    message already has changes nothing (Telegram answers "message is not modified")."""
    texts: dict[tuple[int, int], str] = {}
    made: Counter[tuple[int, int]] = Counter()
    for call in fake.delivered("editMessageText"):
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        if texts.get(key) != call.params["text"]:
            texts[key] = call.params["text"]
            made[key] += 1
    return made


async def until(condition: Callable[[], object], within: float = WAIT) -> None:
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 - the fake's calls announce no event
            await asyncio.sleep(0.01)


def metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} not on the metrics page")


@pytest.mark.postgres
async def test_a_refresh_whose_replica_died_is_finished_by_another(
    content: Path, fake: FakeTelegram
) -> None:
    """Two replicas, 300 cards to edit; the one refreshing dies after about 60 edits
    (its lease not dropped, as a killed process leaves it). The other takes the rest
    over once the lease expires: every card edited exactly once, none skipped."""
    pins = await pinned_groups(300)
    limits = FloodLimits(overall_per_second=150, group_per_minute=20, max_retries=2)
    replicas = [replica(content, fake.url, limits, TAKEOVER) for _ in range(2)]
    await asyncio.gather(*(runtime.start() for runtime in replicas))
    try:
        await until(lambda: len(fake.called("editMessageText")) >= 60)
        (dying,) = [r for r in replicas if r.refreshing is not None and not r.refreshing.done()]
        (survivor,) = [r for r in replicas if r is not dying]

        async def gone(name: str, holder: str) -> None:
            raise StoreUnavailable("the replica is gone")

        dying.store.drop_lease = gone  # type: ignore[method-assign]
        await dying.stop()
        at_death = len(edits_made(fake))
        assert 60 <= at_death < 300

        version = survivor.bot.catalog.version
        async with asyncio.timeout(WAIT):
            while await survivor.store.get_mark(REFRESH_MARK) != f"done {version}":  # noqa: ASYNC110
                await asyncio.sleep(0.05)  # the mark is in the database: nothing to wait on

        made = edits_made(fake)
        assert sorted(made) == sorted((int(p.chat_id), int(p.message_id)) for p in pins)
        assert set(made.values()) == {1}  # none edited twice
        stored = await survivor.store.pins()
        fresh = current_card(survivor.bot, stored[0])
        assert fresh is not None
        assert {(pin.content_hash, pin.status) for pin in stored} == {
            (fresh.content_hash, "current")
        }
        page = metrics.exposition()[0].decode()  # what /metrics serves
        assert metric(page, "careerbot_pin_refresh_resumed_total") >= 1
    finally:
        await asyncio.gather(*(runtime.stop() for runtime in replicas))


@pytest.mark.postgres
async def test_member_answers_go_ahead_of_a_refresh(content: Path, fake: FakeTelegram) -> None:
    """While a refresh edits as fast as the shared budget lets it, every member answer
    still finds room at once: each rides in its webhook's HTTP answer, which the bot
    does only when the budget grants the call without waiting."""
    await pinned_groups(150)
    limits = FloodLimits(overall_per_second=40, group_per_minute=20, max_retries=2)
    runtime = replica(content, fake.url, limits, Timings(refresh_check=60))
    runtime.pace = {"telegram": 0.0}  # no pause between edits: only the budget paces them
    (platform,) = runtime.platforms
    assert isinstance(platform, TelegramPlatform)
    hooks = {"response": [fake.read_webhook_answer]}
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    await runtime.start()
    try:
        refreshing = runtime.refreshing
        assert refreshing is not None
        async with (
            serve_asgi(Starlette(routes=list(platform.routes())), lifespan="off") as url,
            httpx.AsyncClient(base_url=url, event_hooks=hooks) as http,
        ):
            await until(lambda: len(fake.called("editMessageText")) >= 30)
            for member in range(8):
                chat = private_chat(7000 + member)
                update = text_update("/role mlops", chat=chat, sender=user(7000 + member))
                answered = await http.post("/telegram/webhook", json=update, headers=headers)
                assert answered.status_code == 200
                await asyncio.sleep(0.1)  # members asking now and then, not all at once
            running = not refreshing.done()
        answers = fake.called("sendMessage")
        assert len(answers) == 8
        riding = {id(call) for call in fake.webhook_replies}
        assert [id(call) in riding for call in answers] == [True] * 8
        assert running, "the answers came while the refresh ran"
        report = await refreshing
        assert len(report.edited) == 150
    finally:
        await runtime.stop()


async def test_progress_in_metrics_and_one_log_line_per_batch(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A refresh of 250 cards: the remaining-cards gauge on /metrics counts down while it
    runs and is 0 after; one INFO line per hundred cards, then the summary."""
    runtime, platform = make_runtime(content, tmp_path / "db.sqlite3", timings=QUICK)
    async with serve_asgi(create_app(runtime)) as url, httpx.AsyncClient() as client:
        if runtime.refreshing is not None:
            await runtime.refreshing
        for n in range(250):
            pin = PinnedCard("fake", f"c{n}", f"m{n}", "mlops-engineer", "role", "", "u1", n)
            await runtime.store.save_pin(pin.updated(content_hash="pinned before"))
        seen: list[float] = []
        edit_card = platform.edit_card

        async def edit_and_look(chat: Chat, message_id: str, reply: Reply) -> None:
            await edit_card(chat, message_id, reply)
            if len(platform.edits) in (1, 120):
                page = (await client.get(f"{url}/metrics")).text
                seen.append(metric(page, "careerbot_pin_refresh_remaining"))

        platform.edit_card = edit_and_look  # type: ignore[method-assign]
        caplog.clear()
        with caplog.at_level(logging.INFO, "careerbot"):
            report = await runtime.refresh()
        after = (await client.get(f"{url}/metrics")).text
    assert len(report.edited) == 250
    assert len(seen) == 2
    assert 250 >= seen[0] > seen[1] > 0
    assert metric(after, "careerbot_pin_refresh_remaining") == 0
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("pinned cards")]
    assert len(lines) == 250 // BATCH + 1
    assert lines[0].startswith(f"pinned cards: {BATCH} of 250 refreshed (0 failed), 150 left, ")
    assert lines[1].startswith(f"pinned cards: {2 * BATCH} of 250 refreshed (0 failed), 50 left")
    assert lines[-1].startswith("pinned cards: 250 edited, 0 unchanged")


async def test_a_replica_takes_over_only_a_refresh_wanted_for_its_content(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mark says a refresh is wanted for other content (a replica of another release):
    this replica leaves it. Wanted for its own content and nobody refreshing: it does it."""
    runtime, platform = make_runtime(
        content, tmp_path / "db.sqlite3", timings=dataclasses.replace(QUICK, refresh_check=0.01)
    )
    looks = 0
    looked = asyncio.Event()
    get_mark = runtime.store.get_mark

    async def counted(name: str) -> str | None:
        nonlocal looks
        looks += 1
        if looks == 5:
            looked.set()
        return await get_mark(name)

    monkeypatch.setattr(runtime.store, "get_mark", counted)
    await runtime.start()
    try:
        if runtime.refreshing is not None:
            await runtime.refreshing
        for n in range(3):
            pin = PinnedCard("fake", f"c{n}", f"m{n}", "mlops-engineer", "role", "", "u1", n)
            await runtime.store.save_pin(pin.updated(content_hash="pinned before"))
        await runtime.store.set_mark(REFRESH_MARK, "wanted another-release")
        await asyncio.wait_for(looked.wait(), WAIT)  # five looks at the mark
        assert platform.edits == []
        version = runtime.bot.catalog.version
        await runtime.store.set_mark(REFRESH_MARK, f"wanted {version}")
        async with asyncio.timeout(WAIT):
            while await get_mark(REFRESH_MARK) != f"done {version}":  # noqa: ASYNC110
                await asyncio.sleep(0.01)  # the mark is in the database: nothing to wait on
        assert sorted(edit[1] for edit in platform.edits) == ["m0", "m1", "m2"]
    finally:
        await runtime.stop()
