"""`careerbot serve` against the adapter routes alone, and its memory.

- Requests per second per platform through the full server (health, metrics, both
  platforms mounted) against a bare Starlette app holding only that platform's
  route, in the same run, same requests, same fakes. Target: ≥ 0.9×.
- RSS of `careerbot serve` with both platforms mounted: idle, and after 10,000
  requests (peak). Target: ≤ 150 MB.

    python -m bench.bench_serve [--count N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from typing import Any

import httpx

from bench._harness import report
from bench.load import (
    SLACK_TOKEN,
    TELEGRAM_TOKEN,
    careerbot_serve,
    drive,
    drive_telegram,
    free_port,
    rss_mb,
    server_env,
    slack_requests,
    telegram_requests,
)
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi

CONCURRENCY = 20


def adapter_only_app(platform_name: str) -> Any:
    """A Starlette app with only ``platform_name``'s routes: the baseline."""
    from starlette.applications import Starlette

    from careerbot_chat import CareerBot, load_catalog, open_store
    from careerbot_chat._registry import find_adapter
    from careerbot_chat.service._settings import Settings

    settings = Settings.load()
    store = open_store(settings.database_url)
    bot = CareerBot(load_catalog(), store)
    platform = find_adapter(platform_name).create_platform(settings, bot)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        await platform.start()
        yield
        await platform.stop()
        await store.close()

    return Starlette(routes=list(platform.routes()), lifespan=lifespan)


@contextlib.asynccontextmanager
async def adapter_only(env: dict[str, str], port: int, name: str) -> AsyncIterator[None]:
    code = (
        "import uvicorn, logging; logging.disable(logging.INFO)\n"
        "from bench.bench_serve import adapter_only_app\n"
        f"uvicorn.run(adapter_only_app({name!r}), host='127.0.0.1', port={port}, "
        "log_level='warning', access_log=False)\n"
    )
    process = subprocess.Popen(  # noqa: ASYNC220 - returns at once; waited for below
        [sys.executable, "-c", code], env={**os.environ, **env}, stderr=subprocess.DEVNULL
    )
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                with contextlib.suppress(httpx.TransportError):
                    await client.get(f"http://127.0.0.1:{port}/")
                    break
                await asyncio.sleep(0.05)
        yield
    finally:
        process.terminate()
        try:
            await asyncio.to_thread(process.wait, 60)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait)


async def measure(count: int) -> dict[str, Any]:
    telegram, slack = FakeTelegram(TELEGRAM_TOKEN), FakeSlackApi(SLACK_TOKEN)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        async with serve_asgi(telegram.app) as tg_url, serve_asgi(slack.app) as slack_url:
            telegram.url, slack.base = tg_url, slack_url
            env = server_env(tg_url, slack_url, f"sqlite:///{tmp}/serve.sqlite3")
            limits = httpx.Limits(max_connections=CONCURRENCY)
            async with httpx.AsyncClient(limits=limits, timeout=30) as client:
                for name, build in (
                    ("slack", lambda u: slack_requests(u, count, slack.response_url())),
                    ("telegram", lambda u: telegram_requests(u, count)),
                ):

                    async def run(url: str, name: str = name, build: Any = build) -> Any:
                        requests = build(url)
                        if name == "telegram":
                            return await drive_telegram(
                                client, requests, CONCURRENCY, float("inf"), telegram
                            )
                        return await drive(client, requests, CONCURRENCY, float("inf"))

                    port = free_port()
                    async with adapter_only(env, port, name):
                        await run(f"http://127.0.0.1:{port}")  # warm-up round
                        alone = await run(f"http://127.0.0.1:{port}")
                    port = free_port()
                    async with careerbot_serve(env, port) as server:
                        url = f"http://127.0.0.1:{port}"
                        if name == "slack":
                            figures["serve idle RSS MB"] = rss_mb(server.pid, "VmRSS")
                        await run(url)  # warm-up round
                        full = await run(url)
                        if name == "slack":
                            await drive_telegram(
                                client,
                                telegram_requests(url, count),
                                CONCURRENCY,
                                float("inf"),
                                telegram,
                            )
                            figures["serve peak RSS MB (both platforms, 3×count requests)"] = (
                                rss_mb(server.pid)
                            )
                    a = alone.figures(name)[f"{name} req/s"]
                    f = full.figures(name)[f"{name} req/s"]
                    figures[f"{name} adapter route alone req/s"] = a
                    figures[f"{name} full server req/s"] = f
                    figures[f"{name} full / alone"] = f / a
                    figures[f"{name} failures (alone, full)"] = (
                        f"{count - alone.statuses[200]}, {count - full.statuses[200]}"
                    )
    figures["requests per platform"] = count
    figures["concurrency"] = CONCURRENCY
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=5_000)
    args = parser.parse_args()
    report("serve", asyncio.run(measure(args.count)))


if __name__ == "__main__":
    main()
