"""``Reply``: a platform-neutral answer that every renderer turns into its own format.

A reply is a title, a sequence of blocks (paragraphs, label → value fields, bullet
lists, dividers), a footer naming the source and its date, and actions — buttons
that run another command. Text in a reply is plain: no markup. Renderers escape it
for their platform and add emphasis from the structure (titles, labels).
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import MISSING, dataclass, field, fields

__all__ = [
    "Action",
    "Block",
    "Bullets",
    "Divider",
    "Fields",
    "Outcome",
    "Paragraph",
    "Picture",
    "Reply",
    "canonical",
    "label_ends_sentence",
    "label_separator",
]


class Outcome(enum.Enum):
    """How a command ended; used for metrics and logs."""

    ANSWERED = "answered"
    NOT_FOUND = "not_found"
    REFUSED = "refused"
    ERROR = "error"
    STALE = "stale"
    """A button on a card whose role is no longer in the catalogue."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text (each renderer escapes it)."""

    text: str


@dataclass(frozen=True, slots=True)
class Fields:
    """Label → value pairs; a label that is a question (``Can I …?``) takes no colon."""

    items: tuple[tuple[str, str], ...]


def label_ends_sentence(label: str) -> bool:
    """A label ending in ``?`` or ``:`` is followed by its value without another colon."""
    return label.endswith(("?", ":"))


def label_separator(label: str) -> str:
    """What goes between a label and its value in running text: ``": "`` or ``" "``."""
    return " " if label_ends_sentence(label) else ": "


@dataclass(frozen=True, slots=True)
class Bullets:
    """A bulleted list, one item per line, under an optional title."""

    items: tuple[str, ...]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Divider:
    """A rule between two parts of a card."""


Block = Paragraph | Fields | Bullets | Divider


@dataclass(frozen=True, slots=True)
class Action:
    """A button: ``label`` shown, ``command`` run (canonical text, ≤ 64 bytes)."""

    label: str
    command: str


@dataclass(frozen=True, slots=True)
class Picture:
    """A chart that goes with a reply: its file name (``<role>-<version>``) and alt text.

    Renderers decide how to show it: Slack as an image block, Telegram as a "Chart"
    button that sends the photo, plain text not at all (the reply says it in words).
    """

    key: str
    alt: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer. ``card`` names the pinnable card kind (``role``, ``salary`` ...)."""

    title: str
    blocks: tuple[Block, ...] = ()
    footer: str | None = None
    actions: tuple[Action, ...] = ()
    outcome: Outcome = Outcome.ANSWERED
    command: str = ""
    role: str | None = None
    card: str | None = None
    picture: Picture | None = None
    query: str = field(default="", compare=False)
    """What was looked up, for the content-gap statistics (capped, never shown)."""
    asked: str = ""
    """The canonical command this reply answers (``/faq mlops backend``), role included
    when it came from the chat's default; Share and follow-ups repeat exactly this."""
    memory: str = field(default="", compare=False)
    """What the conversation remembers after this answer (``Memory.dumps``), for the
    store; empty when the answer was given without a conversation's memory."""

    @property
    def content_hash(self) -> str:
        """Changes exactly when what a reader sees changes; stored with pinned cards.

        A hash of the canonical JSON of the title, blocks, footer and buttons (sorted
        keys, fields left at their default omitted), so a new defaulted field on a
        block type, or a reordering of fields, changes no stored hash and edits no
        pinned card on upgrade.
        """
        shown: dict[str, object] = {
            "title": self.title,
            "blocks": [canonical(block) for block in self.blocks],
            "footer": self.footer,
            "actions": [canonical(action) for action in self.actions],
        }
        if self.picture is not None:
            shown["picture"] = canonical(self.picture)
        text = json.dumps(shown, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def canonical(item: Block | Action | Picture) -> dict[str, object]:
    """``item`` as plain data for hashing: its kind and every field not at its default."""
    data: dict[str, object] = {"kind": type(item).__name__.lower()}
    for spec in fields(item):
        value = getattr(item, spec.name)
        if spec.default is not MISSING and value == spec.default:
            continue
        data[spec.name] = value
    return data
