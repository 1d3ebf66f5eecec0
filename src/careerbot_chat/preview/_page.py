"""What the preview page shows: every role's cards, each as every platform shows it.

Commands per role: the role card, the salary ladder and each level, the chart,
pitfalls, skills and FAQ; then the commands that need no role. Each command's reply
comes from ``answer`` (what the bot says) and is drawn by each ``Drawer`` the caller
hands in (this module names no platform and finds no adapter).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .._errors import Problem
from ..answering._answer import answer
from ..answering._parser import parse
from ..answering._render_plain import render_plain
from ..answering._reply import Reply
from ..catalog._content import Role
from ..catalog._loader import Catalog
from ._card import ChartSource, Drawer, Drawers, PreviewCard

__all__ = ["GENERAL", "Previewer", "Row", "Section", "commands", "styles"]

GENERAL = ("/roles", "/help", "/start")
EAGER_ROLES = 8
"""Up to this many roles, the page draws every card at once; beyond, on opening a role
(sixty roles drawn at once took over a second and made a 6 MB page)."""
_CARD_FIELDS = {
    "salary": ("headline_pay", "ladder", "premiums"),
    "chart": ("headline_pay", "ladder", "sources"),
    "pitfalls": ("pitfalls",),
    "skills": ("competencies", "toolchains", "paths"),
    "faq": ("faq",),
}
"""Which fields of a role each card shows, to put a warning beside the right cards."""


@dataclass(frozen=True, slots=True)
class Row:
    """One command: its label, each platform's preview, the plain text, warnings."""

    command: str
    label: str
    cards: tuple[tuple[str, PreviewCard], ...]
    """Each adapter's name (its entry point) and its card."""
    plain: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    slug: str
    title: str
    rows: tuple[Row, ...] | None
    """None: not drawn yet (a large catalogue draws a role's cards when it is opened)."""


def styles(drawers: Drawers) -> str:
    """The platforms' own styles for their fragments."""
    return "\n".join(drawer.css for drawer in drawers.values())


class Previewer:
    """Draws rows for one catalogue; configured with where chart pictures live."""

    def __init__(
        self,
        catalog: Catalog,
        drawers: Drawers,
        chart_src: ChartSource,
        public_url: str | None = None,
    ) -> None:
        self.catalog = catalog
        self.drawers = drawers
        self.chart_src = chart_src
        self.public_url = public_url

    def reply(self, text: str) -> Reply | None:
        command = parse(text, plain=True)
        return None if command is None else answer(command, self.catalog)

    def card(self, drawer: Drawer, reply: Reply) -> PreviewCard:
        return drawer.card(reply, self.chart_src, self.public_url)

    def row(self, text: str, label: str = "", warnings: tuple[str, ...] = ()) -> Row | None:
        reply = self.reply(text)
        if reply is None:
            return None
        cards = tuple((name, self.card(drawer, reply)) for name, drawer in self.drawers.items())
        return Row(text, label or text, cards, render_plain(reply), warnings)

    def platform_card(self, platform: str, text: str) -> PreviewCard | None:
        """One platform's card for ``text`` (a button's command)."""
        reply = self.reply(text)
        drawer = self.drawers.get(platform)
        if reply is None or drawer is None:
            return None
        return self.card(drawer, reply)

    def sections(self) -> Iterator[Section]:
        """Every role's section (drawn, or to draw on opening), then the general one."""
        eager = len(self.catalog) <= EAGER_ROLES
        for role in self.catalog.roles:
            yield self.section(role) if eager else Section(role.slug, role.title, None)
        general = (self.row(text) for text in GENERAL)
        yield Section("", "Catalogue and help", tuple(r for r in general if r is not None))

    def section(self, role: Role) -> Section:
        """One role's cards, each with the warnings about what it shows."""
        concern = _warnings_by_role(self.catalog).get(role.slug, ())
        rows = (
            self.row(text, label, _for_card(kind, concern)) for text, label, kind in commands(role)
        )
        return Section(role.slug, role.title, tuple(r for r in rows if r is not None))


def commands(role: Role) -> Iterator[tuple[str, str, str]]:
    """``(command, label, card kind)`` for every card of ``role``."""
    slug = role.slug
    yield f"/role {slug}", "Role card · /role", "role"
    yield f"/salary {slug}", "Pay ladder · /salary", "salary"
    for level in role.ladder:
        yield f"/salary {level.id} {slug}", f"{level.label} · /salary {level.id}", "salary"
    yield f"/chart {slug}", "Chart · /chart", "chart"
    yield f"/pitfalls {slug}", "Interview pitfalls · /pitfalls", "pitfalls"
    yield f"/skills {slug}", "Skills · /skills", "skills"
    yield f"/faq {slug}", "Common questions · /faq", "faq"


def _warnings_by_role(catalog: Catalog) -> dict[str, tuple[Problem, ...]]:
    found: dict[str, list[Problem]] = {}
    for warning in catalog.warnings:
        slug = warning.file.stem if warning.file is not None else ""
        found.setdefault(slug, []).append(warning)
    return {slug: tuple(items) for slug, items in found.items()}


def _for_card(kind: str, warnings: tuple[Problem, ...]) -> tuple[str, ...]:
    """The warnings about fields that card ``kind`` shows (the role card shows them all)."""
    fields = _CARD_FIELDS.get(kind)
    return tuple(
        f"{w.path}: {w.message}" if w.path else w.message
        for w in warnings
        if fields is None or w.path.split(".")[0].split("[")[0] in fields
    )
