"""``PostgresStore``: the ``Store`` contract on PostgreSQL (asyncpg), for several replicas.

Same tables and migrations as SQLite. Migrations run under an advisory lock so two
replicas starting together do not race.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from .._errors import StoreError, StoreUnavailable
from ._contract import (
    ADD_USAGE,
    CLAIM_UPDATE,
    DROP_LEASE,
    FORGET_CONTEXTS,
    FORGET_QUERIES_AT_ONCE,
    FORGET_UPDATES,
    GET_CHAT_INSTALLATION,
    GET_CONTEXT,
    GET_DEFAULT_ROLE,
    GET_INSTALLATION,
    GET_MARK,
    GET_PHOTO,
    INSTALLATION_KEYS,
    MIGRATIONS,
    PIN_COLUMNS,
    REMOVE_INSTALLATION,
    REMOVE_INSTALLATION_CHATS,
    REMOVE_PIN,
    REPLACE_MARK,
    SET_CHAT_INSTALLATION,
    SET_CONTEXT,
    SET_DEFAULT_ROLE,
    SET_INSTALLATION,
    SET_MARK,
    SET_PHOTO,
    TAKE_LEASE,
    USAGE_SINCE,
    PinnedCard,
    UsageRow,
)

__all__ = ["PostgresStore", "close_pool", "open_pool"]

log = logging.getLogger("careerbot.store")

_MIGRATION_LOCK = 7_245_001


async def open_pool(url: str, *, max_size: int, seconds: float) -> Any:
    """An asyncpg pool that keeps no floor of connections: asyncpg would otherwise
    reconnect in the background while PostgreSQL is away, logging a traceback each
    time; the guard in front of the store already decides when to try again."""
    import asyncpg  # type: ignore[import-untyped]

    _quiet_lost_releases(asyncio.get_running_loop())
    return await asyncpg.create_pool(
        url, min_size=0, max_size=max_size, timeout=seconds, command_timeout=seconds
    )


CLOSE_SECONDS = 1.0
"""How long closing a pool may wait for PostgreSQL to say goodbye."""


async def close_pool(pool: Any, seconds: float = CLOSE_SECONDS) -> None:
    """Close ``pool`` gracefully within ``seconds``, else drop its connections:
    a PostgreSQL that accepts and never answers must not hold the process's exit."""
    try:
        async with asyncio.timeout(seconds):
            await pool.close()
    except (TimeoutError, OSError) as exc:
        log.warning(
            "PostgreSQL did not close within %g s (%s); dropping its connections",
            seconds,
            type(exc).__name__,
        )
        pool.terminate()


def _quiet_lost_releases(loop: asyncio.AbstractEventLoop) -> None:
    """One line, not a traceback, for asyncpg's release of a connection that PostgreSQL
    lost (or that was dropped on shutdown) after the call using it timed out.

    asyncpg releases a connection in a shielded task; when the caller's deadline has
    passed, nobody awaits that task, and asyncio reports its error through the loop's
    exception handler ("Task exception was never retrieved") with a traceback. This
    handler takes those reports, for asyncpg's release tasks only, and passes every
    other one on to the handler before it.
    """
    previous = loop.get_exception_handler()
    if getattr(previous, "quiets_lost_releases", False):
        return

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        task, error = context.get("future"), context.get("exception")
        coroutine = task.get_coro() if isinstance(task, asyncio.Task) else None
        name = getattr(coroutine, "__qualname__", "")
        if error is not None and name.startswith("PoolConnectionHolder.release"):
            log.warning("PostgreSQL connection lost while being released: %s", error)
        elif previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    handler.quiets_lost_releases = True  # type: ignore[attr-defined]
    loop.set_exception_handler(handler)


