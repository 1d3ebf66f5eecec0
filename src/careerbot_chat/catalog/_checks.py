"""Rules that span fields or files, with exact paths for the author.

Pydantic checks each value; these check how values relate: a ladder that pays less
as seniority rises, a premium at a level that does not exist, two roles claiming the
same alias. ``errors`` stop a load; ``warnings`` are printed by ``careerbot validate``
for an editor to look at and never stop the bot.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .._errors import Problem
from ._content import Band, Level, Role
from ._money import format_band

__all__ = ["catalog_errors", "normalise", "role_errors", "role_warnings"]

_SENIOR_IDS = ("senior", "sr")


def role_errors(role: Role, file: Path | None) -> Iterator[Problem]:
    """Errors inside one role file."""
    ids = [level.id for level in role.ladder]
    for index, level in enumerate(role.ladder):
        if ids.index(level.id) != index:
            yield Problem(file, f"ladder[{index}].id", f"{level.id!r} is used twice")
    for index in range(1, len(role.ladder)):
        below, above = role.ladder[index - 1], role.ladder[index]
        if below.max is None:
            yield Problem(file, f"ladder[{index - 1}].max", "only the top level may leave max open")
        if above.min < below.min:
            yield Problem(
                file,
                f"ladder[{index}].min",
                f"{above.label} starts below {below.label} ({_band(above)} vs "
                f"{_band(below)}); list levels from junior to senior",
            )
        elif above.max is not None and below.max is not None and above.max < below.max:
            yield Problem(
                file,
                f"ladder[{index}].max",
                f"{above.label} tops out below {below.label} ({_band(above)} vs "
                f"{_band(below)}); list levels from junior to senior",
            )
    for index, premium in enumerate(role.premiums):
        if premium.level not in ids:
            known = ", ".join(ids) or "the ladder is empty"
            yield Problem(
                file, f"premiums[{index}].level", f"{premium.level!r} is not a ladder id ({known})"
            )


def role_warnings(role: Role, file: Path | None) -> Iterator[Problem]:
    """Inconsistencies an editor should look at; never fatal."""
    head = role.headline_pay
    senior = next((lvl for lvl in role.ladder if lvl.id in _SENIOR_IDS), None)
    # Each is silenced by what it asks for: 'covers' naming the level left out.
    if (
        head is not None
        and senior is not None
        and head.max is not None
        and head.max <= senior.min
        and not _names_level(head.covers, senior)
    ):
        yield Problem(
            file,
            "headline_pay.max",
            f"the headline band ends ({_band(head)}) where the {senior.label} band "
            f"starts ({_band(senior)}); say in 'covers' which levels it spans",
        )
    if head is not None and role.ladder:
        top = role.ladder[-1]
        beyond = head.max is not None and (top.max is None or top.max > head.max)
        if beyond and not _names_level(head.covers, top):
            yield Problem(
                file,
                "headline_pay",
                f"the ladder reaches beyond the headline band ({top.label}: {_band(top)}); "
                f"say in 'covers' that {top.label} goes higher",
            )
    newest = max(source.as_of for source in role.sources)
    if newest[:4] < role.as_of[:4]:
        yield Problem(
            file, "as_of", f"the role says {role.as_of} but its newest source is {newest}"
        )


def _names_level(covers: str, level: Level) -> bool:
    """Whether ``covers`` names ``level`` (its id, label or an alias), as a word."""
    words = f" {normalise(covers)} "
    return any(f" {normalise(name)} " in words for name in (level.id, level.label, *level.aliases))


def catalog_errors(entries: Iterable[tuple[Path | None, Role]]) -> Iterator[Problem]:
    """Slugs and names must point at one role only, across all files."""
    owners: dict[str, tuple[str, Path | None]] = {}
    slugs: dict[str, Path | None] = {}
    for file, role in entries:
        if role.slug in slugs:
            yield Problem(file, "slug", f"{role.slug!r} is also the slug of {slugs[role.slug]}")
            continue
        slugs[role.slug] = file
        if file is not None and file.stem != role.slug:
            yield Problem(file, "slug", f"the file must be named {role.slug}.yaml")
        for field, name in _named(role):
            key = normalise(name)
            owner = owners.get(key)
            if owner is not None and owner[0] != role.slug:
                yield Problem(file, field, f"{name!r} already names role {owner[0]!r} ({owner[1]})")
            owners.setdefault(key, (role.slug, file))


def _named(role: Role) -> Iterator[tuple[str, str]]:
    yield "slug", role.slug
    yield "title", role.title
    for index, alias in enumerate(role.aliases):
        yield f"aliases[{index}]", alias


def normalise(text: str) -> str:
    """The lookup key of a name: case-folded, ``-``/``_`` as spaces, single spaces."""
    return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())


def _band(band: Band) -> str:
    return format_band(band.min, band.max)
