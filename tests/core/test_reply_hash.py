"""The card hash stored with every pinned card: over what members see, canonically."""

from __future__ import annotations

from dataclasses import field, make_dataclass, replace

from careerbot_chat import Action, Bullets, Divider, Fields, Paragraph, Reply

REPLY = Reply(
    "Title",
    (Paragraph("a"), Fields((("k", "v"),)), Bullets(("x", "y"), "T"), Divider(), Bullets(("z",))),
    "foot",
    (Action("L", "/role x"),),
)


def test_hash_is_pinned() -> None:
    """The serialisation does not drift: this card's stored hash stays this value."""
    assert REPLY.content_hash == "2c1cb232a9589b4c"


def test_a_new_defaulted_block_field_changes_no_hash() -> None:
    """A block type that gains a field with a default hashes as before while it is unset."""
    paragraph = make_dataclass(
        "Paragraph",
        [("text", str), ("style", str, field(default="plain"))],
        frozen=True,
        slots=True,
    )
    grown = replace(REPLY, blocks=(paragraph("a"), *REPLY.blocks[1:]))
    assert grown.content_hash == REPLY.content_hash
    styled = replace(REPLY, blocks=(paragraph("a", "bold"), *REPLY.blocks[1:]))
    assert styled.content_hash != REPLY.content_hash


def test_what_members_see_changes_the_hash() -> None:
    """Title, any block's text, the footer and a button each change the hash."""
    changed = [
        replace(REPLY, title="Other"),
        replace(REPLY, blocks=(Paragraph("b"), *REPLY.blocks[1:])),
        replace(REPLY, blocks=(*REPLY.blocks[:2], Bullets(("x", "y"), "U"), *REPLY.blocks[3:])),
        replace(REPLY, footer=None),
        replace(REPLY, actions=(Action("L", "/role y"),)),
    ]
    assert len({REPLY.content_hash, *(reply.content_hash for reply in changed)}) == 6


def test_what_members_do_not_see_changes_no_hash() -> None:
    """The outcome, the command asked and the statistics query are not part of the card."""
    quiet = replace(REPLY, command="role", asked="/role x", query="x", role="x", card="role")
    assert quiet.content_hash == REPLY.content_hash
