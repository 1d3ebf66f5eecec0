"""Pinned cards at scale: refreshing 5,000 of them, and member answers meanwhile.

``careerbot serve`` (its own process, Telegram only, on PostgreSQL: the flood budget is
the shared one, in PostgreSQL) against the fake Bot API, in a process of its own too
(Telegram's work is not the bot's: a fake sharing the driver's loop would slow the
driver's clock on answers), over loopback HTTP. The fake plays Telegram's flood
control at the raised rate the server is told (``--rate`` a second for the bot, 20 a
minute a group): a call past it is refused with 429, and counted. The driver posts
the members' updates, times them, and hands each webhook answer to the fake after.

Per round, two runs of the server:

- ``refresh``: ``--pins`` cards (one a group) recorded with a hash of older content,
  so the server refreshes all of them on start. Refresh time is from the fake's first
  ``editMessageText`` to its last; it is set against ``pins ÷ budget``, where the
  budget is what a refresh may take (``Rate.spare()``: two thirds of ``--rate``),
  and against ``pins ÷ (budget − answers' rate)``, the room member answers left it;
- ``baseline``: the same cards, now current (the start's refresh edits none).

In both, members ask ``/role mlops`` in the pinned groups, ``--answers`` a second on a
fixed schedule (open loop), for as long as the refresh runs (the baseline asks as
many); latency is each webhook POST's round trip (the answer is made by then, in the
webhook's HTTP answer or as a call). Figures: medians over ``--rounds`` rounds of
refresh time and answer p50/p99, and the ratios of those medians. Targets: refresh
time within 10 % of pins ÷ budget; answer p99 during the refresh within 20 % of p99
without it.

    CAREERBOT_BENCH_POSTGRES_URL=postgresql://... \\
    .venv/bin/python -m bench.bench_refresh [--pins 5000] [--rate 300] [--answers 10] [--rounds 3]

The database named is emptied of pins, marks, leases, delivery claims and budget logs
first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from bench._harness import percentile, pin_server, process_cpu_seconds, report, split_cpus
from bench.load import (
    TELEGRAM_TOKEN,
    WEBHOOK_SECRET,
    careerbot_serve,
    free_port,
    platform_env,
    server_log,
)
from careerbot_chat.service._budget import Rate
from careerbot_chat.store._contract import PIN_COLUMNS
from careerbot_chat.store._postgres import PostgresStore
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi
from tests.telegram import builders

POSTGRES_URL = os.environ.get(
    "CAREERBOT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("CAREERBOT_BENCH_REDIS_URL", "")
"""The flood budget's store when set (else PostgreSQL, the database)."""
FIRST_GROUP = -1003000000000
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"}


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    refresh_seconds: float = float("nan")
    edits: int = 0
    answers: int = 0
    flooded: int = 0
    sent: int = 0
    """Answers the fake received (in webhook answers or as calls)."""
    called: int = 0
    """Answers that went out as calls (waited for the budget), not in the webhook's answer."""
    cpu: float = 0.0
    """The server's CPU seconds over the run's asks."""


async def seed(pins: int) -> None:
    """``pins`` cards recorded with an old hash; nothing else of earlier runs left."""
    import asyncpg  # type: ignore[import-untyped]

    store = PostgresStore(POSTGRES_URL)
    await store.open()  # the schema, migrated
    await store.close()
    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        await conn.execute(
            "DELETE FROM pinned_cards; DELETE FROM marks; DELETE FROM leases; "
            "DELETE FROM processed_updates"  # update ids repeat from one bench run to the next
        )
        await conn.execute("DROP TABLE IF EXISTS careerbot_rate_log")
        rows = [
            ("telegram", str(FIRST_GROUP - n), str(100 + n), "mlops-engineer", "role",
             "older content", "u1", float(n), "current", None)
            for n in range(pins)
        ]  # fmt: skip
        await conn.executemany(
            f"INSERT INTO pinned_cards ({PIN_COLUMNS}) "  # noqa: S608 - our own columns
            "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
            rows,
        )
    finally:
        await conn.close()


