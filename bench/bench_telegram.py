"""Telegram updates per second through ``POST /telegram/webhook`` into the fake Bot API.

Ours: the adapter's webhook route (secret check, body checks, duplicate check in a
SQLite store) → the Application → the core answers ``/salary senior mlops`` → the
HTML card with its keyboard goes to the fake's ``sendMessage``.
Bare: python-telegram-bot's own Starlette example route (no checks) → an echo
handler → ``sendMessage``. Both run in this process against the same fake, over
loopback HTTP, with the same update concurrency; flood limits are off for both
(the fake has none, and with them on both would measure Telegram's 30 messages/s).

A round posts ``--count`` updates from ``--clients`` concurrent HTTP clients and
ends when the fake has received every answer; the rate is updates / round time.
Rounds come in pairs (ours, bare; the order swapped each pair). The rates are
medians; the ratio is the median of the pairs' ratios. Target: ours ≥ 0.8 × bare.

    .venv/bin/python -m bench.bench_telegram [--count 300] [--rounds 8] [--clients 16]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB's opt-in; silences a deprecation warning

from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402

from bench._harness import report  # noqa: E402
from careerbot_chat import CareerBot, SQLiteStore, load_catalog  # noqa: E402
from careerbot_chat.service._settings import Settings  # noqa: E402
from careerbot_telegram import FloodLimits, TelegramPlatform  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402
from tests.servers import serve_asgi  # noqa: E402

TOKEN = "7000001:AAFakeTokenForBenchOnly_abcdefghijklmnop"
SECRET = "bench-secret"
TARGET = 0.8
CONCURRENT_UPDATES = FloodLimits().concurrent_updates  # ours as deployed, for both
TEXT = "/salary senior mlops"
GROUP = {"id": -1001234567890, "type": "supergroup", "title": "Bench"}
_ids = itertools.count(1)


def serve(app: Any) -> contextlib.AbstractAsyncContextManager[str]:
    """uvicorn on a free loopback port (the tests' helper, with TCP_NODELAY)."""
    return serve_asgi(app, lifespan="off")


def update_body() -> bytes:
    """A fresh group command (a new update_id each time: ours drops duplicates)."""
    n = next(_ids)
    message = {
        "message_id": n,
        "date": int(time.time()),
        "chat": GROUP,
        "from": {"id": 4242, "is_bot": False, "first_name": "Member"},
        "text": TEXT,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(TEXT.split()[0])}],
    }
    return json.dumps({"update_id": n, "message": message}).encode()


async def bare_application(api_url: str) -> tuple[Application, Starlette]:  # type: ignore[type-arg]
    """PTB's customwebhookbot example: an echo bot behind a route that queues updates."""
    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(f"{api_url}/bot")
        .updater(None)
        .concurrent_updates(CONCURRENT_UPDATES)
        .build()
    )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        assert update.message.text is not None
        await update.message.reply_text(update.message.text)

    application.add_handler(MessageHandler(filters.TEXT, echo))

    async def telegram(request: Request) -> Response:
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return Response()

    return application, Starlette(routes=[Route("/telegram/webhook", telegram, methods=["POST"])])


async def one_round(url: str, fake: FakeTelegram, count: int, clients: int) -> float:
    """Post ``count`` updates from ``clients`` concurrent clients; updates per second."""
    bodies = [update_body() for _ in range(count)]
    fake.reset()
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits) as http:
        queue = iter(bodies)

        async def client() -> None:
            for body in queue:
                response = await http.post("/telegram/webhook", content=body)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        await fake.wait_for("sendMessage", count=count, within=60)
        elapsed = time.perf_counter() - started
    return count / elapsed


async def run(count: int, rounds: int, clients: int) -> dict[str, Any]:
    fake = FakeTelegram(TOKEN)
    with tempfile.TemporaryDirectory() as tmp:
        async with serve(fake.app) as api_url:
            store = SQLiteStore(Path(tmp) / "bench.sqlite3")
            await store.open()
            settings = Settings(
                _env_file=None,
                telegram_bot_token=TOKEN,
                telegram_webhook_secret=SECRET,
                telegram_api_base_url=api_url,
            )
            limits = FloodLimits(0, 0, max_retries=0, concurrent_updates=CONCURRENT_UPDATES)
            ours = TelegramPlatform(settings, CareerBot(load_catalog(), store), limits=limits)
            bare, bare_app = await bare_application(api_url)
            await ours.start()
            await bare.initialize()
            await bare.start()
            try:
                async with (
                    serve(Starlette(routes=list(ours.routes()))) as ours_url,
                    serve(bare_app) as bare_url,
                ):
                    rates = await measure(
                        {"ours": ours_url, "bare": bare_url}, fake, count, clients, rounds
                    )
            finally:
                await ours.stop()
                await bare.stop()
                await bare.shutdown()
                await store.close()
    ours_rate = statistics.median(rates["ours"])
    bare_rate = statistics.median(rates["bare"])
    ratio = statistics.median(o / b for o, b in zip(rates["ours"], rates["bare"], strict=True))
    return {
        "ours_updates_per_s": ours_rate,
        "bare_updates_per_s": bare_rate,
        "ratio": round(ratio, 3),
        "summary": f"ours/bare = {ratio:.2f} (median of {rounds} paired rounds; target ≥ 0.80)",
        "meets_target": ratio >= TARGET,
        "updates_per_round": count,
        "rounds": rounds,
        "clients": clients,
        "concurrent_updates": CONCURRENT_UPDATES,
        "ours_rounds": [round(r, 1) for r in rates["ours"]],
        "bare_rounds": [round(r, 1) for r in rates["bare"]],
    }


async def measure(
    urls: dict[str, str], fake: FakeTelegram, count: int, clients: int, rounds: int
) -> dict[str, list[float]]:
    """A warm-up round each, then ``rounds`` pairs, the order swapped every pair so that
    load from elsewhere on the machine falls on both sides alike."""
    rates: dict[str, list[float]] = {name: [] for name in urls}
    for url in urls.values():
        await one_round(url, fake, min(count, 100), clients)
    names = list(urls)
    for index in range(rounds):
        for name in names if index % 2 == 0 else names[::-1]:
            rates[name].append(await one_round(urls[name], fake, count, clients))
    return rates


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=300, help="updates per round")
    parser.add_argument("--rounds", type=int, default=8, help="pairs of rounds")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients")
    args = parser.parse_args(argv)
    figures = asyncio.run(run(args.count, args.rounds, args.clients))
    report("telegram_webhook", figures)


if __name__ == "__main__":
    main()
