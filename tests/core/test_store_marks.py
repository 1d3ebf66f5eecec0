"""A job's mark in the store (the pinned-card refresh: wanted or done, for which content),
on SQLite and PostgreSQL alike, and through the guarded store."""

from __future__ import annotations

from careerbot_chat.store import Store
from careerbot_chat.store._guard import GuardedStore


async def test_a_mark_is_set_read_and_replaced_only_while_it_holds_what_was_read(
    store: Store,
) -> None:
    assert await store.get_mark("refresh-pins") is None
    assert await store.set_mark("refresh-pins", "wanted v1")
    assert await store.get_mark("refresh-pins") == "wanted v1"
    assert await store.set_mark("refresh-pins", "wanted v2")  # a newer content wants it
    # The refresh of v1 ends: its "done" must not hide that v2 is wanted.
    assert not await store.set_mark("refresh-pins", "done v1", replacing="wanted v1")
    assert await store.get_mark("refresh-pins") == "wanted v2"
    assert await store.set_mark("refresh-pins", "done v2", replacing="wanted v2")
    assert await store.get_mark("refresh-pins") == "done v2"
    assert not await store.set_mark("other", "done", replacing="wanted")  # nothing to replace
    assert await store.get_mark("other") is None


async def test_the_guarded_store_passes_marks_through(store: Store) -> None:
    guarded = GuardedStore(store)
    assert await guarded.set_mark("refresh-pins", "wanted v1")
    assert await guarded.set_mark("refresh-pins", "done v1", replacing="wanted v1")
    assert await guarded.get_mark("refresh-pins") == "done v1"
