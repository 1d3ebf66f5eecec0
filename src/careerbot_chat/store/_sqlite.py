"""The store: chat default roles, pinned cards, processed updates, usage, uploaded photos.

``Store`` is the contract; ``SQLiteStore`` (default, one file) and ``PostgresStore``
(several replicas, see ``_store_pg``) implement it, and one set of contract tests
runs against both. The schema is created on first use and versioned: each entry of
``MIGRATIONS`` runs once, in order, recorded in ``schema_version``.

Usage statistics hold counts per day, platform, command, role and outcome — never a
user id.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from .._errors import StoreError, StoreUnavailable

__all__ = [
    "DEFAULT_DATABASE_URL",
    "EXPIRY_INDEXES",
    "FORGET_CONTEXTS",
    "GET_CONTEXT",
    "GET_PHOTO",
    "MIGRATIONS",
    "PIN_COLUMNS",
    "SET_CONTEXT",
    "SET_PHOTO",
    "PinnedCard",
    "SQLiteStore",
    "Store",
    "UsageRow",
    "days_ago",
    "open_store",
    "today",
]

DEFAULT_DATABASE_URL = "sqlite:///careerbot.sqlite3"


@dataclass(frozen=True, slots=True)
class PinnedCard:
    """A card the bot posted and pinned, so it can be refreshed or unpinned later."""

    platform: str
    chat_id: str
    message_id: str
    role: str
    card: str
    content_hash: str
    pinned_by: str
    pinned_at: float
    status: str = "current"
    """``current``, ``failed`` (refresh to retry) or ``stale`` (role removed)."""
    last_error: str | None = None

    def updated(self, **changes: object) -> PinnedCard:
        return replace(self, **changes)  # type: ignore[arg-type]

    def row(self) -> tuple[object, ...]:
        """The values in ``PIN_COLUMNS`` order, for an INSERT."""
        return tuple(getattr(self, name) for name in _PIN_FIELDS)


_PIN_FIELDS = tuple(field.name for field in fields(PinnedCard))


@dataclass(frozen=True, slots=True)
class UsageRow:
    day: str
    platform: str
    command: str
    role: str
    outcome: str
    query: str
    count: int


class Store(Protocol):
    """What the bot needs from a database. Every method may raise ``StoreError``."""

    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def ping(self) -> None: ...
    async def get_default_role(self, platform: str, chat_id: str) -> str | None: ...
    async def set_default_role(self, platform: str, chat_id: str, role: str, by: str) -> None: ...
    async def save_pin(self, pin: PinnedCard) -> None: ...
    async def remove_pin(self, platform: str, chat_id: str, message_id: str) -> None: ...
    async def pins(
        self, platform: str | None = None, chat_id: str | None = None
    ) -> list[PinnedCard]: ...
    async def claim_update(self, key: str, ttl: float) -> bool: ...
    async def add_usage(self, rows: list[UsageRow]) -> None: ...
    async def usage(self, since: str) -> list[UsageRow]: ...
    async def get_photo(self, platform: str, key: str) -> str | None: ...
    async def set_photo(self, platform: str, key: str, file_id: str) -> None: ...
    async def take_lease(self, name: str, holder: str, ttl: float) -> bool: ...
    async def drop_lease(self, name: str, holder: str) -> None: ...
    async def get_context(self, platform: str, key: str) -> str | None: ...
    async def set_context(self, platform: str, key: str, command: str, ttl: float) -> None: ...


MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE chat_settings (
        platform TEXT NOT NULL, chat_id TEXT NOT NULL, default_role TEXT NOT NULL,
        set_by TEXT NOT NULL, set_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (platform, chat_id));
    CREATE TABLE pinned_cards (
        platform TEXT NOT NULL, chat_id TEXT NOT NULL, message_id TEXT NOT NULL,
        role TEXT NOT NULL, card TEXT NOT NULL, content_hash TEXT NOT NULL,
        pinned_by TEXT NOT NULL, pinned_at DOUBLE PRECISION NOT NULL,
        status TEXT NOT NULL DEFAULT 'current', last_error TEXT,
        PRIMARY KEY (platform, chat_id, message_id));
    CREATE TABLE processed_updates (
        key TEXT PRIMARY KEY, expires_at DOUBLE PRECISION NOT NULL);
    CREATE TABLE usage_daily (
        day TEXT NOT NULL, platform TEXT NOT NULL, command TEXT NOT NULL,
        role TEXT NOT NULL, outcome TEXT NOT NULL, query TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, platform, command, role, outcome, query));
    """,
    # Pictures a platform already holds (Telegram's file_id of an uploaded chart),
    # by chart name, so each chart version is uploaded once.
    """
    CREATE TABLE uploaded_photos (
        platform TEXT NOT NULL, key TEXT NOT NULL, file_id TEXT NOT NULL,
        uploaded_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (platform, key));
    """,
    # A lease lets one replica of several do a job (refreshing pinned cards): held
    # by ``holder`` until ``expires_at``, then free for anyone.
    """
    CREATE TABLE leases (
        name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at DOUBLE PRECISION NOT NULL);
    """,
    # The command of the last card answered in a conversation (a Slack thread), so a
    # follow-up there is read against it on whichever replica it lands.
    """
    CREATE TABLE conversation_context (
        platform TEXT NOT NULL, key TEXT NOT NULL, command TEXT NOT NULL,
        expires_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (platform, key));
    """,
    # Expired rows are deleted by time: on every readiness check (processed updates,
    # kept a day each, one per Telegram update) and every remembered thread. Without
    # an index each delete read the whole table.
    """
    CREATE INDEX processed_updates_expiry ON processed_updates (expires_at);
    CREATE INDEX conversation_context_expiry ON conversation_context (expires_at);
    """,
)
EXPIRY_INDEXES = {
    "processed_updates": "processed_updates_expiry",
    "conversation_context": "conversation_context_expiry",
}
"""The tables pruned by ``expires_at``, and the index each is pruned through."""

