"""Load `careerbot serve` with signed Slack slash commands and Telegram webhook updates.

Loopback only, bounded in count and time. The fake Telegram and Slack APIs run in this
process; the server runs as a subprocess exactly as operators run it. Reports
throughput, p50/p95/p99 latency per platform and the server's RSS (peak, and after the
run), and checks
that nothing failed and that every Telegram update was answered exactly once.

    python -m bench.load                       # 10,000 + 10,000 at 50 connections
    python -m bench.load --count 2000 --roles 1000
    python -m bench.load --roles 1 --reload-at 0.5              # SIGHUP half-way through
    python -m bench.load --roles 1 --outage-at 0.5 --outage-seconds 2

``--reload-at F`` edits a role file and sends SIGHUP when a fraction F of each
platform's requests has been sent; ``--outage-at F`` makes both platforms' APIs fail
(HTTP 502 on every call) for ``--outage-seconds`` from then on. Answers the Bot API
refused during an outage are counted as "telegram unanswered".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench._harness import percentile, report
from bench.generate import generate_catalog
from careerbot_chat import bundled_content_dir
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import serve_asgi
from tests.slack import builders as slack_builders
from tests.telegram import builders as tg_builders

TELEGRAM_TOKEN = "7000001:AAFakeLoadTokenForBenchOnly_abcdefghijklmnop"
WEBHOOK_SECRET = "load-secret_123"
SLACK_TOKEN = slack_builders.TOKEN
SLACK_SECRET = slack_builders.SECRET
SLACK_COMMANDS = (
    ("/role", "mlops"),
    ("/salary", "senior"),
    ("/salary", "5 years mlops"),
    ("/pitfalls", ""),
    ("/skills", "mlops"),
    ("/faq", "backend"),
    ("/roles", ""),
    ("/careerbot", "salary staff"),
    ("/role", "mlop"),
)
TELEGRAM_COMMANDS = (
    "/role mlops",
    "/salary senior",
    "/salary 5y",
    "/pitfalls",
    "/skills",
    "/faq devops",
    "/roles",
    "/help",
    "/role mlop",
    "mlops",
    "senior salary",
)


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed: float = 0.0

    def figures(self, name: str) -> dict[str, Any]:
        count = len(self.latencies)
        return {
            f"{name} requests": count,
            f"{name} failed": count - self.statuses[200],
            f"{name} req/s": count / self.elapsed if self.elapsed else 0.0,
            f"{name} p50 ms": percentile(self.latencies, 50) * 1000,
            f"{name} p95 ms": percentile(self.latencies, 95) * 1000,
            f"{name} p99 ms": percentile(self.latencies, 99) * 1000,
        }


def server_env(tg_url: str, slack_url: str, database_url: str) -> dict[str, str]:
    """The environment of a `careerbot serve` aimed at the two fakes."""
    return {
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TELEGRAM_API_BASE_URL": tg_url,
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_API_BASE_URL": f"{slack_url}/api/",
        "CAREERBOT_DATABASE_URL": database_url,
        "CAREERBOT_LOG_LEVEL": "WARNING",
        "TELEGRAM_RATE_LIMIT": "0",  # the fakes have no flood limits to respect
        "TELEGRAM_GROUP_RATE_LIMIT": "0",
    }


def platform_env(platform: str, api_url: str, database_url: str) -> dict[str, str]:
    """``server_env`` for one platform (``telegram`` or ``slack``) at ``api_url`` alone,
    with the request log at INFO as deployed (a line per answer)."""
    other = "SLACK_" if platform == "telegram" else "TELEGRAM_"
    env = server_env(api_url, api_url, database_url)
    return {name: value for name, value in env.items() if not name.startswith(other)} | {
        "CAREERBOT_LOG_LEVEL": "INFO"
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int, field: str = "VmHWM") -> float:
    """The process's peak resident memory in MiB (``field="VmRSS"``: its current one)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextlib.asynccontextmanager
