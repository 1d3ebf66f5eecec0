"""Signed slash commands per second over loopback: our route against bare Bolt apps.

The servers run as subprocesses under uvicorn, each a Starlette app with
``POST /slack/events`` through Bolt's Starlette adapter (plus a constant
``auth.test`` for Bolt's first request), all asked ``/salary senior``:

- ``ours``: the full ``careerbot serve`` (its guards, middleware, metrics and request
  log at INFO, a SQLite store) answering with the salary card (parse, answer,
  default-role lookup in the store, Block Kit rendering);
- ``ours-routes``: our Slack route alone in a bare Starlette app under uvicorn, as
  the bare apps are served (what the adapter costs, without the server around it);
- ``bare-tuned``: a bare ``AsyncApp(process_before_response=True)`` acking a constant
  line (the echo baseline);
- ``bare-blocks``: the same bare app acking the *same* text and blocks as ours
  (rendered once at start), so the ratio is read against work of the same size;
- ``bare-default``: the echo app in Bolt's default mode (polls for ``ack()``).

One client sends signed requests one at a time over a kept-alive connection, in
interleaved rounds (every server started afresh each round, in a rotating order),
and reports per variant the median requests per second and
the median server CPU per request (user + system of all the server's threads, from
its CPU clock). The client and the fake API keep one CPU, the servers the others.
Targets: ours ≥ 0.95 × bare-tuned and ≥ 1.0 × bare-blocks (both
measures; for CPU the baseline's CPU per request divided by ours), and ≥ 10 ×
bare-default in throughput.

    .venv/bin/python -m bench.bench_slack [--rounds 7] [--count 2000] [--seconds 4]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from bench._harness import percentile, pin_server, process_cpu_seconds, report, split_cpus
from bench.load import SLACK_SECRET, SLACK_TOKEN

ROOT = Path(__file__).resolve().parents[1]

TOKEN, SECRET = SLACK_TOKEN, SLACK_SECRET  # the ones bench.load's server environment uses
LOG_SETTLE = 0.2
"""Seconds for ours to write its round's last request log lines (on its log thread)."""
VARIANTS = ("ours", "ours-routes", "bare-tuned", "bare-blocks", "bare-default")
COMMAND, TEXT = "/salary", "senior"
WARM_UP = 200
"""Requests each fresh server answers before a round is measured."""
AUTH_TEST = {
    "ok": True,
    "team_id": "T1",
    "user_id": "UBOT",
    "bot_id": "B1",
    "team": "t",
    "user": "b",
}


# -- servers (run in subprocesses) -------------------------------------------------------


def _auth_route() -> Any:
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def auth_test(request: Any) -> JSONResponse:
        return JSONResponse(AUTH_TEST)

    return Route("/api/auth.test", auth_test, methods=["POST", "GET"])


def _same_blocks() -> tuple[str, list[dict[str, Any]]]:
    """The text and blocks ours answers ``COMMAND TEXT`` with, rendered once."""
    from careerbot_chat import answer, load_catalog, parse
    from careerbot_slack import render

    command = parse(f"{COMMAND} {TEXT}")
    assert command is not None
    message = render(answer(command, load_catalog()))
    return message["text"], message["blocks"]


def _bare_routes(base_url: str, *, tuned: bool, blocks: bool = False) -> list[Any]:
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient
    from starlette.routing import Route

    app = AsyncApp(
        client=AsyncWebClient(token=TOKEN, base_url=base_url),
        signing_secret=SECRET,
        process_before_response=tuned,
    )

    text, same = _same_blocks() if blocks else ("ok", [])

    @app.command(COMMAND)
    async def answer(ack: Any) -> None:
        if blocks:
            await ack(text=text, blocks=same, response_type="ephemeral")
        else:
            await ack("ok")

    handler = AsyncSlackRequestHandler(app)

    async def events(request: Any) -> Any:
        return await handler.handle(request)

    return [Route("/slack/events", events, methods=["POST"])]


