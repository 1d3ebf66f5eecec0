"""Shared limiters for tests: one per "replica", on the test PostgreSQL or Redis.

``limiters(kind, count)`` opens ``count`` limiters on one store under a namespace of
their own (so tests never share a budget), and removes what they left behind.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import pytest

from careerbot_chat.adapter import SharedLimiter
from careerbot_chat.service._budget import PostgresLimiter, RedisLimiter
from tests.conftest import POSTGRES_URL

REDIS_URL = os.environ.get("CAREERBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
KINDS = [
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("redis", id="redis"),
]


def store_url(kind: str) -> str:
    """The store's URL; skips the test when nothing listens there."""
    url = POSTGRES_URL if kind == "postgres" else REDIS_URL
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), 1).close()
    except OSError as exc:
        pytest.skip(f"{kind} at {parts.hostname}:{parts.port} unreachable ({exc})")
    return url


@asynccontextmanager
async def limiters(kind: str, count: int = 2) -> AsyncIterator[list[SharedLimiter]]:
    """``count`` limiters sharing one budget (each its own connections), cleaned up after."""
    url = store_url(kind)
    namespace = f"test-{uuid.uuid4().hex}"
    opened: list[SharedLimiter] = [
        PostgresLimiter(url, namespace=namespace)
        if kind == "postgres"
        else RedisLimiter(url, namespace=namespace)
        for _ in range(count)
    ]
    for limiter in opened:
        await limiter.open()
    try:
        yield opened
    finally:
        for limiter in opened:
            await limiter.close()
        await _forget(kind, url, namespace)


async def _forget(kind: str, url: str, namespace: str) -> None:
    """Delete this namespace's keys or rows (only these: others may be using the store)."""
    if kind == "redis":
        import redis.asyncio as redis

        client = redis.Redis.from_url(url)
        try:
            keys = [key async for key in client.scan_iter(match=f"careerbot:budget:{namespace}:*")]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()
        return
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DELETE FROM careerbot_rate_log WHERE key LIKE $1", f"{namespace}:%")
    finally:
        await conn.close()