TAKE_LEASE = (
    "INSERT INTO leases VALUES ({0}, {1}, {2}) ON CONFLICT (name) DO UPDATE "
    "SET holder = excluded.holder, expires_at = excluded.expires_at "
    "WHERE leases.expires_at < {3} OR leases.holder = excluded.holder"
)
"""Take (or renew) a lease unless another holder's is still running; placeholders differ."""

GET_PHOTO = "SELECT file_id FROM uploaded_photos WHERE platform = {0} AND key = {1}"
SET_PHOTO = (
    "INSERT INTO uploaded_photos VALUES ({0}, {1}, {2}, {3}) ON CONFLICT (platform, key) "
    "DO UPDATE SET file_id = excluded.file_id, uploaded_at = excluded.uploaded_at"
)
"""A chart's uploaded file id: read, and set (or replaced on re-upload)."""

GET_CONTEXT = (
    "SELECT command FROM conversation_context "
    "WHERE platform = {0} AND key = {1} AND expires_at >= {2}"
)
SET_CONTEXT = (
    "INSERT INTO conversation_context VALUES ({0}, {1}, {2}, {3}) ON CONFLICT (platform, key) "
    "DO UPDATE SET command = excluded.command, expires_at = excluded.expires_at"
)
FORGET_CONTEXTS = "DELETE FROM conversation_context WHERE expires_at < {0}"
"""A conversation's context: read if unexpired, set, and the expired ones dropped."""

PIN_COLUMNS = ", ".join(_PIN_FIELDS)  # the table's columns are the dataclass's fields


def today(now: float | None = None) -> str:
    return dt.datetime.fromtimestamp(now or time.time(), dt.UTC).date().isoformat()


def days_ago(days: int, now: float | None = None) -> str:
    moment = dt.datetime.fromtimestamp(now or time.time(), dt.UTC) - dt.timedelta(days=days - 1)
    return moment.date().isoformat()


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
        await self._write("DELETE FROM processed_updates WHERE expires_at < ?", time.time())

    async def get_default_role(self, platform: str, chat_id: str) -> str | None:
        rows = await self._read(
            "SELECT default_role FROM chat_settings WHERE platform = ? AND chat_id = ?",
            platform,
            chat_id,
        )
        return str(rows[0][0]) if rows else None

    async def set_default_role(self, platform: str, chat_id: str, role: str, by: str) -> None:
        await self._write(
            "INSERT INTO chat_settings VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, chat_id) "
            "DO UPDATE SET default_role = excluded.default_role, set_by = excluded.set_by, "
            "set_at = excluded.set_at",
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
        await self._write(
            "DELETE FROM pinned_cards WHERE platform = ? AND chat_id = ? AND message_id = ?",
            platform,
            chat_id,
            message_id,
        )

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
        claimed = await self._write(
            "INSERT INTO processed_updates VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
            "SET expires_at = excluded.expires_at WHERE processed_updates.expires_at < ?",
            key,
            now + ttl,
            now,
        )
        return claimed == 1

    async def add_usage(self, rows: list[UsageRow]) -> None:
        if not rows:
            return
        try:
            await self._conn.executemany(
                "INSERT INTO usage_daily VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                "(day, platform, command, role, outcome, query) "
                "DO UPDATE SET count = count + excluded.count",
                [(r.day, r.platform, r.command, r.role, r.outcome, r.query, r.count) for r in rows],
            )
            await self._conn.commit()
        except sqlite3.Error as exc:
            await self._rollback()
            raise _sqlite_error(exc) from exc

    async def usage(self, since: str) -> list[UsageRow]:
        rows = await self._read(
            "SELECT day, platform, command, role, outcome, query, count FROM usage_daily "
            "WHERE day >= ? ORDER BY day",
            since,
        )
        return [_usage(row) for row in rows]

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
        await self._write("DELETE FROM leases WHERE name = ? AND holder = ?", name, holder)

    async def get_context(self, platform: str, key: str) -> str | None:
        rows = await self._read(GET_CONTEXT.format("?", "?", "?"), platform, key, time.time())
        return str(rows[0][0]) if rows else None

    async def set_context(self, platform: str, key: str, command: str, ttl: float) -> None:
        now = time.time()
        await self._write(FORGET_CONTEXTS.format("?"), now)
        await self._write(SET_CONTEXT.format("?", "?", "?", "?"), platform, key, command, now + ttl)


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


def open_store(url: str | None) -> Store:
    """A store for ``url``: ``sqlite:///path``, ``sqlite:///:memory:``, ``postgresql://...``."""
    url = url or DEFAULT_DATABASE_URL
    scheme = urlparse(url).scheme
    if scheme in ("postgres", "postgresql"):
        from ._postgres import PostgresStore

        return PostgresStore(url)
    if scheme == "sqlite":
        path = url.removeprefix("sqlite://")
        path = path[1:] if path.startswith("/") else path
        return SQLiteStore(path or ":memory:")
    raise ValueError(
        f"CAREERBOT_DATABASE_URL must start with sqlite:// or postgresql://, not {scheme or url!r}"
    )
