"""/setrole with two roles in the catalogue: the chat's default role answers role-less commands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from careerbot_chat import CareerBot, SQLiteStore, bundled_content_dir, load_catalog, messages
from tests.fakes.telegram_api import BOT_ID, FakeTelegram
from tests.telegram.builders import ADMIN_ID, GROUP_ID, MEMBER_ID, group_update
from tests.telegram.html_check import visible_text

Process = Callable[[dict[str, Any]], Awaitable[None]]


@pytest.fixture
def careerbot(tmp_path: Path, sqlite_store: SQLiteStore) -> CareerBot:
    """Two roles (MLOps Engineer and a Data Engineer copy), so no role is implied."""
    source = (bundled_content_dir() / "roles" / "mlops-engineer.yaml").read_text()
    roles = tmp_path / "content" / "roles"
    roles.mkdir(parents=True)
    (roles / "mlops-engineer.yaml").write_text(source)
    variant = (
        source.replace("slug: mlops-engineer", "slug: data-engineer")
        .replace("title: MLOps Engineer\n", "title: Data Engineer\n")
        .replace(
            "aliases: [mlops, ml ops, mlops engineers, machine learning ops, machine learning operations engineer]",
            "aliases: [data eng]",
        )
    )
    (roles / "data-engineer.yaml").write_text(variant)
    catalog = load_catalog(roles.parent)
    assert len(catalog) == 2
    return CareerBot(catalog, sqlite_store)


def last_text(fake: FakeTelegram) -> str:
    return visible_text(fake.called("sendMessage")[-1].params["text"])


async def test_setrole_then_salary_senior_uses_the_default(
    fake: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """Before /setrole, /salary senior spans roles; after it, the chat's role answers alone."""
    fake.set_member(GROUP_ID, ADMIN_ID, "administrator")
    await process(group_update("/salary senior"))
    assert last_text(fake).startswith(messages.LEVEL_ACROSS_TITLE.format(level="Senior"))
    await process(group_update("/setrole mlops", sender_id=ADMIN_ID))
    assert last_text(fake) == messages.DEFAULT_ROLE_SET.format(role="MLOps Engineer")
    assert await sqlite_store.get_default_role("telegram", str(GROUP_ID)) == "mlops-engineer"
    await process(group_update("/salary senior"))
    assert last_text(fake).startswith("MLOps Engineer · Senior pay")


async def test_setrole_by_a_member_changes_nothing(
    fake: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """A plain member's /setrole is refused and the chat keeps no default."""
    await process(group_update("/setrole mlops", sender_id=MEMBER_ID))
    assert last_text(fake) == messages.MODERATORS_ONLY.format(name="setrole")
    assert await sqlite_store.get_default_role("telegram", str(GROUP_ID)) is None


async def test_pin_without_role_uses_the_default(
    fake: FakeTelegram, process: Process, sqlite_store: SQLiteStore
) -> None:
    """/pin with no role pins the chat's default role card."""
    fake.set_member(GROUP_ID, ADMIN_ID, "administrator", can_pin_messages=True)
    fake.set_member(GROUP_ID, BOT_ID, "administrator", can_pin_messages=True)
    await process(group_update("/setrole data eng", sender_id=ADMIN_ID))
    await process(group_update("/pin", sender_id=ADMIN_ID))
    (record,) = await sqlite_store.pins("telegram", str(GROUP_ID))
    assert record.role == "data-engineer"
