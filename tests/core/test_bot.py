"""CareerBot: defaults from the store, the moderator flow, buttons, usage statistics."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from careerbot_chat import (
    CareerBot,
    Catalog,
    Chat,
    Inbound,
    Outcome,
    PermissionMissing,
    PlatformError,
    Reply,
    SQLiteStore,
    StoreUnavailable,
    messages,
    render_plain,
)

GROUP = Chat("telegram", "g1", is_group=True)
PRIVATE = Chat("telegram", "p1", is_group=False)


@dataclass
class FakeModeration:
    """Platform powers under test control; records what the core asked for."""

    admins: set[str] = field(default_factory=lambda: {"admin"})
    can_pin: bool = True
    fail_pin: PlatformError | None = None
    posted: list[Reply] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    unpinned: list[str] = field(default_factory=list)

    async def is_moderator(self, chat: Chat, user_id: str, *, pinning: bool) -> bool:
        return user_id in self.admins

    async def check_pin_rights(self, chat: Chat) -> None:
        if not self.can_pin:
            raise PermissionMissing(
                "cannot pin", method="getChatMember", reason="pin", hint="Grant me Pin messages."
            )

    async def post_card(self, chat: Chat, reply: Reply) -> str:
        self.posted.append(reply)
        return f"msg{len(self.posted)}"

    async def pin(self, chat: Chat, message_id: str) -> None:
        if self.fail_pin is not None:
            raise self.fail_pin
        self.pinned.append(message_id)

    async def unpin(self, chat: Chat, message_id: str) -> None:
        self.unpinned.append(message_id)


@pytest.fixture
def bot(catalog: Catalog, sqlite_store: SQLiteStore) -> CareerBot:
    return CareerBot(catalog, sqlite_store)


async def say(
    bot: CareerBot,
    text: str,
    chat: Chat = GROUP,
    user: str = "admin",
    mod: FakeModeration | None = None,
) -> Reply:
    reply = await bot.handle(Inbound(text, chat, user), mod or FakeModeration())
    assert reply is not None
    return reply


async def test_pin_posts_pins_and_records(bot: CareerBot) -> None:
    """/pin by an admin: the card is posted, pinned and recorded with its hash."""
    mod = FakeModeration()
    reply = await say(bot, "/pin mlops", mod=mod)
    assert reply.outcome is Outcome.ANSWERED
    assert "Pinned" in reply.title
    assert mod.pinned == ["msg1"]
    assert mod.posted[0].card == "role"
    assert bot.store is not None
    (record,) = await bot.store.pins("telegram", "g1")
    assert (record.message_id, record.role, record.pinned_by) == ("msg1", "mlops-engineer", "admin")
    assert record.content_hash == mod.posted[0].content_hash


async def test_member_is_refused(bot: CareerBot) -> None:
    """A member who is not an admin gets a polite refusal and nothing happens."""
    mod = FakeModeration()
    reply = await say(bot, "/pin mlops", user="member", mod=mod)
    assert reply.outcome is Outcome.REFUSED
    assert "only this chat's admins" in reply.title
    assert mod.posted == []
    assert await bot.store.pins() == []


async def test_moderator_commands_in_private_chat(bot: CareerBot) -> None:
    """In a private chat moderator commands explain they are for groups."""
    reply = await say(bot, "/setrole mlops", chat=PRIVATE)
    assert reply.outcome is Outcome.REFUSED
    assert "for groups" in reply.title


async def test_bot_without_pin_right_records_nothing(bot: CareerBot) -> None:
    """The bot lacks the pin right: told which right to grant; nothing posted or recorded."""
    mod = FakeModeration(can_pin=False)
    reply = await say(bot, "/pin", mod=mod)
    assert reply.outcome is Outcome.REFUSED
    assert "Pin messages" in reply.title
    assert mod.posted == []
    assert await bot.store.pins() == []


async def test_failed_pin_keeps_earlier_records(bot: CareerBot) -> None:
    """A platform error while pinning is reported; no record claims that pin, and the
    chat's earlier pin and default role are kept."""
    assert bot.store is not None
    mod = FakeModeration()
    await say(bot, "/setrole mlops", mod=mod)
    await say(bot, "/pin", mod=mod)
    earlier = await bot.store.pins()
    assert len(earlier) == 1
    mod.fail_pin = PlatformError("boom", method="pinChatMessage", reason="500")
    reply = await say(bot, "/pin mlops", mod=mod)
    assert reply.outcome is Outcome.ERROR
    assert "couldn't pin" in reply.title
    assert await bot.store.pins() == earlier
    assert await bot.store.get_default_role("telegram", "g1") == "mlops-engineer"


