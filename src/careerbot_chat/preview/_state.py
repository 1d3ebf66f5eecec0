"""The content the preview shows: the last good catalogue, and what is wrong on disk now.

``check()`` looks at the role files' sizes and modification times (a few ``stat``
calls) and reloads only when they changed. An invalid change keeps the last good
catalogue and records the validator's problems, so the page can show both.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from .._errors import ContentError, Problem
from ..catalog._loader import Catalog, load_catalog, role_files

Stamp = tuple[tuple[str, int, int], ...]


def stamp_of(folder: Path | None) -> Stamp:
    """Each role file's name, mtime and size: changes whenever a file is saved."""
    if folder is None:
        return ()
    try:
        files = role_files(folder)
        return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    except (ContentError, OSError):
        return ()


class PreviewState:
    """The catalogue to preview and the current problems; reloaded when files change."""

    def __init__(self, catalog: Catalog, content_dir: Path | None = None) -> None:
        self.catalog = catalog
        self.content_dir = content_dir or catalog.source
        self.problems: tuple[Problem, ...] = ()
        self._stamp = stamp_of(self.content_dir)
        self._revisions = itertools.count(1)
        self.revision = 0
        """Goes up on every reload, good or bad: the page polls it."""
        self._lock = asyncio.Lock()

    @classmethod
    def load(cls, content_dir: Path | None) -> PreviewState:
        """Start from ``content_dir``; invalid content raises ``ContentError``."""
        return cls(load_catalog(content_dir), content_dir)

    async def check(self) -> int:
        """Reload if a role file changed; the (possibly new) revision."""
        async with self._lock:
            current = stamp_of(self.content_dir)
            if current != self._stamp:
                self._stamp = current
                await asyncio.to_thread(self._reload)
        return self.revision

    def _reload(self) -> None:
        try:
            self.catalog = load_catalog(self.content_dir, self.catalog)
            self.problems = ()
        except ContentError as exc:
            self.problems = exc.problems
        self.revision = next(self._revisions)