async def careerbot_serve(
    env: dict[str, str],
    port: int,
    *,
    wait_ready: bool = True,
    ready_timeout: float = 15.0,
    log_file: Any = None,
    open_files: int | None = None,
    cwd: Path | None = None,
    probe_port: int | None = None,
    python: str = sys.executable,
) -> AsyncIterator[subprocess.Popen[bytes]]:
    """`careerbot serve` in a subprocess, waited for until /readyz answers 200.

    With ``wait_ready=False``, only until it answers /healthz (e.g. with the database down).
    The server's log goes to ``log_file`` (a binary file the caller reads with
    ``server_log``), else to a temporary file: a pipe nobody reads would fill and block it.
    ``open_files`` sets the server's open-files limit (soft and hard).
    ``cwd`` is where it runs, so that no stray ``.env`` is read (default: this process's).
    ``probe_port`` is where readiness is asked (default ``port``; the internal port if set).
    ``python`` runs the server: another checkout's environment serves its own code.
    """
    owned = log_file is None
    if log_file is None:
        log_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(  # noqa: ASYNC220 - starting returns at once; waits go to a thread
        [python, "-m", "careerbot_chat.cli", "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log_file,
        preexec_fn=None if open_files is None else lambda: _limit_open_files(open_files),
        cwd=cwd,
    )
    try:
        probe = f"http://127.0.0.1:{probe_port or port}/{'readyz' if wait_ready else 'healthz'}"
        deadline = time.monotonic() + ready_timeout
        async with httpx.AsyncClient() as client:
            while not await _answers_200(client, probe):
                if process.poll() is not None:
                    raise RuntimeError(server_log(log_file))
                if time.monotonic() > deadline:
                    log = server_log(log_file)
                    raise RuntimeError(f"careerbot serve did not become ready:\n{log}")
                await asyncio.sleep(0.02)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.to_thread(process.wait, 30)
            except subprocess.TimeoutExpired:
                process.kill()
                await asyncio.to_thread(process.wait)
        if os.environ.get("CAREERBOT_BENCH_SHOW_LOG"):
            print(server_log(log_file)[-20_000:], file=sys.stderr)
        if owned:
            log_file.close()


def _limit_open_files(count: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_NOFILE, (count, count))


async def _answers_200(client: httpx.AsyncClient, url: str) -> bool:
    with contextlib.suppress(httpx.TransportError):
        return (await client.get(url)).status_code == 200
    return False


def server_log(log_file: Any) -> str:
    """What the server wrote to its log so far."""
    log_file.flush()
    log_file.seek(0)
    return str(log_file.read().decode(errors="replace"))


async def drive(
    client: httpx.AsyncClient,
    requests: Iterable[tuple[str, dict[str, str], bytes]],
    concurrency: int,
    deadline: float,
    telegram: FakeTelegram | None = None,
) -> Result:
    """Post ``requests`` from ``concurrency`` workers; ``telegram`` reads webhook answers.

    Each worker has its own connection and client (with ``client``'s timeout), as
    Telegram's and Slack's deliveries are separate connections: one httpx pool shared
    by every worker rescans all its connections on each request and response, and at
    50 connections that, not the server, would set the pace.
    """
    result = Result()
    queue = iter(requests)
    tls = ssl.create_default_context()  # loaded once, not once per client
    one = httpx.Limits(max_connections=1, max_keepalive_connections=1)

    async def worker(own: httpx.AsyncClient) -> None:
        for url, headers, body in queue:
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            try:
                response = await own.post(url, headers=headers, content=body)
                status = response.status_code
            except httpx.HTTPError:
                status = 0
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] += 1
            if telegram is not None and status:  # as Telegram: run the call the answer carries
                await telegram.read_webhook_answer(response)

    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(limits=one, timeout=client.timeout, verify=tls)
            )
            for _ in range(concurrency)
        ]
        started = time.perf_counter()
        await asyncio.gather(*(worker(own) for own in clients))
        result.elapsed = time.perf_counter() - started
    return result


def telegram_requests(url: str, count: int) -> list[tuple[str, dict[str, str], bytes]]:
    headers = {
        "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
        "Content-Type": "application/json",
    }
    texts = itertools.cycle(TELEGRAM_COMMANDS)
    out = []
    for index in range(count):
        uid = 10_000_000 + index  # one private chat per update: exactly one answer each
        update = tg_builders.text_update(
            next(texts), chat=tg_builders.private_chat(uid), sender=tg_builders.user(uid)
        )
        out.append((f"{url}/telegram/webhook", headers, json.dumps(update).encode()))
    return out


def slack_requests(
    url: str, count: int, response_url: str
) -> list[tuple[str, dict[str, str], bytes]]:
    commands = itertools.cycle(SLACK_COMMANDS)
    out = []
    for _ in range(count):
        command, text = next(commands)
        body = slack_builders.slash(command, text, response_url=response_url)
        headers = {**slack_builders.sign(body), "Content-Type": "application/x-www-form-urlencoded"}
        out.append((f"{url}/slack/events", headers, body.encode()))
    return out


