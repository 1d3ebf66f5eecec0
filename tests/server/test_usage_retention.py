"""`careerbot serve` forgets the text of old unanswered questions when it starts."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from careerbot_chat import SQLiteStore
from careerbot_chat.store._contract import UsageRow, days_ago
from tests.server.conftest import start_stack

pytestmark = pytest.mark.slow


async def queries(path: Path) -> dict[tuple[str, str], int]:
    store = SQLiteStore(path)
    await store.open()
    try:
        return {(row.day, row.query): row.count for row in await store.usage(days_ago(60))}
    finally:
        await store.close()


async def test_serve_forgets_old_question_text_at_start(tmp_path: Path) -> None:
    """With CAREERBOT_UNANSWERED_RETENTION_DAYS=30, a question asked 40 days ago loses its
    text (its count kept) once the server has started; one asked 2 days ago keeps it."""
    old, recent = days_ago(40), days_ago(2)
    store = SQLiteStore(tmp_path / "db.sqlite3")
    await store.open()
    await store.add_usage(
        [
            UsageRow(old, "telegram", "role", "", "not_found", "astronaut", 3),
            UsageRow(recent, "telegram", "role", "", "not_found", "welder", 2),
        ]
    )
    await store.close()
    async with start_stack(tmp_path, CAREERBOT_UNANSWERED_RETENTION_DAYS="30"):
        deadline = time.monotonic() + 10
        while (old, "astronaut") in await queries(tmp_path / "db.sqlite3"):
            assert time.monotonic() < deadline, "the old text was never forgotten"
            await asyncio.sleep(0.05)
        assert await queries(tmp_path / "db.sqlite3") == {(old, ""): 3, (recent, "welder"): 2}