async def _our_routes(base_url: str, folder: Path, stack: contextlib.AsyncExitStack) -> list[Any]:
    """Our route, with a SQLite store in ``folder`` (closed by ``stack``), as
    ``careerbot serve`` mounts it."""
    from careerbot_chat import CareerBot, SQLiteStore, load_catalog
    from careerbot_chat.service._settings import Settings
    from careerbot_slack import create_platform

    store = SQLiteStore(folder / "bench.sqlite3")
    await store.open()
    stack.push_async_callback(store.close)
    settings = Settings(
        _env_file=None,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_base_url=base_url,
    )
    from careerbot_chat.service import _logging, _metrics

    _metrics.enable()  # as `careerbot serve` runs: metrics on, the request log at INFO
    _logging.setup_logging("json", "INFO", [])
    platform = create_platform(settings, CareerBot(load_catalog(), store))
    await platform.start()
    return list(platform.routes())


async def serve(variant: str) -> None:
    """Serve one variant on a free port; print ``READY <port>`` when listening."""
    import uvicorn
    from starlette.applications import Starlette

    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted sockets only when
    # the listening socket says so; otherwise each response waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}/api/"
    with tempfile.TemporaryDirectory() as folder:
        if variant == "ours-routes":
            # The store closes with the process: the benchmark terminates it.
            routes = await _our_routes(base_url, Path(folder), contextlib.AsyncExitStack())
        else:
            routes = _bare_routes(
                base_url, tuned=variant != "bare-default", blocks=variant == "bare-blocks"
            )
        app = Starlette(routes=[*routes, _auth_route()])
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:  # noqa: ASYNC110 - uvicorn offers only this flag
            await asyncio.sleep(0.01)
        print(f"READY {port}", flush=True)
        await task  # until the benchmark terminates this process


# -- client ----------------------------------------------------------------------------------