@dataclass(frozen=True)
class Disturbance:
    """What happens half-way (at ``at`` of each platform's requests): a reload, an outage."""

    reload_at: float | None = None
    outage_at: float | None = None
    outage_seconds: float = 2.0

    def schedule(
        self,
        requests: list[tuple[str, dict[str, str], bytes]],
        server: subprocess.Popen[bytes],
        content: Path | None,
        fakes: tuple[FakeTelegram, FakeSlackApi],
    ) -> Any:
        """``requests`` as an iterator that sets off the disturbances on the way."""
        marks: dict[int, Any] = {}
        if self.reload_at is not None and content is not None:
            marks[int(len(requests) * self.reload_at)] = lambda: reload_server(server, content)
        if self.outage_at is not None:
            marks[int(len(requests) * self.outage_at)] = lambda: outage(fakes, self.outage_seconds)
        for index, request in enumerate(requests):
            if index in marks:
                marks[index]()
            yield request


def reload_server(server: subprocess.Popen[bytes], content: Path) -> None:
    """Change a role file (a comment: a new content version) and send SIGHUP."""
    first = sorted((content / "roles").glob("*.yaml"))[0]
    with first.open("a") as file:
        file.write("\n# changed during the load run\n")
    server.send_signal(signal.SIGHUP)


def outage(fakes: tuple[FakeTelegram, FakeSlackApi], seconds: float) -> None:
    """Both platform APIs answer 502 to everything for ``seconds``."""
    telegram, slack = fakes
    for method in ("sendMessage", "getMe", "setMyCommands", "answerCallbackQuery"):
        telegram.fail(method, 502, times=1_000_000)
    for method in ("auth.test", "chat.postMessage", "chat.update", "users.info"):
        slack.fail(method, status=502, times=1_000_000)

    def recover() -> None:
        telegram.recover()
        slack.recover()

    asyncio.get_running_loop().call_later(seconds, recover)


async def run_load(
    count: int,
    concurrency: int = 50,
    roles: int = 1,
    time_limit: float = 600.0,
    disturbance: Disturbance | None = None,
    python: str = sys.executable,
) -> dict[str, Any]:
    """Drive one server with ``count`` updates per platform; return the figures."""
    telegram, slack = FakeTelegram(TELEGRAM_TOKEN), FakeSlackApi(SLACK_TOKEN)
    disturbance = disturbance or Disturbance()
    with tempfile.TemporaryDirectory() as tmp:
        content = generate_catalog(Path(tmp) / "content", roles) if roles > 1 else None
        if content is None and disturbance.reload_at is not None:
            content = Path(tmp) / "content"  # a copy of the bundled content, to edit
            shutil.copytree(bundled_content_dir(), content)
        async with serve_asgi(telegram.app) as tg_url, serve_asgi(slack.app) as slack_url:
            telegram.url, slack.base = tg_url, slack_url
            env = server_env(tg_url, slack_url, f"sqlite:///{tmp}/load.sqlite3")
            if content is not None:
                env["CAREERBOT_CONTENT_DIR"] = str(content)
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + time_limit
            limits = httpx.Limits(
                max_connections=concurrency, max_keepalive_connections=concurrency
            )
            async with (
                careerbot_serve(env, port, cwd=Path(tmp), python=python) as server,
                httpx.AsyncClient(limits=limits, timeout=30) as client,
            ):
                fakes = (telegram, slack)
                slack_queue = disturbance.schedule(
                    slack_requests(url, count, slack.response_url()), server, content, fakes
                )
                slack_result = await drive(client, slack_queue, concurrency, deadline)
                tg_queue = disturbance.schedule(
                    telegram_requests(url, count), server, content, fakes
                )
                tg_result = await drive_telegram(
                    client, tg_queue, concurrency, deadline, telegram, count=count
                )
                rss = rss_mb(server.pid)
                rss_after = rss_mb(server.pid, "VmRSS")
                page = (await client.get(f"{url}/metrics")).text
    # Counted after the server exited: it finishes every accepted update before it does.
    sent: dict[object, list[str]] = {}
    refused = {id(call) for call in telegram.failed}
    for call in telegram.called("sendMessage"):
        if id(call) in refused:  # the Bot API was down: not delivered
            continue
        sent.setdefault(call.params.get("chat_id"), []).append(str(call.params.get("text")))
    figures = {**slack_result.figures("slack"), **tg_result.figures("telegram")}
    # One chat per update: every chat must get an answer, and no message twice (a long
    # card split into several messages is one answer).
    figures["telegram chats answered"] = len(sent)
    figures["telegram unanswered"] = count - len(sent)
    figures["telegram sends refused by the API"] = len(refused)
    figures["telegram duplicate answers"] = sum(len(t) - len(set(t)) for t in sent.values())
    figures["telegram split answers"] = sum(1 for t in sent.values() if len(t) > 1)
    figures["content reloads ok"] = metric_sum(page, "careerbot_content_reloads_total", "ok")
    figures["platform API errors"] = metric_sum(page, "careerbot_platform_api_errors_total")
    figures["server peak RSS MB"] = rss
    figures["server RSS MB after the run"] = rss_after
    figures["roles"] = roles
    figures["concurrency"] = concurrency
    return figures