async def test_unpin_latest(bot: CareerBot) -> None:
    """/unpin unpins the bot's latest card and forgets it."""
    mod = FakeModeration()
    await say(bot, "/pin", mod=mod)
    reply = await say(bot, "/unpin", mod=mod)
    assert "Unpinned" in reply.title
    assert mod.unpinned == ["msg1"]
    assert await bot.store.pins() == []  # type: ignore[union-attr]
    again = await say(bot, "/unpin", mod=mod)
    assert again.outcome is Outcome.NOT_FOUND


async def test_setrole_then_default_used(catalog: Catalog, tmp_path: Path) -> None:
    """After /setrole, role-less commands in that chat use the default role, also while
    the store cannot be read."""
    from tests.conftest import MLOPS_YAML

    folder = tmp_path / "content" / "roles"
    folder.mkdir(parents=True)
    (folder / "mlops-engineer.yaml").write_text(MLOPS_YAML.read_text())
    (folder / "sre.yaml").write_text(
        "slug: sre\ntitle: Site Reliability Engineer\nregion: India\nas_of: 2026\n"
        "summary: Keeps systems up.\nsources:\n  - {title: T, kind: survey, as_of: 2026}\n"
    )
    from careerbot_chat import load_catalog

    store = SQLiteStore(tmp_path / "s.sqlite3")
    await store.open()
    try:
        bot = CareerBot(load_catalog(tmp_path / "content"), store)
        before = await say(bot, "/salary senior")
        assert before.card is None  # across roles
        set_reply = await say(bot, "/setrole mlops")
        assert "default role is now MLOps Engineer" in set_reply.title
        after = await say(bot, "/salary senior", user="member")
        assert after.card == "salary:senior"
        elsewhere = await say(bot, "/salary senior", chat=Chat("telegram", "g2", True))
        assert elsewhere.card is None
        bot.defaults.ttl = 0.0  # every answer asks the store again
        await store.close()  # the store goes away: the default role this bot set is kept
        during = await say(bot, "/salary senior", user="member")
        assert during.card == "salary:senior"
    finally:
        await store.close()


async def test_store_down_still_answers(bot: CareerBot) -> None:
    """With the store closed, member commands answer; moderator writes report failure."""
    assert bot.store is not None
    await bot.store.close()
    assert (await say(bot, "/salary senior", user="member")).outcome is Outcome.ANSWERED
    reply = await say(bot, "/setrole mlops")
    assert reply.outcome is Outcome.ERROR
    assert "couldn't save" in reply.title


async def test_button_for_removed_role_is_out_of_date(bot: CareerBot) -> None:
    """A button naming a role that no longer exists answers "out of date"."""
    stale = await bot.press(Inbound("/salary senior data-scientist", GROUP, "member"))
    assert "out of date" in stale.title
    fresh = await bot.press(Inbound("/salary senior mlops-engineer", GROUP, "member"))
    assert fresh.card == "salary:senior"
    forged = await bot.press(Inbound("/setrole mlops-engineer", GROUP, "member"), FakeModeration())
    assert "out of date" in forged.title


