"""Rate budgets held by every replica together, in Redis or PostgreSQL.

A platform's limits are per bot, not per process: Telegram counts about 30 messages
a second and 20 a minute into one group whatever the number of replicas sending
them. A ``SharedLimiter`` keeps such budgets where all replicas see them:

- ``take(rates)`` takes one unit from every ``Rate`` at once, or from none of them,
  and answers how long to wait when it could not (``0.0``: taken);
- ``pause(seconds)`` stops every take for that long (the platform answered "too
  many requests" to one replica: all of them hold off).

The algorithm is a sliding-window log: each rate keeps the times of its last
``size`` units, and a take fits when the oldest of them left the window. That is
exactly the platforms' rule ("at most 20 in any minute into one group"): a burst of
``size`` goes at once, and no window ever holds more. A token bucket or GCRA of the
same rate lets up to twice that into a window (a full burst, then the refill), which
a strict limiter answers with 429; the log costs at most ``size`` numbers a key
(30 for the bot, 20 a group). Time is the store's clock (Redis ``TIME``, PostgreSQL
``clock_timestamp()``), never a replica's: replicas whose clocks disagree still
share one budget.

- ``RedisLimiter`` (``CAREERBOT_REDIS_URL``): a Lua script checks and takes every
  key (a sorted set of times) in one atomic call, one round trip; keys expire a
  window after their last unit.
- ``PostgresLimiter`` (the database, when it is PostgreSQL): an UNLOGGED table (a
  budget is seconds of state; it need not survive a crash, and skipping the WAL
  keeps a take from waiting on a disk flush) read and written in one transaction
  under an advisory lock, so takes by all replicas are serial.

``shared_limiter(database_url, redis_url)`` picks one (Redis first) or ``None`` for
SQLite: one replica, whose adapter keeps its budget in process.

Member answers come first. Work nobody waits for (refreshing pinned cards) runs
inside ``background_work()``, and a budget asked from there takes only spare room:
``Rate.spare()`` leaves ``ANSWER_SHARE`` of every window to answers (a take fits only
while the window holds fewer than ``size - reserve`` units), so answers on any
replica find room however busy a refresh is; an adapter's budget also holds
background asks while an answer of its own waits.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import math
import time
import uuid
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from cachetools import TTLCache

from ..store._postgres import close_pool, open_pool

__all__ = [
    "ANSWER_SHARE",
    "MemoryLimiter",
    "PostgresLimiter",
    "Rate",
    "RedisLimiter",
    "SharedLimiter",
    "background_work",
    "in_background",
    "shared_limiter",
    "window_wait",
]

_EPSILON = 1e-6  # store clocks in microseconds: a wait this short is no wait


@dataclass(frozen=True, slots=True)
class Rate:
    """``count`` units per ``period`` seconds under ``key``: at most ``size`` in any ``span``.

    For a whole ``count`` that is ``count`` in any ``period``; under one a period
    (half a call a second) it is one in ``period / count`` (one in any two seconds).
    """

    key: str
    count: float
    period: float
    reserve: int = 0
    """Units of every window this take leaves to others: it fits only while the window
    holds fewer than ``size - reserve`` (``spare()``; 0 for answers)."""

    @property
    def size(self) -> int:
        return max(1, int(self.count))

    @property
    def span(self) -> float:
        return self.period * self.size / self.count

    @property
    def limit(self) -> int:
        """Units a window may hold for this take to fit (``size`` less the reserve)."""
        return self.size - self.reserve

    def spare(self, share: float | None = None) -> Rate:
        """This rate as background work takes it: ``share`` of each window (``ANSWER_SHARE``
        unless given) left to answers, but never all of it (a rate of one unit a window
        is taken when free)."""
        share = ANSWER_SHARE if share is None else share
        return replace(self, reserve=min(self.size - 1, math.ceil(self.size * share)))


ANSWER_SHARE = 1 / 3
"""The share of every rate that background work leaves to member answers: with
Telegram's 30 a second, a refresh sends at most 20 a second and answers always find
10 (and 7 of a group's 20 a minute)."""

_BACKGROUND: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "careerbot_background_work", default=False
)


@contextlib.contextmanager
def background_work() -> Iterator[None]:
    """Platform calls made inside are background work: budgets give them spare room only."""
    token = _BACKGROUND.set(True)
    try:
        yield
    finally:
        _BACKGROUND.reset(token)


def in_background() -> bool:
    """Whether the call being made is background work (``background_work()``)."""
    return _BACKGROUND.get()


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


class MemoryLimiter:
    """The windows of the shared stores, kept in this process (one replica): the same
    ``window_wait`` over logs in memory. A key unused for ``keep`` seconds (a whole
    window, at least) is forgotten: its budget is whole again. ``take_now`` is ``take``
    without the await, for a caller on the event loop's thread."""

    def __init__(
        self, *, keep: float, keys: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.clock = clock
        self.logs: TTLCache[str, list[float]] = TTLCache(keys, keep, timer=clock)
        self.paused_until = float("-inf")

    def take_now(self, rates: Sequence[Rate]) -> float:
        return window_wait(self.clock(), self.logs, self.paused_until, rates)

    async def take(self, rates: Sequence[Rate]) -> float:
        return self.take_now(rates)

    async def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.clock() + seconds)

    async def open(self) -> None:
        """Nothing to connect to."""

    async def close(self) -> None:
        """Nothing to disconnect."""


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


