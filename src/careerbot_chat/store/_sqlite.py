"""``SQLiteStore``: the ``Store`` contract (``_contract``) on one SQLite file, the default.

The schema is created on first use and versioned: each entry of ``MIGRATIONS`` runs
once, in order, recorded in ``schema_version``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from pathlib import Path
from typing import Any

from .._errors import StoreError, StoreUnavailable
from ._contract import (
    ADD_USAGE,
    CLAIM_UPDATE,
    DROP_LEASE,
    FORGET_CONTEXTS,
    FORGET_QUERIES,
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

__all__ = ["SQLiteStore"]


class SQLiteStore:
    """The default store: one SQLite file (or ``:memory:``), via aiosqlite."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._db: object | None = None

    @property
    def _conn(self):  # type: ignore[no-untyped-def]  # aiosqlite.Connection, imported lazily
        if self._db is None:
            raise StoreUnavailable("the store is not open")
        return self._db

    async def open(self) -> None:
        import aiosqlite

        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = await aiosqlite.connect(self.path, timeout=5)
            await self._conn.execute("PRAGMA journal_mode=WAL")
            await self._conn.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, fewer fsyncs
            await self._migrate()
        except sqlite3.Error as exc:
            await self.close()
            raise StoreUnavailable(f"cannot open {self.path}: {exc}") from exc

    async def _migrate(self) -> None:
        db = self._conn
        await db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        async with db.execute("SELECT MAX(version) FROM schema_version") as cursor:
            row = await cursor.fetchone()
        current = row[0] or 0
        for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
            await db.executescript(
                f"BEGIN; {script}; INSERT INTO schema_version VALUES ({version}); COMMIT;"  # noqa: S608 - our own constants
            )

    async def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()  # type: ignore[attr-defined]

    async def _write(self, sql: str, *params: object) -> int:
        try:
            cursor = await self._conn.execute(sql, params)
            await self._conn.commit()
        except sqlite3.Error as exc:
            await self._rollback()
            raise _sqlite_error(exc) from exc
        return int(cursor.rowcount)

    async def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # nothing more to undo
            await self._conn.rollback()

    async def _read(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        try:
            async with self._conn.execute(sql, params) as cursor:
                return list(await cursor.fetchall())
        except sqlite3.Error as exc:
            raise _sqlite_error(exc) from exc

    async def ping(self) -> None:
        await self._read("SELECT 1")
        # A read-only file still answers reads; readiness needs writes too.
        await self._write(FORGET_UPDATES.format("?"), time.time())

    async def get_default_role(self, platform: str, chat_id: str) -> str | None:
        rows = await self._read(GET_DEFAULT_ROLE.format("?", "?"), platform, chat_id)
        return str(rows[0][0]) if rows else None

    async def set_default_role(self, platform: str, chat_id: str, role: str, by: str) -> None:
        await self._write(
            SET_DEFAULT_ROLE.format("?", "?", "?", "?", "?"),
            platform,
            chat_id,
            role,
            by,
            time.time(),
        )

    async def save_pin(self, pin: PinnedCard) -> None:
        await self._write(
            f"INSERT OR REPLACE INTO pinned_cards ({PIN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",  # noqa: S608
            *pin.row(),
        )

    async def remove_pin(self, platform: str, chat_id: str, message_id: str) -> None:
        await self._write(REMOVE_PIN.format("?", "?", "?"), platform, chat_id, message_id)

    async def pins(
        self, platform: str | None = None, chat_id: str | None = None
    ) -> list[PinnedCard]:
        rows = await self._read(
            f"SELECT {PIN_COLUMNS} FROM pinned_cards WHERE (? IS NULL OR platform = ?) "  # noqa: S608
            "AND (? IS NULL OR chat_id = ?) ORDER BY pinned_at, message_id",
            platform,
            platform,
            chat_id,
            chat_id,
        )
        return [_pin(row) for row in rows]

    async def claim_update(self, key: str, ttl: float) -> bool:
        now = time.time()
        claimed = await self._write(CLAIM_UPDATE.format("?", "?", "?"), key, now + ttl, now)
        return claimed == 1

    async def add_usage(self, rows: list[UsageRow]) -> None:
        if not rows:
            return
        try:
            await self._conn.executemany(
                ADD_USAGE.format(*"???????"),
                [(r.day, r.platform, r.command, r.role, r.outcome, r.query, r.count) for r in rows],
            )
            await self._conn.commit()
        except sqlite3.Error as exc:
            await self._rollback()
            raise _sqlite_error(exc) from exc

    async def usage(self, since: str) -> list[UsageRow]:
        rows = await self._read(USAGE_SINCE.format("?"), since)
        return [_usage(row) for row in rows]

    async def forget_queries(self, before: str) -> None:
        """Blank the text of unanswered questions asked before the day ``before``; their
        counts are added to the same day's rows without text.

        One script, so one transaction that no other call on this connection (a usage
        flush) can step into between its two statements; a script takes no parameters,
        so the day goes in as the literal ``date.fromisoformat`` accepted.
        """
        day = dt.date.fromisoformat(before).isoformat()
        merge, delete = (statement.format(f"'{day}'") for statement in FORGET_QUERIES)
        try:
            await self._conn.executescript(f"BEGIN IMMEDIATE; {merge}; {delete}; COMMIT;")
        except sqlite3.Error as exc:
            await self._rollback()
            raise _sqlite_error(exc) from exc

    async def get_photo(self, platform: str, key: str) -> str | None:
        rows = await self._read(GET_PHOTO.format("?", "?"), platform, key)
        return str(rows[0][0]) if rows else None

    async def set_photo(self, platform: str, key: str, file_id: str) -> None:
        await self._write(SET_PHOTO.format("?", "?", "?", "?"), platform, key, file_id, time.time())

    async def take_lease(self, name: str, holder: str, ttl: float) -> bool:
        """Hold ``name`` for ``ttl`` seconds unless someone else holds it; True if taken."""
        now = time.time()
        taken = await self._write(
            TAKE_LEASE.format("?", "?", "?", "?"), name, holder, now + ttl, now
        )
        return taken == 1

    async def drop_lease(self, name: str, holder: str) -> None:
        await self._write(DROP_LEASE.format("?", "?"), name, holder)

    async def get_mark(self, name: str) -> str | None:
        rows = await self._read(GET_MARK.format("?"), name)
        return str(rows[0][0]) if rows else None

    async def set_mark(self, name: str, value: str, *, replacing: str | None = None) -> bool:
        if replacing is None:
            return await self._write(SET_MARK.format("?", "?", "?"), name, value, time.time()) == 1
        sql = REPLACE_MARK.format("?", "?", "?", "?")
        return await self._write(sql, value, time.time(), name, replacing) == 1

    async def get_context(self, platform: str, key: str) -> str | None:
        rows = await self._read(GET_CONTEXT.format("?", "?", "?"), platform, key, time.time())
        return str(rows[0][0]) if rows else None

    async def set_context(self, platform: str, key: str, command: str, ttl: float) -> None:
        now = time.time()
        await self._write(FORGET_CONTEXTS.format("?"), now)
        await self._write(SET_CONTEXT.format("?", "?", "?", "?"), platform, key, command, now + ttl)

    async def get_installation(self, platform: str, key: str) -> str | None:
        rows = await self._read(GET_INSTALLATION.format("?", "?"), platform, key)
        return str(rows[0][0]) if rows else None

    async def set_installation(self, platform: str, key: str, data: str) -> None:
        sql = SET_INSTALLATION.format("?", "?", "?", "?")
        await self._write(sql, platform, key, data, time.time())

    async def remove_installation(self, platform: str, key: str) -> None:
        await self._write(REMOVE_INSTALLATION_CHATS.format("?", "?"), platform, key)
        await self._write(REMOVE_INSTALLATION.format("?", "?"), platform, key)

    async def installation_keys(self, platform: str) -> list[str]:
        return [str(row[0]) for row in await self._read(INSTALLATION_KEYS.format("?"), platform)]

    async def set_chat_installation(self, platform: str, chat_id: str, key: str) -> None:
        await self._write(SET_CHAT_INSTALLATION.format("?", "?", "?"), platform, chat_id, key)

    async def chat_installation(self, platform: str, chat_id: str) -> str | None:
        rows = await self._read(GET_CHAT_INSTALLATION.format("?", "?"), platform, chat_id)
        return str(rows[0][0]) if rows else None


def _pin(row: tuple[Any, ...]) -> PinnedCard:
    platform, chat_id, message_id, role, card, content_hash, pinned_by = map(str, row[:7])
    return PinnedCard(
        platform,
        chat_id,
        message_id,
        role,
        card,
        content_hash,
        pinned_by,
        pinned_at=float(row[7]),
        status=str(row[8]),
        last_error=None if row[9] is None else str(row[9]),
    )


def _usage(row: tuple[Any, ...]) -> UsageRow:
    day, platform, command, role, outcome, query = map(str, row[:6])
    return UsageRow(day, platform, command, role, outcome, query, int(row[6]))


def _sqlite_error(exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if "readonly" in text or "unable to open" in text or "disk I/O" in text or "locked" in text:
        return StoreUnavailable(text)
    return StoreError(text)