async def test_pin_button_checks_moderator(bot: CareerBot) -> None:
    """Pressing a moderator's Pin button as a member is refused."""
    reply = await bot.press(Inbound("/pin mlops-engineer", GROUP, "member"), FakeModeration())
    assert reply.outcome is Outcome.REFUSED


async def test_first_delivery(bot: CareerBot) -> None:
    """The same update key is processed once."""
    assert await bot.first_delivery("telegram", "42")
    assert not await bot.first_delivery("telegram", "42")


async def test_stats_counts_roles_commands_gaps(bot: CareerBot) -> None:
    """/stats: most asked roles and commands, and what found nothing."""
    for text in ("/role mlops", "/salary senior", "/role astronaut", "/role astronaut"):
        await say(bot, text, user="member")
    text = render_plain(await say(bot, "/stats"))
    assert "MLOps Engineer: 2 in 7 days, 2 in 30" in text
    assert "/role: 3 in 7 days, 3 in 30" in text
    assert "“astronaut”: 2 in 7 days, 2 in 30" in text


async def test_usage_kept_when_store_fails(bot: CareerBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counts that could not be written are kept for the next flush."""
    await say(bot, "/role mlops", user="member")

    async def down(rows: object) -> None:
        raise StoreUnavailable("down")

    assert bot.store is not None
    monkeypatch.setattr(bot.store, "add_usage", down)
    await bot.flush_usage()
    monkeypatch.undo()
    await bot.flush_usage()
    rows = await bot.store.usage("2000-01-01")
    assert sum(r.count for r in rows) == 1


async def test_handler_failure_becomes_apology(
    bot: CareerBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error inside answering is logged and answered with an apology."""
    import careerbot_chat.service._bot as bot_module

    def broken(*args: object) -> Reply:
        raise RuntimeError("bug")

    monkeypatch.setattr(bot_module, "answer", broken)
    reply = await say(bot, "/role", user="member")
    assert reply.outcome is Outcome.ERROR
    assert "Sorry" in reply.title


async def test_missing_right_without_the_adapters_words_is_still_explained(
    bot: CareerBot,
) -> None:
    """A PermissionMissing that carries no hint is told in the core's own words, not a trace."""
    mod = FakeModeration(fail_pin=PermissionMissing("pins.add: x", method="pins.add", reason="x"))
    reply = await say(bot, "/pin", mod=mod)
    assert reply.outcome is Outcome.REFUSED
    assert reply.title == messages.NO_RIGHT.format(reason="x")
    assert await bot.store.pins() == []  # type: ignore[union-attr]


async def test_each_answer_is_logged_once(bot: CareerBot, caplog: pytest.LogCaptureFixture) -> None:
    """Each answer makes one request log record, at once, with its fields."""
    caplog.set_level(logging.INFO, logger="careerbot.requests")
    before = time.time()
    reply = await say(bot, "/salary senior mlops")
    after = time.time()
    assert reply.outcome is Outcome.ANSWERED
    (record,) = caplog.records
    assert record.getMessage().startswith("telegram /salary answered ")
    fields = {name: getattr(record, name) for name in ("platform", "command", "outcome")}
    assert fields == {"platform": "telegram", "command": "salary", "outcome": "answered"}
    assert record.latency_ms >= 0
    assert before <= record.created <= after


async def test_usage_is_counted_under_the_utc_day_it_happened(
    bot: CareerBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answers a second apart across midnight UTC are counted on their own days."""
    from types import SimpleNamespace

    from careerbot_chat.service import _usage

    clock = [dt.datetime(2026, 11, 26, 23, 59, 59, tzinfo=dt.UTC).timestamp()]
    monkeypatch.setattr(_usage, "time", SimpleNamespace(time=lambda: clock[0]))
    await say(bot, "/role mlops")
    clock[0] += 1
    await say(bot, "/role mlops")
    await say(bot, "/role mlops")
    days = sorted((key[0], count) for key, count in bot.usage._pending.items())
    assert days == [("2026-11-26", 1), ("2026-11-27", 2)]
