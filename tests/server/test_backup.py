"""deploy/backup.sh: a backup of a store in use restores to the same rows (docs/operations.md)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from careerbot_chat import PinnedCard, SQLiteStore, Store
from tests.conftest import POSTGRES_URL, _postgres_reachable, _postgres_store

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "backup.sh"


async def fill(store: Store) -> None:
    """A pin, a default role and a delivery claim: rows in three tables."""
    await store.open()
    try:
        pin = PinnedCard("slack", "C1", "1.2", "mlops-engineer", "role", "h", "U1", time.time())
        await store.save_pin(pin)
        await store.set_default_role("slack", "C1", "mlops-engineer", "U1")
        assert await store.claim_update("slack:Ev1", ttl=60)
    finally:
        await store.close()


def backup_sh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(SCRIPT), *args], capture_output=True, text=True, timeout=120, check=False
    )


async def test_sqlite_backup_restores_every_row(tmp_path: Path) -> None:
    """`backup.sh check` on SQLite: backed up, restored, every table's rows match."""
    db = tmp_path / "careerbot.sqlite3"
    await fill(SQLiteStore(str(db)))
    done = backup_sh("check", f"sqlite:///{db}")
    assert done.returncode == 0, done.stderr
    assert "3 rows in 7 tables match" in done.stdout
    copy = tmp_path / "restored.sqlite3"
    assert backup_sh("backup", f"sqlite:///{db}", str(tmp_path / "b")).returncode == 0
    assert backup_sh("restore", str(tmp_path / "b"), f"sqlite:///{copy}").returncode == 0
    pins = await _pins(SQLiteStore(str(copy)))
    assert [pin.message_id for pin in pins] == ["1.2"]
    refused = backup_sh("restore", str(tmp_path / "b"), f"sqlite:///{copy}")
    assert refused.returncode == 1
    assert "not empty" in refused.stderr


async def _pins(store: Store) -> list[PinnedCard]:
    await store.open()
    try:
        return list(await store.pins())
    finally:
        await store.close()


@pytest.mark.postgres
async def test_postgres_backup_restores_every_row() -> None:
    """`backup.sh check` on PostgreSQL: a scratch database restored from the dump
    matches, and is dropped again; the URL (with its password) is never printed."""
    reason = _postgres_reachable()
    if reason is not None:
        pytest.skip(reason)
    await fill(await _postgres_store())
    done = backup_sh("check", POSTGRES_URL)
    assert done.returncode == 0, done.stderr
    assert "3 rows in 7 tables match" in done.stdout
    assert POSTGRES_URL not in done.stdout + done.stderr
