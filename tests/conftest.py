"""Shared fixtures: the bundled catalogue, temporary content folders, stores."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from careerbot_chat import Catalog, SQLiteStore, Store, bundled_content_dir, load_catalog

FIXTURES = Path(__file__).parent / "fixtures"
MLOPS_YAML = bundled_content_dir() / "roles" / "mlops-engineer.yaml"
POSTGRES_URL = os.environ.get(
    "CAREERBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled catalogue (MLOps Engineer only)."""
    return load_catalog()


@pytest.fixture
def content_dir(tmp_path: Path) -> Callable[..., Path]:
    """Make a content folder holding copies of the given role files."""

    def make(*files: Path) -> Path:
        roles = tmp_path / "content" / "roles"
        roles.mkdir(parents=True, exist_ok=True)
        for file in files:
            shutil.copy(file, roles / file.name)
        return tmp_path / "content"

    return make


async def _postgres_store() -> Store:
    import asyncpg

    from careerbot_chat._store_pg import PostgresStore

    conn = await asyncpg.connect(POSTGRES_URL, timeout=3)
    try:
        await conn.execute(
            "DROP TABLE IF EXISTS chat_settings, pinned_cards, processed_updates, "
            "usage_daily, schema_version"
        )
    finally:
        await conn.close()
    return PostgresStore(POSTGRES_URL)


def _postgres_reachable() -> str | None:
    if not POSTGRES_URL:
        return "CAREERBOT_TEST_POSTGRES_URL is not set"
    import socket
    from urllib.parse import urlparse

    url = urlparse(POSTGRES_URL)
    try:
        socket.create_connection((url.hostname or "127.0.0.1", url.port or 5432), timeout=1).close()
    except OSError as exc:
        return f"PostgreSQL at {url.hostname}:{url.port or 5432} unreachable ({exc})"
    return None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """Every store implementation, opened on an empty database."""
    if request.param == "sqlite":
        opened: Store = SQLiteStore(tmp_path / "store.sqlite3")
    else:
        reason = _postgres_reachable()
        if reason is not None:
            pytest.skip(reason)
        opened = await _postgres_store()
    await opened.open()
    yield opened
    await opened.close()
