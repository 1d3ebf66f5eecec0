"""The ``Store`` contract both backends implement, and what they share.

``Store`` is what the bot needs from a database; ``PinnedCard`` and ``UsageRow`` are
its rows. The schema (``MIGRATIONS``) and every statement that reads the same on
SQLite and PostgreSQL live here once, with ``{0}``-style slots for each backend's
placeholders (``?`` or ``$1``). ``SQLiteStore`` (``_sqlite``) and ``PostgresStore``
(``_postgres``) import this module and nothing of each other.

Usage statistics hold counts per day, platform, command, role and outcome — never a
user id.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, fields, replace
from typing import Protocol

__all__ = [
    "ADD_USAGE",
    "CLAIM_UPDATE",
    "DEFAULT_DATABASE_URL",
    "DROP_LEASE",
    "EXPIRY_INDEXES",
    "FORGET_CONTEXTS",
    "FORGET_QUERIES",
    "FORGET_QUERIES_AT_ONCE",
    "FORGET_UPDATES",
    "GET_CHAT_INSTALLATION",
    "GET_CONTEXT",
    "GET_DEFAULT_ROLE",
    "GET_INSTALLATION",
    "GET_MARK",
    "GET_PHOTO",
    "INSTALLATION_KEYS",
    "MIGRATIONS",
    "PIN_COLUMNS",
    "REMOVE_INSTALLATION",
    "REMOVE_INSTALLATION_CHATS",
    "REMOVE_PIN",
    "REPLACE_MARK",
    "SET_CHAT_INSTALLATION",
    "SET_CONTEXT",
    "SET_DEFAULT_ROLE",
    "SET_INSTALLATION",
    "SET_MARK",
    "SET_PHOTO",
    "TAKE_LEASE",
    "USAGE_SINCE",
    "PinnedCard",
    "Store",
    "UsageRow",
    "days_ago",
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
    async def forget_queries(self, before: str) -> None: ...
    async def get_photo(self, platform: str, key: str) -> str | None: ...
    async def set_photo(self, platform: str, key: str, file_id: str) -> None: ...
    async def take_lease(self, name: str, holder: str, ttl: float) -> bool: ...
    async def drop_lease(self, name: str, holder: str) -> None: ...
    async def get_context(self, platform: str, key: str) -> str | None: ...
    async def set_context(self, platform: str, key: str, command: str, ttl: float) -> None: ...
    async def get_installation(self, platform: str, key: str) -> str | None: ...
    async def set_installation(self, platform: str, key: str, data: str) -> None: ...
    async def remove_installation(self, platform: str, key: str) -> None: ...
    async def installation_keys(self, platform: str) -> list[str]: ...
    async def set_chat_installation(self, platform: str, chat_id: str, key: str) -> None: ...
    async def chat_installation(self, platform: str, chat_id: str) -> str | None: ...
    async def get_mark(self, name: str) -> str | None: ...
    async def set_mark(self, name: str, value: str, *, replacing: str | None = None) -> bool:
        """Set ``name`` to ``value``; with ``replacing``, only while it holds that (True: set)."""
        ...


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
    # A platform's installations in workspaces (Slack's Add to Slack): one row per
    # workspace, ``data`` as the adapter wrote it (its tokens encrypted when the
    # operator set a key); every replica reads the same rows. ``installation_chats``:
    # the installation a chat with pinned cards belongs to, for refreshing them.
    """
    CREATE TABLE installations (
        platform TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,
        installed_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (platform, key));
    CREATE TABLE installation_chats (
        platform TEXT NOT NULL, chat_id TEXT NOT NULL, key TEXT NOT NULL,
        PRIMARY KEY (platform, chat_id));
    """,
    # A job's state every replica reads (the pinned-card refresh: wanted or done for
    # which content), so one replica takes over what another left unfinished.
    """
    CREATE TABLE marks (
        name TEXT PRIMARY KEY, value TEXT NOT NULL, set_at DOUBLE PRECISION NOT NULL);
    """,
)
EXPIRY_INDEXES = {
    "processed_updates": "processed_updates_expiry",
    "conversation_context": "conversation_context_expiry",
}
"""The tables pruned by ``expires_at``, and the index each is pruned through."""

FORGET_UPDATES = "DELETE FROM processed_updates WHERE expires_at < {0}"
"""Drop expired delivery claims (also the write a readiness check makes)."""

GET_DEFAULT_ROLE = "SELECT default_role FROM chat_settings WHERE platform = {0} AND chat_id = {1}"
SET_DEFAULT_ROLE = (
    "INSERT INTO chat_settings VALUES ({0}, {1}, {2}, {3}, {4}) ON CONFLICT (platform, chat_id) "
    "DO UPDATE SET default_role = excluded.default_role, set_by = excluded.set_by, "
    "set_at = excluded.set_at"
)
"""A chat's default role: read, and set (or replaced)."""

