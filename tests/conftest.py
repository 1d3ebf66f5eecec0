"""Shared fixtures: the bundled catalogue, temporary content folders, stores."""

from __future__ import annotations

import io
import logging
import os
import shutil
import ssl
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from careerbot_chat import (
    Catalog,
    SQLiteStore,
    Store,
    bundled_content_dir,
    load_catalog,
    open_store,
)

# Tests assert no absolute times: a property test may take as long as a busy machine
# needs (Hypothesis's per-example deadline would fail it there, and only there).
settings.register_profile("careerbot", deadline=None)
# In CI the same examples every run (derandomized, no example database): a red build is
# the code's doing, and is red again when re-run. Elsewhere examples vary, so a developer's
# runs keep exploring and keep the failures they find.
settings.register_profile("careerbot-ci", deadline=None, derandomize=True, database=None)
settings.load_profile("careerbot-ci" if os.environ.get("CI") else "careerbot")

# pytest rewrites each test module's asserts on import and caches the result beside it,
# unless bytecode writing is off (PYTHONDONTWRITEBYTECODE, set on this machine and in
# CI): then every xdist worker rewrites every module anew, about 3 s of CPU each. The
# cache is pytest's own (``__pycache__``, ignored by git); subprocesses the tests start
# still see the variable.
sys.dont_write_bytecode = False

