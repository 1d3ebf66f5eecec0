"""Where a slash command's CPU goes: our Slack route against bare Bolt, in-process.

``bench_slack`` measures whole servers over loopback, where HTTP parsing, the event
loop and the kernel are most of each request and hide what the route itself costs.
This calls the ASGI routes directly, with no HTTP, one signed ``/salary senior``
at a time, and lets the loop turn between calls as a server's does; the request log
lines a round leaves waiting for their batch are written inside its measurement.
Variants, in interleaved rounds:

- ``bare-blocks``: bare ``AsyncApp(process_before_response=True)`` acking the same
  text and blocks as ours (``bench_slack``'s baseline of the same size);
- ``ours``: our route as ``careerbot serve`` mounts it: metrics on, the JSON request
  log at INFO (written to ``os.devnull``: the line's CPU, not the terminal's);
- ``ours, no request log``: the same app with the ``careerbot.requests`` logger at
  WARNING, so the difference is what the log line costs (in a batch).

Reports the median CPU microseconds per call (process time). No target: this explains
``bench_slack``'s ratios.

    .venv/bin/python -m bench.bench_slack_route [--rounds 7] [--count 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO

from bench._harness import report
from bench.bench_slack import BODY, _auth_route, _bare_routes, _our_routes, signed
from careerbot_chat.service._logging import setup_logging, stop_logging

Call = Callable[[], Awaitable[None]]
REQUESTS_LOG = logging.getLogger("careerbot.requests")


def caller(app: Any) -> Call:
    """One signed ``/salary senior`` through ``app``, checked to be answered with 200."""
    body = BODY.encode()

    async def call() -> None:
        headers = [(k.lower().encode(), v.encode()) for k, v in signed(BODY).items()]
        headers += [(b"host", b"127.0.0.1"), (b"content-length", str(len(body)).encode())]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/slack/events",
            "raw_path": b"/slack/events",
            "root_path": "",
            "query_string": b"",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }
        delivered = False
        status: list[int] = []

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(scope, receive, send)
        assert status == [200], status

    return call


async def cpu_per_call(call: Call, count: int, devnull: TextIO) -> float:
    """CPU microseconds per call over ``count`` calls, the loop turning after each; the
    request log lines still queued are written inside the measurement (the listener is
    stopped there), so each variant pays for its own."""
    setup_logging("json", "INFO", [], stream=devnull)
    started = time.process_time()
    for _ in range(count):
        await call()
        await asyncio.sleep(0)  # the loop's next turn, as a server's turns between requests
    stop_logging()
    return (time.process_time() - started) / count * 1e6


async def run(rounds: int, count: int, devnull: TextIO) -> dict[str, Any]:
    from starlette.applications import Starlette

    from tests.servers import serve_asgi

    async with contextlib.AsyncExitStack() as stack:
        api = await stack.enter_async_context(serve_asgi(Starlette(routes=[_auth_route()])))
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        ours = caller(Starlette(routes=await _our_routes(f"{api}/api/", folder, stack)))
        bare = caller(Starlette(routes=_bare_routes(f"{api}/api/", tuned=True, blocks=True)))
        # name: (call, level of the request log during its rounds)
        variants: dict[str, tuple[Call, int]] = {
            "bare-blocks": (bare, logging.NOTSET),
            "ours": (ours, logging.NOTSET),
            "ours, no request log": (ours, logging.WARNING),
        }
        for call, _ in variants.values():  # warm-up: auth.test, caches, first imports
            await cpu_per_call(call, 200, devnull)
        results: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(rounds):
            for name, (call, level) in variants.items():  # interleaved: drift hits all alike
                REQUESTS_LOG.setLevel(level)
                results[name].append(await cpu_per_call(call, count, devnull))
        REQUESTS_LOG.setLevel(logging.NOTSET)
    median = {name: statistics.median(values) for name, values in results.items()}
    figures: dict[str, Any] = {f"{name} CPU us/call (median)": median[name] for name in median}
    figures["ours - bare-blocks us"] = median["ours"] - median["bare-blocks"]
    figures["request log line us"] = median["ours"] - median["ours, no request log"]
    figures["rounds"] = rounds
    figures["calls per round"] = count
    figures["load average"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--count", type=int, default=2000, help="calls per round and variant")
    args = parser.parse_args(argv)
    with open(os.devnull, "w") as devnull:
        report("slack_route", asyncio.run(run(args.rounds, args.count, devnull)))


if __name__ == "__main__":
    main()