async def ask(
    client: httpx.AsyncClient, url: str, fake_url: str, member: int, groups: int, run: Run
) -> None:
    uid = 20_000_000 + member
    update = builders.text_update(
        "/role mlops",
        chat=builders.group_chat(FIRST_GROUP - member * 7 % groups),
        sender=builders.user(uid),
    )
    started = time.perf_counter()
    response = await client.post(url, headers=HEADERS, content=json.dumps(update).encode())
    run.latencies.append(time.perf_counter() - started)
    assert response.status_code == 200, response.text
    if response.content:  # as Telegram: run the call the answer carries (not timed)
        await client.post(f"{fake_url}/bench/reply", content=response.content)


async def answers(
    url: str, fake_url: str, per_second: float, until: asyncio.Event | int, groups: int
) -> Run:
    """Members asking ``per_second`` on a fixed schedule until ``until`` is set (or for
    that many asks)."""
    run = Run()
    tasks = []
    async with httpx.AsyncClient(timeout=30) as client:
        start = time.monotonic()
        member = 0
        while (not until.is_set()) if isinstance(until, asyncio.Event) else member < until:
            await asyncio.sleep(max(0.0, start + member / per_second - time.monotonic()))
            tasks.append(asyncio.ensure_future(ask(client, url, fake_url, member, groups, run)))
            member += 1
        await asyncio.gather(*tasks)
    run.answers = member
    return run


async def state(client: httpx.AsyncClient, fake_url: str) -> dict[str, int]:
    return (await client.get(f"{fake_url}/bench/state")).json()  # type: ignore[no-any-return]


async def serve_once(
    fake_url: str, rate: float, pins: int, per_second: float, asks: int | None
) -> Run:
    """One server run; with ``asks`` None, a refresh run (asks while the edits go)."""
    port = free_port()
    env = platform_env("telegram", fake_url, POSTGRES_URL) | {
        "TELEGRAM_RATE_LIMIT": str(rate),
        "TELEGRAM_GROUP_RATE_LIMIT": "20",
    }
    if REDIS_URL:
        env["CAREERBOT_REDIS_URL"] = REDIS_URL
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    async with httpx.AsyncClient() as client:
        await client.post(f"{fake_url}/bench/reset")
        with tempfile.TemporaryFile() as log:
            async with careerbot_serve(env, port, log_file=log) as server:
                pin_server(server.pid)
                cpu = process_cpu_seconds(server.pid)
                if asks is not None:  # baseline: the start's refresh (of no card) is over
                    await asyncio.sleep(2.0)
                    cpu = process_cpu_seconds(server.pid)
                    run = await answers(url, fake_url, per_second, asks, pins)
                else:
                    done = asyncio.Event()
                    timing = asyncio.ensure_future(time_edits(client, fake_url, pins, done))
                    run = await answers(url, fake_url, per_second, done, pins)
                    run.refresh_seconds = await timing
                run.cpu = process_cpu_seconds(server.pid) - cpu
                seen = await state(client, fake_url)
                run.edits, run.flooded, run.called = seen["edits"], seen["flooded"], seen["called"]
                run.sent = seen["sent"]
                if run.edits and run.edits != pins:
                    raise RuntimeError(f"{run.edits} edits of {pins}:\n{server_log(log)[-3000:]}")
    return run


async def time_edits(
    client: httpx.AsyncClient, fake_url: str, pins: int, done: asyncio.Event
) -> float:
    """Seconds from the first edit the fake saw to the ``pins``-th (looked at every 0.1 s)."""
    first = None
    while True:
        edits = (await state(client, fake_url))["edits"]
        now = time.monotonic()
        if edits and first is None:
            first = now
        if edits >= pins:
            done.set()
            assert first is not None
            return now - first
        await asyncio.sleep(0.1)  # light on the fake, whose process also runs the driver's CPU