class PostgresStore:
    def __init__(self, url: str, *, timeout: float = 5.0) -> None:
        self.url = url
        self.timeout = timeout
        self._pool: Any = None

    async def open(self) -> None:
        try:
            self._pool = await open_pool(self.url, max_size=10, seconds=self.timeout)
            async with self._pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
                )
                current = await conn.fetchval("SELECT MAX(version) FROM schema_version") or 0
                for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
                    await conn.execute(script)
                    await conn.execute("INSERT INTO schema_version VALUES ($1)", version)
        except (OSError, TimeoutError) as exc:
            await self.close()
            raise StoreUnavailable(f"cannot reach PostgreSQL: {exc}") from exc
        except Exception as exc:
            await self.close()
            raise _pg_error(exc) from exc

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await close_pool(pool)

    async def _run(self, method: str, sql: str, *params: object) -> Any:
        if self._pool is None:
            raise StoreUnavailable("the store is not open")
        try:
            return await getattr(self._pool, method)(sql, *params)
        except (OSError, TimeoutError) as exc:
            raise StoreUnavailable(f"PostgreSQL unreachable: {exc}") from exc
        except Exception as exc:
            raise _pg_error(exc) from exc

    async def ping(self) -> None:
        await self._run("execute", FORGET_UPDATES.format("$1"), time.time())

    async def get_default_role(self, platform: str, chat_id: str) -> str | None:
        sql = GET_DEFAULT_ROLE.format("$1", "$2")
        value = await self._run("fetchval", sql, platform, chat_id)
        return None if value is None else str(value)

    async def set_default_role(self, platform: str, chat_id: str, role: str, by: str) -> None:
        await self._run(
            "execute",
            SET_DEFAULT_ROLE.format("$1", "$2", "$3", "$4", "$5"),
            platform,
            chat_id,
            role,
            by,
            time.time(),
        )

    async def save_pin(self, pin: PinnedCard) -> None:
        await self._run(
            "execute",
            f"INSERT INTO pinned_cards ({PIN_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) "  # noqa: S608
            "ON CONFLICT (platform, chat_id, message_id) DO UPDATE SET role = excluded.role, "
            "card = excluded.card, content_hash = excluded.content_hash, "
            "pinned_by = excluded.pinned_by, pinned_at = excluded.pinned_at, "
            "status = excluded.status, last_error = excluded.last_error",
            *pin.row(),
        )

    async def remove_pin(self, platform: str, chat_id: str, message_id: str) -> None:
        sql = REMOVE_PIN.format("$1", "$2", "$3")
        await self._run("execute", sql, platform, chat_id, message_id)

    async def pins(
        self, platform: str | None = None, chat_id: str | None = None
    ) -> list[PinnedCard]:
        rows = await self._run(
            "fetch",
            f"SELECT {PIN_COLUMNS} FROM pinned_cards WHERE ($1::text IS NULL OR platform = $1) "  # noqa: S608
            "AND ($2::text IS NULL OR chat_id = $2) ORDER BY pinned_at, message_id",
            platform,
            chat_id,
        )
        return [PinnedCard(*row) for row in rows]

    async def claim_update(self, key: str, ttl: float) -> bool:
        now = time.time()
        sql = CLAIM_UPDATE.format("$1", "$2", "$3")
        status = await self._run("execute", sql, key, now + ttl, now)
        return str(status).endswith(" 1")

    async def add_usage(self, rows: list[UsageRow]) -> None:
        if not rows:
            return
        if self._pool is None:
            raise StoreUnavailable("the store is not open")
        try:
            await self._pool.executemany(
                ADD_USAGE.format(*(f"${n}" for n in range(1, 8))),
                [(r.day, r.platform, r.command, r.role, r.outcome, r.query, r.count) for r in rows],
            )
        except (OSError, TimeoutError) as exc:
            raise StoreUnavailable(f"PostgreSQL unreachable: {exc}") from exc
        except Exception as exc:
            raise _pg_error(exc) from exc

    async def usage(self, since: str) -> list[UsageRow]:
        rows = await self._run("fetch", USAGE_SINCE.format("$1"), since)
        return [UsageRow(*row) for row in rows]

    async def forget_queries(self, before: str) -> None:
        """Blank the text of unanswered questions asked before the day ``before``; their
        counts are added to the same day's rows without text (one statement)."""
        await self._run("execute", FORGET_QUERIES_AT_ONCE.format("$1"), before)

    async def get_photo(self, platform: str, key: str) -> str | None:
        value = await self._run("fetchval", GET_PHOTO.format("$1", "$2"), platform, key)
        return None if value is None else str(value)

    async def set_photo(self, platform: str, key: str, file_id: str) -> None:
        sql = SET_PHOTO.format("$1", "$2", "$3", "$4")
        await self._run("execute", sql, platform, key, file_id, time.time())

    async def take_lease(self, name: str, holder: str, ttl: float) -> bool:
        """Hold ``name`` for ``ttl`` seconds unless someone else holds it; True if taken."""
        now = time.time()
        status = await self._run(
            "execute", TAKE_LEASE.format("$1", "$2", "$3", "$4"), name, holder, now + ttl, now
        )
        return str(status).endswith(" 1")

    async def drop_lease(self, name: str, holder: str) -> None:
        await self._run("execute", DROP_LEASE.format("$1", "$2"), name, holder)

    async def get_mark(self, name: str) -> str | None:
        value = await self._run("fetchval", GET_MARK.format("$1"), name)
        return None if value is None else str(value)

    async def set_mark(self, name: str, value: str, *, replacing: str | None = None) -> bool:
        if replacing is None:
            sql = SET_MARK.format("$1", "$2", "$3")
            status = await self._run("execute", sql, name, value, time.time())
        else:
            sql = REPLACE_MARK.format("$1", "$2", "$3", "$4")
            status = await self._run("execute", sql, value, time.time(), name, replacing)
        return str(status).endswith(" 1")

    async def get_context(self, platform: str, key: str) -> str | None:
        sql = GET_CONTEXT.format("$1", "$2", "$3")
        value = await self._run("fetchval", sql, platform, key, time.time())
        return None if value is None else str(value)

    async def set_context(self, platform: str, key: str, command: str, ttl: float) -> None:
        now = time.time()
        await self._run("execute", FORGET_CONTEXTS.format("$1"), now)
        sql = SET_CONTEXT.format("$1", "$2", "$3", "$4")
        await self._run("execute", sql, platform, key, command, now + ttl)

    async def get_installation(self, platform: str, key: str) -> str | None:
        sql = GET_INSTALLATION.format("$1", "$2")
        value = await self._run("fetchval", sql, platform, key)
        return None if value is None else str(value)

    async def set_installation(self, platform: str, key: str, data: str) -> None:
        sql = SET_INSTALLATION.format("$1", "$2", "$3", "$4")
        await self._run("execute", sql, platform, key, data, time.time())

    async def remove_installation(self, platform: str, key: str) -> None:
        await self._run("execute", REMOVE_INSTALLATION_CHATS.format("$1", "$2"), platform, key)
        await self._run("execute", REMOVE_INSTALLATION.format("$1", "$2"), platform, key)

    async def installation_keys(self, platform: str) -> list[str]:
        rows = await self._run("fetch", INSTALLATION_KEYS.format("$1"), platform)
        return [str(row[0]) for row in rows]

    async def set_chat_installation(self, platform: str, chat_id: str, key: str) -> None:
        sql = SET_CHAT_INSTALLATION.format("$1", "$2", "$3")
        await self._run("execute", sql, platform, chat_id, key)

    async def chat_installation(self, platform: str, chat_id: str) -> str | None:
        sql = GET_CHAT_INSTALLATION.format("$1", "$2")
        value = await self._run("fetchval", sql, platform, chat_id)
        return None if value is None else str(value)


def _pg_error(exc: Exception) -> StoreError:
    import asyncpg

    if isinstance(
        exc,
        asyncpg.exceptions.CannotConnectNowError
        | asyncpg.InterfaceError
        | asyncpg.exceptions.ConnectionDoesNotExistError,
    ):
        return StoreUnavailable(str(exc))
    return StoreError(f"{type(exc).__name__}: {exc}")