def signed(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


BODY = urlencode(
    {
        "command": COMMAND,
        "text": TEXT,
        "user_id": "U1",
        "channel_id": "C1",
        "team_id": "T1",
        "response_url": "http://127.0.0.1:9/unused",
        "trigger_id": "1.2.3",
    }
)


@dataclass
class Server:
    """A variant's server subprocess and a client aimed at it."""

    client: httpx.AsyncClient
    pid: int

    def cpu_seconds(self) -> float:
        """CPU seconds the server process has used."""
        return process_cpu_seconds(self.pid)


@contextlib.asynccontextmanager
async def server(variant: str) -> AsyncIterator[Server]:
    """Start ``variant`` in a subprocess; yield it with a client aimed at it."""
    if variant == "ours":
        async with full_server() as started:
            yield started
        return
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.bench_slack",
        "--serve",
        variant,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # ours writes its request log there, as in production
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        port = int(line.split()[1])
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            pin_server(process.pid)
            yield Server(client, process.pid)
    finally:
        process.terminate()
        await process.wait()


@contextlib.asynccontextmanager
async def full_server() -> AsyncIterator[Server]:
    """``careerbot serve`` with Slack only, its Web API a fake in this process."""
    from bench.load import careerbot_serve, free_port, platform_env
    from tests.fakes.slack_api import FakeSlackApi
    from tests.servers import serve_asgi

    fake = FakeSlackApi(TOKEN)
    with tempfile.TemporaryDirectory() as folder:
        async with serve_asgi(fake.app) as api_url:
            env = platform_env("slack", api_url, f"sqlite:///{folder}/bench.sqlite3")
            port = free_port()
            async with (
                careerbot_serve(env, port, cwd=Path(folder)) as process,
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client,
            ):
                pin_server(process.pid)
                yield Server(client, process.pid)


async def one(client: httpx.AsyncClient) -> float:
    started = time.perf_counter()
    response = await client.post("/slack/events", content=BODY, headers=signed(BODY))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text
    return elapsed


@dataclass
class Round:
    rate: float
    """Requests per second."""
    cpu_us: float
    """Server CPU microseconds per request."""
    samples: list[float]


async def measure(target: Server, count: int, seconds: float) -> Round:
    """``count`` sequential requests (fewer if ``seconds`` run out first)."""
    samples: list[float] = []
    cpu = target.cpu_seconds()
    started = time.perf_counter()
    deadline = started + seconds
    while len(samples) < count and time.perf_counter() < deadline:
        samples.append(await one(target.client))
    rate = len(samples) / (time.perf_counter() - started)
    # Ours writes its request log on a thread of its own: let it write the round's last
    # lines, so their CPU counts here and not in another server's round.
    await asyncio.sleep(LOG_SETTLE)
    return Round(rate, (target.cpu_seconds() - cpu) / len(samples) * 1e6, samples)


async def run(rounds: int, count: int, seconds: float) -> dict[str, Any]:
    split = split_cpus()
    results: dict[str, list[Round]] = {name: [] for name in VARIANTS}
    for number in range(rounds):
        # Fresh servers every round: one process can run 25 % slower than the next for
        # its whole life (memory layout, where the machine's noise falls), so a round
        # samples that luck along with everything else instead of fixing it per variant.
        async with contextlib.AsyncExitStack() as stack:
            servers = {name: await stack.enter_async_context(server(name)) for name in VARIANTS}
            if number == 0:
                await _check_same(servers)
            for target in servers.values():
                await measure(target, WARM_UP, seconds)  # auth.test, caches, connections
            # Interleaved, and in a rotating order, so drift in the machine hits all alike.
            order = VARIANTS[number % len(VARIANTS) :] + VARIANTS[: number % len(VARIANTS)]
            for name in order:
                results[name].append(await measure(servers[name], count, seconds))
    return _figures(results, rounds) | {"servers on CPUs of their own": split}


async def _check_same(servers: dict[str, Server]) -> None:
    """Ours really renders the card, and bare-blocks answers with the very same blocks."""
    ours = servers["ours"].client
    first = (await ours.post("/slack/events", content=BODY, headers=signed(BODY))).json()
    assert first["blocks"][0]["type"] == "header", first
    same = await servers["bare-blocks"].client.post(
        "/slack/events", content=BODY, headers=signed(BODY)
    )
    assert same.json()["blocks"] == first["blocks"], "bare-blocks must answer the same"


def _figures(results: dict[str, list[Round]], rounds: int) -> dict[str, Any]:
    rate = {name: statistics.median(r.rate for r in rs) for name, rs in results.items()}
    cpu = {name: statistics.median(r.cpu_us for r in rs) for name, rs in results.items()}
    figures: dict[str, Any] = {}
    for name, rs in results.items():
        samples = [sample for r in rs for sample in r.samples]
        figures[f"{name} req/s (median)"] = rate[name]
        figures[f"{name} p50 ms"] = percentile(samples, 50) * 1000
        figures[f"{name} p99 ms"] = percentile(samples, 99) * 1000
        figures[f"{name} server CPU us/req"] = cpu[name]
    # As percentages: the harness prints one decimal, too coarse for these targets.
    for baseline, target in (("bare-tuned", 0.95), ("bare-blocks", 1.0)):
        speed, thrift = rate["ours"] / rate[baseline], cpu[baseline] / cpu["ours"]
        figures[f"ours / {baseline} throughput %"] = 100 * speed
        figures[f"{baseline} / ours CPU per request %"] = 100 * thrift
        met = speed >= target and thrift >= target
        figures[f"target ours >= {target} x {baseline}"] = "met" if met else "MISSED"
    figures["ours-routes / bare-tuned %"] = 100 * rate["ours-routes"] / rate["bare-tuned"]
    default = rate["bare-default"]
    figures["ours / bare-default %"] = 100 * rate["ours"] / default
    figures["bare-tuned / bare-default %"] = 100 * rate["bare-tuned"] / default
    figures["target ours >= 10 x bare-default"] = (
        "met" if rate["ours"] >= 10 * default else "MISSED"
    )
    figures["rounds"] = rounds
    figures["server CPU us/req by round"] = {
        name: [round(r.cpu_us, 1) for r in rs] for name, rs in results.items()
    }
    figures["load average"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--serve", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--count", type=int, default=2000, help="requests per round and variant")
    parser.add_argument("--seconds", type=float, default=4.0, help="time cap per round and variant")
    args = parser.parse_args(argv)
    if args.serve:
        asyncio.run(serve(args.serve))
        return
    report("slack", asyncio.run(run(args.rounds, args.count, args.seconds)))


if __name__ == "__main__":
    main()
