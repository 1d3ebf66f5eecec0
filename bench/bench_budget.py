"""What a send's flood-budget ask costs with each store: in process, PostgreSQL, Redis.

``python -m bench.bench_budget``: times ``acquire`` of each budget at Telegram's
limits (30 a second, 20 a minute a group), asked by one "replica" and by two at
once at 25 a second in all, so that every ask is granted at once: the figure is
what the ask itself adds to a send, not the pacing. p50 and p99 in microseconds. ``CAREERBOT_BENCH_POSTGRES_URL`` and
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
ASKS = 250
PER_SECOND = 25
GROUP = -100123


async def timed(budgets: list[FloodBudget], asks: int) -> list[float]:
    """Microseconds per ask, 25 asks a second in all; every other ask into a new group."""
    samples: list[float] = []
    gap = len(budgets) / PER_SECOND

    async def replica(budget: FloodBudget, n: int) -> None:
        for i in range(asks // len(budgets)):
            chat = GROUP - 1000 * n - i if i % 2 else 1000 + n
            start = time.perf_counter()
            await budget.acquire(chat)
            took = time.perf_counter() - start
            samples.append(took * 1e6)
            await asyncio.sleep(max(0.0, gap - took))

    await asyncio.gather(*(replica(b, n) for n, b in enumerate(budgets)))
    return samples


async def measure(name: str, limiters: list[SharedLimiter] | None) -> dict[str, float]:
    figures: dict[str, float] = {}
    for replicas in (1, 2):
        if limiters is None:
            budgets: list[FloodBudget] = [LocalBudget(30, 20) for _ in range(replicas)]
        else:
            budgets = [SharedBudget(lim, 30, 20) for lim in limiters[:replicas]]
        await timed(budgets, 20)  # warm up: connections, scripts, plans
        await asyncio.sleep(1.0)  # the warm-up's second is over
        samples = await timed(budgets, ASKS)
        figures[f"{name} x{replicas} p50 us"] = percentile(samples, 50)
        figures[f"{name} x{replicas} p99 us"] = percentile(samples, 99)
    return figures


async def main() -> None:
    figures = await measure("local", None)
    for name in ("postgres", "redis"):
        namespace = f"bench-{uuid.uuid4().hex}"
        limiters: list[SharedLimiter] = [
            PostgresLimiter(POSTGRES_URL, namespace=namespace)
            if name == "postgres"
            else RedisLimiter(REDIS_URL, namespace=namespace)
            for _ in range(2)
        ]
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
