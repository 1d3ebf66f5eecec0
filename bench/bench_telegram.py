"""Telegram updates per second and server CPU per update: ``careerbot serve`` against bare PTB.

Three servers, each its own process under uvicorn, all aimed at one fake Bot API
(in this driver process, over loopback HTTP), flood limits off for all:

- ``ours``: ``careerbot serve`` with Telegram configured (secret check, body cap,
  duplicate claim in SQLite, metrics, request log, parse, answer, render) answering
  ``/salary senior mlops`` in a group with the salary card and its level keyboard;
  the answer rides in the webhook's HTTP response when it can.
- ``bare-echo``: python-telegram-bot's customwebhookbot shape (a Starlette route
  that puts the update on ``update_queue``) with an echo handler (``reply_text``).
- ``bare-card``: the same bare app sending the *same* card (the same HTML, keyboard
  and reply parameters, rendered once at start) with ``send_message``.

The driver plays Telegram: ``--clients`` connections post fresh group commands
(new update ids), read each webhook answer and run the call it carries in the fake,
and a round ends when the fake has every answer. Per round and server: updates per
second, and CPU per update (user + system seconds of the server process from
``/proc``, divided by the updates answered). Rounds rotate the servers' order;
figures are medians of ``--rounds`` rounds, ratios are taken of those medians (for
CPU: the baseline's CPU per update divided by ours). Targets: ours ≥ 1.3 × bare-echo
and ≥ 1.5 × bare-card, on both measures.

    .venv/bin/python -m bench.bench_telegram [--count 400] [--rounds 5] [--clients 16]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench._harness import pin_server, process_cpu_seconds, report, split_cpus
from bench.load import TELEGRAM_TOKEN, WEBHOOK_SECRET, careerbot_serve, free_port, platform_env
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ("ours", "bare-echo", "bare-card")
TEXT = "/salary senior mlops"
GROUP = {"id": -1001234567890, "type": "supergroup", "title": "Bench"}
CONCURRENT_UPDATES = 64  # ours as deployed (FloodLimits.concurrent_updates), for all
TARGETS = {"bare-echo": 1.3, "bare-card": 1.5}
_ids = itertools.count(1)


# -- the bare servers (run in subprocesses) -------------------------------------------------


def _bare_app(api_url: str, variant: str) -> tuple[Any, Any]:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route
    from telegram import LinkPreviewOptions, ReplyParameters, Update
    from telegram.constants import ParseMode
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    application = (
        Application.builder()
        .token(TELEGRAM_TOKEN)
        .base_url(f"{api_url}/bot")
        .updater(None)
        .concurrent_updates(CONCURRENT_UPDATES)
        .build()
    )
    text, keyboard = same_card()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        assert update.message.text is not None
        await update.message.reply_text(update.message.text)

    async def card(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        assert message is not None
        await context.bot.send_message(
            message.chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_parameters=ReplyParameters(message.message_id, allow_sending_without_reply=True),
        )

    application.add_handler(MessageHandler(filters.TEXT, echo if variant == "bare-echo" else card))

    async def telegram(request: Request) -> Response:
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return Response()

    return application, Starlette(routes=[Route("/telegram/webhook", telegram, methods=["POST"])])


def same_card() -> tuple[str, Any]:
    """The HTML and keyboard ours sends for ``TEXT``, rendered by our renderer once."""
    from careerbot_chat import answer, load_catalog, parse
    from careerbot_telegram import render

    command = parse(TEXT)
    assert command is not None
    rendered = render(answer(command, load_catalog()))
    assert len(rendered.chunks) == 1
    return rendered.chunks[0], rendered.keyboard


async def serve(variant: str, api_url: str) -> None:
    """Serve a bare variant on a free port; print ``READY <port>`` when listening."""
    import uvicorn

    application, app = _bare_app(api_url, variant)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    async with application:
        await application.start()
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:  # noqa: ASYNC110 - uvicorn offers only this flag
            await asyncio.sleep(0.01)
        print(f"READY {sock.getsockname()[1]}", flush=True)
        await task  # until the benchmark terminates this process
        await application.stop()


# -- the driver -------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU seconds the server process has used."""
        return process_cpu_seconds(self.pid)


@contextlib.asynccontextmanager
async def bare_server(variant: str, api_url: str) -> AsyncIterator[Server]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.bench_telegram",
        "--serve",
        variant,
        "--api",
        api_url,
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        pin_server(process.pid)
        yield Server(f"http://127.0.0.1:{int(line.split()[1])}", process.pid)
    finally:
        process.terminate()
        await process.wait()