REMOVE_PIN = "DELETE FROM pinned_cards WHERE platform = {0} AND chat_id = {1} AND message_id = {2}"

CLAIM_UPDATE = (
    "INSERT INTO processed_updates VALUES ({0}, {1}) ON CONFLICT (key) DO UPDATE "
    "SET expires_at = excluded.expires_at WHERE processed_updates.expires_at < {2}"
)
"""Claim a delivery unless an unexpired claim holds it: one row changed means claimed."""

ADD_USAGE = (
    "INSERT INTO usage_daily VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}) ON CONFLICT "
    "(day, platform, command, role, outcome, query) "
    "DO UPDATE SET count = usage_daily.count + excluded.count"
)
USAGE_SINCE = (
    "SELECT day, platform, command, role, outcome, query, count FROM usage_daily "
    "WHERE day >= {0} ORDER BY day"
)
"""Usage counts: added to, and read from a day on."""

FORGET_QUERIES = (
    "INSERT INTO usage_daily "
    "SELECT day, platform, command, role, outcome, '', SUM(count) FROM usage_daily "
    "WHERE day < {0} AND query <> '' GROUP BY day, platform, command, role, outcome "
    "ON CONFLICT (day, platform, command, role, outcome, query) "
    "DO UPDATE SET count = usage_daily.count + excluded.count",
    "DELETE FROM usage_daily WHERE day < {0} AND query <> ''",
)
"""The text of unanswered questions asked before a day, forgotten and its counts kept:
each row with text is added to its row without (same day, platform, command, role and
outcome), then deleted. Two statements for one transaction (SQLite: one writer at a
time, so nothing changes between them)."""
FORGET_QUERIES_AT_ONCE = (
    "WITH forgotten AS (DELETE FROM usage_daily WHERE day < {0} AND query <> '' RETURNING *) "
    "INSERT INTO usage_daily "
    "SELECT day, platform, command, role, outcome, '', SUM(count) FROM forgotten "
    "GROUP BY day, platform, command, role, outcome "
    "ON CONFLICT (day, platform, command, role, outcome, query) "
    "DO UPDATE SET count = usage_daily.count + excluded.count"
)
"""``FORGET_QUERIES`` as one statement (PostgreSQL): it adds exactly the rows it deleted,
so a replica doing the same at once, or a count written meanwhile, is neither lost nor
added twice."""

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

GET_INSTALLATION = "SELECT data FROM installations WHERE platform = {0} AND key = {1}"
SET_INSTALLATION = (
    "INSERT INTO installations VALUES ({0}, {1}, {2}, {3}) ON CONFLICT (platform, key) "
    "DO UPDATE SET data = excluded.data, installed_at = excluded.installed_at"
)
REMOVE_INSTALLATION = "DELETE FROM installations WHERE platform = {0} AND key = {1}"
REMOVE_INSTALLATION_CHATS = "DELETE FROM installation_chats WHERE platform = {0} AND key = {1}"
SET_CHAT_INSTALLATION = (
    "INSERT INTO installation_chats VALUES ({0}, {1}, {2}) ON CONFLICT (platform, chat_id) "
    "DO UPDATE SET key = excluded.key"
)
GET_CHAT_INSTALLATION = "SELECT key FROM installation_chats WHERE platform = {0} AND chat_id = {1}"
INSTALLATION_KEYS = "SELECT key FROM installations WHERE platform = {0} ORDER BY installed_at, key"
"""A platform's installation in one workspace: read, saved (or replaced), removed (with
its chats); every workspace's key; the installation a chat belongs to."""

DROP_LEASE = "DELETE FROM leases WHERE name = {0} AND holder = {1}"

GET_MARK = "SELECT value FROM marks WHERE name = {0}"
SET_MARK = (
    "INSERT INTO marks VALUES ({0}, {1}, {2}) ON CONFLICT (name) "
    "DO UPDATE SET value = excluded.value, set_at = excluded.set_at"
)
REPLACE_MARK = "UPDATE marks SET value = {0}, set_at = {1} WHERE name = {2} AND value = {3}"
"""A job's mark: read, set, and replaced only while it holds what the caller read."""

PIN_COLUMNS = ", ".join(_PIN_FIELDS)  # the table's columns are the dataclass's fields


def today(now: float | None = None) -> str:
    return dt.datetime.fromtimestamp(now or time.time(), dt.UTC).date().isoformat()


def days_ago(days: int, now: float | None = None) -> str:
    moment = dt.datetime.fromtimestamp(now or time.time(), dt.UTC) - dt.timedelta(days=days - 1)
    return moment.date().isoformat()
