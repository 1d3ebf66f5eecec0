"""What a send's flood-budget ask costs with each store: in process, PostgreSQL, Redis.

``python -m bench.bench_budget``: times ``acquire`` of each budget a few thousand
times, one after another and from two "replicas" at once, with limits high enough
that no ask waits (the figure is the ask itself, not the pacing), and reports p50
and p99 in microseconds. ``CAREERBOT_BENCH_POSTGRES_URL`` and
``CAREERBOT_BENCH_REDIS_URL`` name the stores (a store that cannot be reached is
left out).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid

from bench._harness import percentile, report
from careerbot_chat.adapter import SharedLimiter
from careerbot_chat.service._budget import PostgresLimiter, RedisLimiter
from careerbot_telegram import FloodBudget, LocalBudget, SharedBudget

POSTGRES_URL = os.environ.get(
    "CAREERBOT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("CAREERBOT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
ASKS = 3000
GROUP = -100123


async def timed(budgets: list[FloodBudget], asks: int) -> list[float]:
    """Microseconds per ask; the budgets ask at once, half of the asks into a group."""
    samples: list[float] = []

    async def replica(budget: FloodBudget, n: int) -> None:
        for i in range(asks // len(budgets)):
            chat = GROUP - (i % 50) if i % 2 else 1000 + n
            start = time.perf_counter()
            await budget.acquire(chat)
            samples.append((time.perf_counter() - start) * 1e6)

    await asyncio.gather(*(replica(b, n) for n, b in enumerate(budgets)))
    return samples


async def measure(name: str, limiters: list[SharedLimiter] | None) -> dict[str, float]:
    figures: dict[str, float] = {}
    for replicas in (1, 2):
        if limiters is None:
            budgets: list[FloodBudget] = [LocalBudget(1e6, 1e6) for _ in range(replicas)]
        else:
            budgets = [SharedBudget(lim, 1e6, 1e6) for lim in limiters[:replicas]]
        await timed(budgets, 200)  # warm up: connections, scripts, plans
        samples = await timed(budgets, ASKS)
        figures[f"{name} x{replicas} p50 us"] = percentile(samples, 50)
        figures[f"{name} x{replicas} p99 us"] = percentile(samples, 99)
    return figures


async def main() -> None:
    figures = await measure("local", None)
    namespace = f"bench-{uuid.uuid4().hex}"
    for name, make in (
        ("postgres", lambda: PostgresLimiter(POSTGRES_URL, namespace=namespace)),
        ("redis", lambda: RedisLimiter(REDIS_URL, namespace=namespace)),
    ):
        limiters: list[SharedLimiter] = [make(), make()]
        try:
            for limiter in limiters:
                await limiter.open()
            figures |= await measure(name, limiters)
        except OSError as exc:
            print(f"{name}: left out ({exc})")
        finally:
            for limiter in limiters:
                await limiter.close()
    report("budget", figures)


if __name__ == "__main__":
    asyncio.run(main())