def window_wait(
    now: float, logs: MutableMapping[str, list[float]], paused_until: float, rates: Sequence[Rate]
) -> float:
    """The wait before every rate has room (0.0: room now, and ``now`` is logged in each;
    ``logs`` is written only then)."""
    wait = max(0.0, paused_until - now)
    kept: dict[str, list[float]] = {}
    for rate in rates:
        log = [t for t in logs.get(rate.key, ()) if t > now - rate.span][-rate.size :]
        kept[rate.key] = log
        if len(log) >= rate.limit:
            wait = max(wait, log[-rate.limit] + rate.span - now)
    if wait > _EPSILON:
        return wait
    for rate in rates:
        logs[rate.key] = [*kept[rate.key], now][-rate.size :]
    return 0.0


_TAKE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local wait = math.max(0, (tonumber(redis.call('GET', KEYS[1])) or 0) - now)
for i = 2, #KEYS do
  local limit, span = tonumber(ARGV[2 * i - 3]), tonumber(ARGV[2 * i - 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - span)
  local held = redis.call('ZCARD', KEYS[i])
  if held >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], held - limit, held - limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + span - now)
  end
end
if wait > 0.000001 then return string.format('%.6f', wait) end
local unit = ARGV[#ARGV]
for i = 2, #KEYS do
  local span = tonumber(ARGV[2 * i - 2])
  redis.call('ZADD', KEYS[i], now, unit)
  redis.call('PEXPIRE', KEYS[i], math.ceil(span * 1000) + 1000)
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
        self._id = uuid.uuid4().hex
        self._units = 0

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
        args = [v for rate in rates for v in (str(rate.limit), repr(rate.span))]
        self._units += 1
        unit = f"{self._id}:{self._units}"  # one member per unit, unique across replicas
        return float(await self._take(keys=keys, args=[*args, unit]))

    async def pause(self, seconds: float) -> None:
        await self.open()
        await self._pause(keys=[self.prefix + "pause"], args=[repr(seconds)])


_TABLE = "careerbot_rate_log"
_CREATE = (
    f"CREATE UNLOGGED TABLE IF NOT EXISTS {_TABLE} "
    "(key TEXT PRIMARY KEY, sent DOUBLE PRECISION[] NOT NULL)"
)
_READ = (
    f"SELECT extract(epoch FROM clock_timestamp())::float8, key, sent FROM {_TABLE} "  # noqa: S608
    "RIGHT JOIN (SELECT 1) AS one ON key = ANY($1::text[])"
)
_WRITE = (
    f"INSERT INTO {_TABLE} SELECT key, string_to_array(sent, ',')::float8[] "  # noqa: S608
    "FROM unnest($1::text[], $2::text[]) AS u(key, sent) "
    "ON CONFLICT (key) DO UPDATE SET sent = excluded.sent"
)
_FORGET = (
    f"DELETE FROM {_TABLE} WHERE sent[array_upper(sent, 1)] "  # noqa: S608
    "< extract(epoch FROM clock_timestamp()) - 3600"
)
_FORGET_EVERY = 1000  # takes between two sweeps of keys unused for an hour


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
        pool = await open_pool(self.url, max_size=4, seconds=self.timeout)
        try:
            async with pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", self.lock)
                await conn.execute(_CREATE)
        except BaseException:
            await close_pool(pool)
            raise
        self._pool = pool

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await close_pool(pool)

    async def take(self, rates: Sequence[Rate]) -> float:
        await self.open()
        pause = self.prefix + "pause"
        keys = {self.prefix + rate.key: rate for rate in rates}
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", self.lock)
            rows = await conn.fetch(_READ, [pause, *keys])
            now = rows[0][0]
            stored = {row[1]: list(row[2]) for row in rows if row[1] is not None}
            named = [replace(rate, key=key) for key, rate in keys.items()]
            wait = window_wait(now, stored, max(stored.get(pause, [0.0])), named)
            if wait:
                return wait
            logs = [",".join(repr(t) for t in stored[key]) for key in keys]
            await conn.execute(_WRITE, list(keys), logs)
            self._takes += 1
            if self._takes % _FORGET_EVERY == 0:
                await conn.execute(_FORGET)
        return 0.0

    async def pause(self, seconds: float) -> None:
        await self.open()
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", self.lock)
            await conn.execute(
                f"INSERT INTO {_TABLE} VALUES ($1, "  # noqa: S608
                "ARRAY[extract(epoch FROM clock_timestamp()) + $2]) ON CONFLICT (key) DO UPDATE "
                f"SET sent = ARRAY[greatest(excluded.sent[1], {_TABLE}.sent[1])]",
                self.prefix + "pause",
                seconds,
            )