@contextlib.asynccontextmanager
async def our_server(api_url: str, folder: str) -> AsyncIterator[Server]:
    env = platform_env("telegram", api_url, f"sqlite:///{folder}/bench.sqlite3")
    port = free_port()
    async with careerbot_serve(env, port) as process:
        pin_server(process.pid)
        yield Server(f"http://127.0.0.1:{port}", process.pid)


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


@dataclass
class Round:
    rate: float
    cpu_ms: float


async def one_round(server: Server, fake: FakeTelegram, count: int, clients: int) -> Round:
    """Post ``count`` updates from ``clients`` connections; rate and server CPU per update."""
    bodies = iter([update_body() for _ in range(count)])
    fake.reset()
    headers = {
        "Content-Type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
    }
    limits = httpx.Limits(max_connections=1)
    tls = ssl.create_default_context()  # loaded once, not once per client
    async with contextlib.AsyncExitStack() as stack:
        # One client per connection, as Telegram opens up to max_connections: a shared
        # httpx pool rescans every connection per request and becomes the bottleneck.
        https = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=server.url, headers=headers, limits=limits, verify=tls)
            )
            for _ in range(clients)
        ]

        async def client(http: httpx.AsyncClient) -> None:
            for body in bodies:
                response = await http.post("/telegram/webhook", content=body)
                response.raise_for_status()
                await fake.read_webhook_answer(response)

        cpu = server.cpu_seconds()
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for http in https))
        await fake.wait_for("sendMessage", count=count, within=120)
        elapsed = time.perf_counter() - started
        used = server.cpu_seconds() - cpu
    assert len(fake.called("sendMessage")) == count, "an update was answered twice"
    assert not fake.refused, fake.refused[:1]
    return Round(count / elapsed, used / count * 1000)


async def run(count: int, rounds: int, clients: int) -> dict[str, Any]:
    split = split_cpus()
    fake = FakeTelegram(TELEGRAM_TOKEN)
    with tempfile.TemporaryDirectory() as folder:
        async with serve_asgi(fake.app) as api_url, contextlib.AsyncExitStack() as stack:
            fake.url = api_url
            servers = {"ours": await stack.enter_async_context(our_server(api_url, folder))}
            for variant in VARIANTS[1:]:
                servers[variant] = await stack.enter_async_context(bare_server(variant, api_url))
            for server in servers.values():  # warm-up: connections, caches, first imports
                await one_round(server, fake, min(count, 100), clients)
            results: dict[str, list[Round]] = {name: [] for name in VARIANTS}
            for index in range(rounds):
                order = VARIANTS[index % 3 :] + VARIANTS[: index % 3]
                for name in order:
                    results[name].append(await one_round(servers[name], fake, count, clients))
    return figures(results, count, rounds, clients) | {"servers on CPUs of their own": split}


def figures(
    results: dict[str, list[Round]], count: int, rounds: int, clients: int
) -> dict[str, Any]:
    rate = {name: statistics.median(r.rate for r in rs) for name, rs in results.items()}
    cpu = {name: statistics.median(r.cpu_ms for r in rs) for name, rs in results.items()}
    out: dict[str, Any] = {}
    for name in VARIANTS:
        out[f"{name} updates/s"] = rate[name]
        out[f"{name} CPU us/update"] = cpu[name] * 1000
    for baseline, target in TARGETS.items():
        speed = rate["ours"] / rate[baseline]
        thrift = cpu[baseline] / cpu["ours"]
        out[f"ours / {baseline} throughput"] = round(speed, 2)
        out[f"{baseline} / ours CPU per update"] = round(thrift, 2)
        met = speed >= target and thrift >= target
        out[f"target >= {target} x {baseline}"] = "met" if met else "MISSED"
    out["rounds"] = [
        {
            name: [round(r.rate, 1), round(r.cpu_ms, 3)]
            for name, r in zip(VARIANTS, row, strict=True)
        }
        for row in zip(*(results[name] for name in VARIANTS), strict=True)
    ]
    out.update(updates_per_round=count, median_of_rounds=rounds, clients=clients)
    out["load average"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--serve", choices=VARIANTS[1:], help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=400, help="updates per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per server")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP connections")
    args = parser.parse_args(argv)
    if args.serve:
        asyncio.run(serve(args.serve, args.api))
        return
    report("telegram_webhook", asyncio.run(run(args.count, args.rounds, args.clients)))


if __name__ == "__main__":
    main()