FIXTURES = Path(__file__).parent / "fixtures"
REPOSITORY = Path(__file__).resolve().parents[1]
SOURCES_ENV = "CAREERBOT_SOURCES_DIR"
# Configuration a developer may have exported or put in ./.env; the suite sees none of it.
SETTINGS_PREFIXES = ("CAREERBOT_", "TELEGRAM_", "SLACK_")
KEPT_VARIABLES = frozenset({"CAREERBOT_TEST_POSTGRES_URL", SOURCES_ENV, "CAREERBOT_BENCH_SHOW_LOG"})
MLOPS_YAML = bundled_content_dir() / "roles" / "mlops-engineer.yaml"
BASE_POSTGRES_URL = os.environ.get(
    "CAREERBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
"""``gw0``, ``gw1``, … under pytest-xdist; empty in a plain run."""


def _worker_database(url: str, worker: str) -> str:
    """The worker's own database beside ``url``'s (``test`` → ``test_gw0``); ``url`` alone
    when not under xdist. Workers never drop each other's schema mid-test."""
    if not url or not worker:
        return url
    from urllib.parse import urlsplit, urlunsplit

    scheme, netloc, path, query, fragment = urlsplit(url)
    return urlunsplit((scheme, netloc, f"{path.rstrip('/') or '/test'}_{worker}", query, fragment))


POSTGRES_URL = _worker_database(BASE_POSTGRES_URL, XDIST_WORKER)


def isolate(patch: pytest.MonkeyPatch, folder: Path) -> None:
    """Work in ``folder`` with none of the bot's settings in the environment."""
    for name in list(os.environ):
        if name.startswith(SETTINGS_PREFIXES) and name not in KEPT_VARIABLES:
            patch.delenv(name)
    patch.chdir(folder)


@pytest.fixture(scope="session", autouse=True)
def _isolated_from_the_developer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test, fixture and subprocess runs in an empty folder with no bot settings.

    Session-scoped so that it is in place before module- and session-scoped fixtures
    (servers started once per module) read settings or start subprocesses: a ``.env``
    in the folder pytest was started from, or an exported ``TELEGRAM_*``/``SLACK_*``/
    ``CAREERBOT_*`` variable, never changes what a test sees.
    """
    folder = tmp_path_factory.mktemp("cwd")
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, folder)
        yield folder


@pytest.fixture(scope="session", autouse=True)
def _one_tls_context() -> Iterator[None]:
    """Every httpx client in the suite shares one default TLS context.

    httpx builds a fresh ``ssl.SSLContext`` for each client, loading certifi's CA bundle:
    about 65 ms of CPU, and the suite makes hundreds of clients (python-telegram-bot two
    per Application). No test speaks TLS (every server is http://127.0.0.1), and one
    context may serve many clients; clients given their own ``verify`` keep it.
    """
    import httpx
    from httpx._transports import default as transport

    made: dict[tuple[object, ...], ssl.SSLContext] = {}

    def shared(
        verify: ssl.SSLContext | str | bool = True, cert: object = None, trust_env: bool = True
    ) -> ssl.SSLContext:
        if not isinstance(verify, bool) or cert is not None:
            return httpx.create_ssl_context(verify, cert, trust_env)  # type: ignore[arg-type]
        key = (verify, trust_env)
        if key not in made:
            made[key] = httpx.create_ssl_context(verify, None, trust_env)
        return made[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transport, "create_ssl_context", shared)
        yield


def shared_sources() -> list[Path]:
    """Where ``shared/sources/`` may sit: beside the checkout or any folder above it."""
    return [parent / "shared" / "sources" for parent in REPOSITORY.parents]


def source_page(name: str) -> str:
    """The text of the source page ``name``; the test fails, saying where it looked, if absent.

    Source pages live in ``shared/sources/`` beside the repository (found by searching
    upward from the checkout, so a worktree nested deeper finds it too), or in the folder
    ``$CAREERBOT_SOURCES_DIR`` names. A copy of each is kept in ``tests/fixtures/sources/``
    so that a clone checked out anywhere runs the check; the shared folder, where present,
    wins, and ``test_vendored_sources_match_shared`` keeps the copy equal to it.
    """
    override = os.environ.get(SOURCES_ENV)
    folders = [Path(override)] if override else [*shared_sources(), FIXTURES / "sources"]
    for folder in folders:
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    pytest.fail(
        f"source page {name!r} not found in {', '.join(map(str, folders))}: check out the "
        f"shared folder beside the repository (../shared/sources/) or set {SOURCES_ENV}",
        pytrace=False,
    )


@pytest.fixture(scope="session", autouse=True)
def _catalog_cache(
    tmp_path_factory: pytest.TempPathFactory, _isolated_from_the_developer: Path
) -> Iterator[Path]:
    """The CLI's catalogue cache goes to a temporary folder, never the user's own
    (set in the environment, after the isolation, so `careerbot` subprocesses use it too)."""
    folder = tmp_path_factory.mktemp("catalog-cache")
    before = os.environ.get("CAREERBOT_CACHE_DIR")
    os.environ["CAREERBOT_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["CAREERBOT_CACHE_DIR"]
    else:
        os.environ["CAREERBOT_CACHE_DIR"] = before


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


@pytest.fixture
def two_roles(content_dir: Callable[..., Path]) -> Catalog:
    """MLOps Engineer and a Data Engineer with one level (Senior, no years)."""
    folder = content_dir(MLOPS_YAML)
    (folder / "roles" / "data-engineer.yaml").write_text(
        "slug: data-engineer\ntitle: Data Engineer\naliases: [de]\nregion: India\nas_of: 2026\n"
        "summary: Builds data pipelines.\nladder:\n"
        "  - {id: senior, label: Senior, aliases: [sr], min: 30L, max: 50L}\n"
        "sources:\n  - {title: Test, kind: survey, as_of: 2026}\n"
    )
    return load_catalog(folder)


@pytest.fixture
def staff_in_two_roles(content_dir: Callable[..., Path]) -> Catalog:
    """MLOps Engineer and a Data Engineer, both with a Staff band: "and staff?" needs a
    role from context (a card replied to, a thread)."""
    folder = content_dir(MLOPS_YAML)
    (folder / "roles" / "data-engineer.yaml").write_text(
        "slug: data-engineer\ntitle: Data Engineer\nregion: India\nas_of: 2026\n"
        "summary: Builds data pipelines.\nladder:\n"
        "  - {id: senior, label: Senior, min: 30L, max: 50L}\n"
        "  - {id: staff, label: Staff, min: 70L, max: 90L}\n"
        "sources:\n  - {title: Test, kind: survey, as_of: 2026}\n"
    )
    return load_catalog(folder)


async def _postgres_store() -> Store:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_URL, timeout=3)
    try:
        # Every table, whichever migrations created it: a new one needs no edit here.
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()
    return open_store(POSTGRES_URL)


def pytest_configure(config: pytest.Config) -> None:
    """Under xdist, create this worker's PostgreSQL database if the server is there."""
    if POSTGRES_URL != BASE_POSTGRES_URL and _postgres_reachable() is None:
        import asyncio
        from urllib.parse import urlsplit

        asyncio.run(_create_database(BASE_POSTGRES_URL, urlsplit(POSTGRES_URL).path.lstrip("/")))


async def _create_database(url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url, timeout=3)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    except asyncpg.DuplicateDatabaseError:  # another run created it meanwhile
        pass
    finally:
        await conn.close()


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
    from careerbot_chat._registry import secret_shapes
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
    # What production would write: the installed platforms' token shapes (the secrets
    # themselves are not given to it). Applied to the captured text, not the records, so
    # other handlers (caplog) still see exactly what was logged.
    text = RedactSecrets(shapes=secret_shapes()).redact(stream.getvalue())
    leaked = sorted(secret for secret in known_test_secrets() if secret in text)
    assert not leaked, f"secrets reached the log: {leaked}"