def metric_sum(page: str, name: str, label: str = "") -> float:
    """The sum of a metric's samples on a Prometheus page (those whose labels hold ``label``)."""
    wanted = f'"{label}"' if label else ""
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in page.splitlines()
        if line.startswith(name + "{") and wanted in line
    )


async def drive_telegram(
    client: httpx.AsyncClient,
    requests: Iterable[tuple[str, dict[str, str], bytes]],
    concurrency: int,
    deadline: float,
    telegram: FakeTelegram,
    *,
    count: int | None = None,
) -> Result:
    """Like ``drive``, but timed until every update was answered in the fake.

    Most answers ride in the webhook's HTTP answer (the fake runs them as Telegram
    would); some go out as calls (long cards), so the count is taken in the fake.
    Latencies are those of the webhook requests.
    """
    if count is None:
        requests = list(requests)
        count = len(requests)
    already = len(telegram.called("sendMessage"))
    started = time.perf_counter()
    result = await drive(client, requests, concurrency, deadline, telegram)
    # Answers lost in an outage never come: wait for the rest, then at most 30 s more.
    await wait_answers(telegram, already + count, min(deadline, time.monotonic() + 30))
    result.elapsed = time.perf_counter() - started
    return result


async def wait_answers(telegram: FakeTelegram, count: int, deadline: float) -> None:
    """Until ``count`` answers were sent, or ``deadline``; the load's count check then fails.

    Duplicates are counted later, once the server has drained and exited on SIGTERM, so
    no answer still in flight is missed.
    """
    # The fake records calls from its own handlers; polling it keeps the fake simple.
    while len(telegram.called("sendMessage")) < count and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000, help="requests per platform")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument(
        "--roles", type=int, default=0, help="only this catalogue size (default: 1 and 1000)"
    )
    parser.add_argument("--time-limit", type=float, default=900.0)
    parser.add_argument("--reload-at", type=float, metavar="F", help="SIGHUP at this fraction")
    parser.add_argument("--outage-at", type=float, metavar="F", help="APIs fail from here on")
    parser.add_argument("--outage-seconds", type=float, default=2.0)
    parser.add_argument(
        "--server-python",
        default=sys.executable,
        help="the Python that runs `careerbot serve` (another checkout's .venv/bin/python "
        "measures that revision with this driver)",
    )
    args = parser.parse_args()
    # The server runs in a temporary folder: a relative path must not depend on it.
    server_python = os.path.abspath(shutil.which(args.server_python) or args.server_python)
    sizes = [args.roles] if args.roles else [1, 1000]
    disturbance = Disturbance(args.reload_at, args.outage_at, args.outage_seconds)
    runs = {
        size: asyncio.run(
            run_load(
                args.count, args.concurrency, size, args.time_limit, disturbance, server_python
            )
        )
        for size in sizes
    }
    suffix = "".join(
        f"-{name}" for name, on in (("reload", args.reload_at), ("outage", args.outage_at)) if on
    )
    for size, figures in runs.items():
        report(f"load-{size}-roles{suffix}", figures)
    if len(runs) == 2:
        small, large = runs[1], runs[1000]
        report(
            "load-ratio",
            {
                f"{p} req/s 1000 roles / 1 role": large[f"{p} req/s"] / small[f"{p} req/s"]
                for p in ("slack", "telegram")
            },
        )


if __name__ == "__main__":
    main()
