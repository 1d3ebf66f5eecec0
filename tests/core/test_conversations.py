"""A conversation's context: from the store (any replica), from memory when it is down."""

from __future__ import annotations

import pytest

from careerbot_chat import SQLiteStore, StoreUnavailable
from careerbot_chat.service._conversations import Conversations


class DownStore:
    """A store whose every call fails as an unreachable database does."""

    async def get_context(self, platform: str, key: str) -> str | None:
        raise StoreUnavailable("database unreachable")

    async def set_context(self, platform: str, key: str, command: str, ttl: float) -> None:
        raise StoreUnavailable("database unreachable")


async def test_another_replica_reads_what_one_remembered(sqlite_store: SQLiteStore) -> None:
    one, two = Conversations(sqlite_store), Conversations(sqlite_store)
    await one.remember("slack", "C1:1.0", "/salary senior mlops")
    assert await two.recall("slack", "C1:1.0") == "/salary senior mlops"
    await two.remember("slack", "C1:1.0", "/salary staff mlops")
    assert await one.recall("slack", "C1:1.0") == "/salary staff mlops"  # not its own memory


async def test_with_the_store_down_this_replica_still_remembers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    conversations = Conversations(DownStore())  # type: ignore[arg-type]  # the two calls used
    await conversations.remember("slack", "C1:1.0", "/salary senior mlops")
    assert await conversations.recall("slack", "C1:1.0") == "/salary senior mlops"
    assert await conversations.recall("slack", "C1:2.0") is None
    assert all("database unreachable" in r.getMessage() for r in caplog.records)
    assert len(caplog.records) == 3  # one warning per failed call, no traceback
    assert not any(r.exc_info for r in caplog.records)
