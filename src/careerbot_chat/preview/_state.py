"""The content the preview shows: the last good catalogue, and what is wrong on disk now.

``check()`` looks at the role files' sizes and modification times (a few ``stat``
calls) and reloads only when they changed. An invalid change keeps the last good
catalogue and records the validator's problems, so the page can show both. Content
that is invalid from the start previews as an empty catalogue beside its problems,
and fills in once the files are fixed.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from .._errors import ContentError, Problem
from ..catalog._loader import Catalog, content_stamp, default_content_dir, load_catalog

__all__ = ["PreviewState"]


class PreviewState:
    """The catalogue to preview and the current problems; reloaded when files change."""

    def __init__(
        self,
        catalog: Catalog,
        content_dir: Path | None = None,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        self.catalog = catalog
        self.content_dir = content_dir or catalog.source
        self.problems = problems
        self._stamp = content_stamp(self.content_dir)
        self._revisions = itertools.count(1)
        self.revision = 0
        """Goes up on every reload, good or bad: the page polls it."""
        self._lock = asyncio.Lock()

    @classmethod
    def load(cls, content_dir: Path | None) -> PreviewState:
        """Start from ``content_dir`` (default: the configured or bundled content)."""
        folder = content_dir or default_content_dir()
        try:
            return cls(load_catalog(folder), folder)
        except ContentError as exc:
            return cls(Catalog((), source=folder), folder, exc.problems)

    async def check(self) -> int:
        """Reload if a role file changed; the (possibly new) revision."""
        async with self._lock:
            current = content_stamp(self.content_dir)
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
