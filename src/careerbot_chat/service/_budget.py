"""Rate budgets held by every replica together, in Redis or PostgreSQL.

A platform's limits are per bot, not per process: Telegram counts about 30 messages
a second and 20 a minute into one group whatever the number of replicas sending
them. A ``SharedLimiter`` keeps such budgets where all replicas see them:

- ``take(rates)`` takes one unit from every ``Rate`` at once, or from none of them,
  and answers how long to wait when it could not (``0.0``: taken);
- ``pause(seconds)`` stops every take for that long (the platform answered "too
  many requests" to one replica: all of them hold off).

The algorithm is GCRA (the generic cell rate algorithm, as in ATM networks and
``redis-cell``): each rate keeps one number, the theoretical arrival time (TAT) of
the next unit, and a take fits when the TAT it would leave is no further ahead of
now than the rate's burst. It is the same leaky bucket the in-process budget keeps,
so one replica and several behave alike; it needs one value per key and no list
of past sends (unlike a sliding-window log), so a take is one small atomic step.
Time is the store's clock (Redis ``TIME``, PostgreSQL ``clock_timestamp()``), never
a replica's: replicas whose clocks disagree still share one budget.

- ``RedisLimiter`` (``CAREERBOT_REDIS_URL``): a Lua script checks and takes every
  key in one atomic call, one round trip. Keys expire once their TAT has passed.
- ``PostgresLimiter`` (the database, when it is PostgreSQL): an UNLOGGED table (a
  budget is seconds of state; it need not survive a crash, and skipping the WAL
  keeps a take from waiting on a disk flush) read and written in one transaction
  under an advisory lock, so takes by all replicas are serial.

``shared_limiter(database_url, redis_url)`` picks one (Redis first) or ``None`` for
SQLite: one replica, whose adapter keeps its budget in process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["PostgresLimiter", "Rate", "RedisLimiter", "SharedLimiter", "shared_limiter"]

_EPSILON = 1e-6  # store clocks in microseconds: a wait this short is no wait


@dataclass(frozen=True, slots=True)
class Rate:
    """``count`` units per ``period`` seconds under ``key``; at most ``count`` at once (≥ 1)."""

    key: str
    count: float
    period: float

    @property
    def interval(self) -> float:
        """Seconds one unit occupies."""
        return self.period / self.count

    @property
    def burst(self) -> float:
        return max(self.count, 1.0)


class SharedLimiter(Protocol):
    """Budgets shared by replicas: take from several rates at once, or pause them all."""

    async def open(self) -> None: ...
    async def close(self) -> None: ...

    async def take(self, rates: Sequence[Rate]) -> float:
        """Take one unit of every rate (0.0), or none and the seconds to wait (> 0)."""
        ...

    async def pause(self, seconds: float) -> None:
        """Make every ``take`` wait ``seconds`` from now (on the store's clock)."""
        ...


def shared_limiter(
    database_url: str, redis_url: str | None, *, namespace: str
) -> SharedLimiter | None:
    """Redis when ``redis_url`` is set, else PostgreSQL when that is the database, else None.

    ``namespace`` keeps one bot's budget apart from another's in the same store.
    """
    if redis_url:
        return RedisLimiter(redis_url, namespace=namespace)
    if database_url.partition("://")[0].lower() in ("postgres", "postgresql"):
        return PostgresLimiter(database_url, namespace=namespace)
    return None


def _gcra(now: float, tats: dict[str, float], paused_until: float, rates: Sequence[Rate]) -> float:
    """The wait before every rate has room (0.0: room now); new TATs into ``tats``."""
    wait = max(0.0, paused_until - now)
    for rate in rates:
        tat = max(tats.get(rate.key, 0.0), now) + rate.interval
        wait = max(wait, tat - now - rate.burst * rate.interval)
        tats[rate.key] = tat
    return wait if wait > _EPSILON else 0.0


_TAKE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local wait = math.max(0, (tonumber(redis.call('GET', KEYS[1])) or 0) - now)
local tats = {}
for i = 2, #KEYS do
  local interval, burst = tonumber(ARGV[2 * i - 3]), tonumber(ARGV[2 * i - 2])
  local tat = math.max(tonumber(redis.call('GET', KEYS[i])) or 0, now) + interval
  tats[i] = tat
  wait = math.max(wait, tat - now - burst * interval)
end
if wait > 0.000001 then return string.format('%.6f', wait) end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], string.format('%.6f', tats[i]),
             'PX', math.ceil((tats[i] - now) * 1000) + 1000)
