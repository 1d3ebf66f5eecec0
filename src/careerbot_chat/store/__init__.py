"""Persistence behind one ``Store`` contract (``_contract``): SQLite (default) and PostgreSQL.

``open_store(url)`` picks the backend from the URL; PostgreSQL's driver is imported
only when a ``postgresql://`` URL asks for it.
"""

from __future__ import annotations

from urllib.parse import urlparse

from ._contract import DEFAULT_DATABASE_URL, PinnedCard, Store, UsageRow
from ._sqlite import SQLiteStore

__all__ = ["DEFAULT_DATABASE_URL", "PinnedCard", "SQLiteStore", "Store", "UsageRow", "open_store"]


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
