"""Shared fixtures: the bundled catalogue, temporary content folders, stores."""

from __future__ import annotations

import io
import logging
import os
import shutil
import sys
from collections.abc import AsyncIterator, Callable, Iterator
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

    from careerbot_chat.store._postgres import PostgresStore

    conn = await asyncpg.connect(POSTGRES_URL, timeout=3)
    try:
        # Every table, whichever migrations created it: a new one needs no edit here.
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
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


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    """A real SQLite store, opened in a temporary folder."""
    opened = SQLiteStore(tmp_path / "db.sqlite3")
    await opened.open()
    yield opened
    await opened.close()


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


SECRET_HOLDERS = {
    "tests.telegram.conftest": ("TOKEN", "SECRET"),
    "tests.slack.builders": ("TOKEN", "SECRET"),
    "bench.load": ("TELEGRAM_TOKEN", "WEBHOOK_SECRET", "SLACK_TOKEN", "SLACK_SECRET"),
    "tests.core.test_settings_logging": ("TOKEN", "SLACK"),
}


def known_test_secrets() -> set[str]:
    """Every fake token and secret the suite uses (from the modules that define them)."""
    found = set()
    for module_name, names in SECRET_HOLDERS.items():
        module = sys.modules.get(module_name)
        for name in names:
            value = getattr(module, name, None)
            if isinstance(value, str) and value:
                found.add(value)
    return found


@pytest.fixture(autouse=True)
def _no_secret_in_logs() -> Iterator[None]:
    """Every test runs with production logging levels; no secret may reach a log line."""
    from careerbot_chat.service._logging import NOISY_LOGGERS, RedactSecrets, quiet_noisy_loggers

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    before = root.level, {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    quiet_noisy_loggers()
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(before[0])
        for name, level in before[1].items():
            logging.getLogger(name).setLevel(level)
    # What production would write: the token-shape patterns of the redaction filter (the
    # secrets themselves are not given to it). Applied to the captured text, not the
    # records, so other handlers (caplog) still see exactly what was logged.
    text = RedactSecrets().redact(stream.getvalue())
    leaked = sorted(secret for secret in known_test_secrets() if secret in text)
    assert not leaked, f"secrets reached the log: {leaked}"