end
return '0'
"""

_PAUSE_LUA = """
local t = redis.call('TIME')
local untilt = tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[1])
if untilt > (tonumber(redis.call('GET', KEYS[1])) or 0) then
  redis.call('SET', KEYS[1], string.format('%.6f', untilt),
             'PX', math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
end
return 1
"""


class RedisLimiter:
    """Shared budgets in Redis (``redis.asyncio``): one Lua script call per take."""

    def __init__(self, url: str, *, namespace: str) -> None:
        self.url = url
        self.prefix = f"careerbot:budget:{namespace}:"
        self._client: Any = None
        self._take: Any = None
        self._pause: Any = None

    async def open(self) -> None:
        if self._client is not None:
            return
        import redis.asyncio as redis

        self._client = redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=5)
        self._take = self._client.register_script(_TAKE_LUA)
        self._pause = self._client.register_script(_PAUSE_LUA)

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    async def take(self, rates: Sequence[Rate]) -> float:
        await self.open()
        keys = [self.prefix + "pause", *(self.prefix + rate.key for rate in rates)]
        args = [v for rate in rates for v in (repr(rate.interval), repr(rate.burst))]
        return float(await self._take(keys=keys, args=args))

    async def pause(self, seconds: float) -> None:
        await self.open()
        await self._pause(keys=[self.prefix + "pause"], args=[repr(seconds)])


_TABLE = "careerbot_rate_budget"
_CREATE = (
    f"CREATE UNLOGGED TABLE IF NOT EXISTS {_TABLE} "
    "(key TEXT PRIMARY KEY, tat DOUBLE PRECISION NOT NULL)"
)
_READ = (
    f"SELECT extract(epoch FROM clock_timestamp())::float8, key, tat FROM {_TABLE} "  # noqa: S608
    "RIGHT JOIN (SELECT 1) AS one ON key = ANY($1::text[])"
)
_WRITE = (
    f"INSERT INTO {_TABLE} SELECT * FROM unnest($1::text[], $2::float8[]) "  # noqa: S608
    "ON CONFLICT (key) DO UPDATE SET tat = excluded.tat"
)
_FORGET = f"DELETE FROM {_TABLE} WHERE tat < extract(epoch FROM clock_timestamp()) - 60"  # noqa: S608
_FORGET_EVERY = 1000  # takes between two sweeps of keys whose TAT is a minute past


class PostgresLimiter:
    """Shared budgets in PostgreSQL (asyncpg): a transaction under an advisory lock per take."""

    def __init__(self, url: str, *, namespace: str, timeout: float = 5.0) -> None:
        self.url = url
        self.prefix = f"{namespace}:"
        digest = hashlib.blake2b(self.prefix.encode(), digest_size=8).digest()
        self.lock = int.from_bytes(digest, "big", signed=True)
        self.timeout = timeout
        self._pool: Any = None
        self._takes = 0

    async def open(self) -> None:
        if self._pool is not None:
            return
        import asyncpg  # type: ignore[import-untyped]

        pool = await asyncpg.create_pool(
            self.url, min_size=1, max_size=4, timeout=self.timeout, command_timeout=self.timeout
        )
        try:
            async with pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", self.lock)
                await conn.execute(_CREATE)
        except BaseException:
            await pool.close()
            raise
        self._pool = pool

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    async def take(self, rates: Sequence[Rate]) -> float:
        await self.open()
        pause = self.prefix + "pause"
        keys = {self.prefix + rate.key: rate for rate in rates}
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", self.lock)
            rows = await conn.fetch(_READ, [pause, *keys])
            now = rows[0][0]
            stored = {row[1]: row[2] for row in rows if row[1] is not None}
            named = [Rate(key, rate.count, rate.period) for key, rate in keys.items()]
            wait = _gcra(now, stored, stored.get(pause, 0.0), named)
            if wait:
                return wait
            await conn.execute(_WRITE, list(keys), [stored[key] for key in keys])
            self._takes += 1
            if self._takes % _FORGET_EVERY == 0:
                await conn.execute(_FORGET)
        return 0.0

    async def pause(self, seconds: float) -> None:
        await self.open()
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", self.lock)
            await conn.execute(
                f"INSERT INTO {_TABLE} VALUES ($1, extract(epoch FROM clock_timestamp()) + $2) "  # noqa: S608
                "ON CONFLICT (key) DO UPDATE SET tat = greatest(excluded.tat, "
                f"{_TABLE}.tat)",
                self.prefix + "pause",
                seconds,
            )