async def serve_fake(port: int, rate: float) -> None:
    """The fake Bot API with Telegram's flood control at ``rate``, and the bench's routes."""
    fake = FakeTelegram(TELEGRAM_TOKEN, sends_per_second=int(rate), group_sends_per_minute=20)

    async def counts(request: Request) -> JSONResponse:
        edits = sum(1 for call in fake.calls if call.method == "editMessageText")
        riding = {id(call) for call in fake.webhook_replies}
        called = sum(1 for c in fake.calls if c.method == "sendMessage" and id(c) not in riding)
        sent = sum(1 for call in fake.calls if call.method == "sendMessage")
        return JSONResponse(
            {"edits": edits, "flooded": len(fake.flooded), "called": called, "sent": sent}
        )

    async def reset(request: Request) -> Response:
        fake.reset()
        fake.flooded.clear()
        return Response()

    async def reply(request: Request) -> Response:
        await fake.run_webhook_reply(200, "application/json", await request.body())
        return Response()

    app = Starlette(
        routes=[
            Route("/bench/state", counts),
            Route("/bench/reset", reset, methods=["POST"]),
            Route("/bench/reply", reply, methods=["POST"]),
            Mount("/", fake.app),
        ]
    )
    async with serve_asgi(app, lifespan="off", port=port) as url:
        fake.url = url
        await asyncio.Event().wait()


@contextlib.asynccontextmanager
async def fake_process(rate: float) -> AsyncIterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "bench.bench_refresh", "--serve-fake", str(port)]
    process = subprocess.Popen([*command, "--rate", str(rate)])  # noqa: ASYNC220 - returns at once
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(500):
                with contextlib.suppress(httpx.HTTPError):
                    await state(client, url)
                    break
                await asyncio.sleep(0.02)
        yield url
    finally:
        process.terminate()
        await asyncio.to_thread(process.wait, 10)


async def main(pins: int, rate: float, per_second: float, rounds: int) -> None:
    split_cpus()
    budget = Rate("bot", rate, 1.0).spare().limit
    refresh: list[Run] = []
    baseline: list[Run] = []
    async with fake_process(rate) as api:
        for number in range(rounds):
            await seed(pins)
            refresh.append(await serve_once(api, rate, pins, per_second, None))
            baseline.append(await serve_once(api, rate, pins, per_second, refresh[-1].answers))
            r, b = refresh[-1], baseline[-1]
            print(
                f"round {number + 1}: refresh {r.refresh_seconds:.2f} s, {r.edits} edits, "
                f"answer p99 {percentile(r.latencies, 99) * 1000:.1f} ms during vs "
                f"{percentile(b.latencies, 99) * 1000:.1f} ms without ({b.edits} edits); "
                f"answers {r.sent} / {b.sent} (as calls {r.called} / {b.called}); 429s {r.flooded} / {b.flooded}; "
                f"server CPU {r.cpu:.1f} s / {b.cpu:.1f} s",
                flush=True,
            )
    seconds = statistics.median(r.refresh_seconds for r in refresh)
    answer_rate = statistics.median(r.answers / r.refresh_seconds for r in refresh)
    during = statistics.median(percentile(r.latencies, 99) for r in refresh) * 1000
    without = statistics.median(percentile(b.latencies, 99) for b in baseline) * 1000
    report(
        "refresh",
        {
            "pins": pins,
            "bot rate a second": rate,
            "refresh budget a second": float(budget),
            "answers a second": answer_rate,
            "refresh median s": seconds,
            "pins / budget s": pins / budget,
            "refresh / (pins / budget)": seconds / (pins / budget),
            "refresh / (pins / (budget - answers))": seconds / (pins / (budget - answer_rate)),
            "answer p50 during ms": statistics.median(percentile(r.latencies, 50) for r in refresh)
            * 1000,
            "answer p50 without ms": statistics.median(
                percentile(b.latencies, 50) for b in baseline
            )
            * 1000,
            "answer p99 during ms": during,
            "answer p99 without ms": without,
            "p99 during / without": during / without,
            "429s (all runs)": sum(run.flooded for run in (*refresh, *baseline)),
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pins", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=300.0, help="the bot's sends a second")
    parser.add_argument("--answers", type=float, default=10.0, help="member asks a second")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve-fake", type=int, help=argparse.SUPPRESS)  # the fake's process
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        if args.serve_fake:
            asyncio.run(serve_fake(args.serve_fake, args.rate))
        else:
            asyncio.run(main(args.pins, args.rate, args.answers, args.rounds))
