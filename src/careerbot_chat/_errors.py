"""Every exception careerbot raises on purpose.

    CareerbotError
    ├── ContentError            content/ could not be loaded; carries every Problem found
    ├── SettingsError           a setting is missing or malformed (also a ValueError)
    ├── AdapterMissing          no adapter of that name, or not its extra (also an ImportError)
    ├── StartupError            the process cannot start at all (a token the platform rejects)
    ├── StoreError              the database refused a read or a write
    │   └── StoreUnavailable    the database cannot be reached at all
    └── PlatformError           a chat platform's API refused an action
        └── PermissionMissing   the bot lacks a right it needs (pinning, channel membership)

``tests/test_exported_members.py`` checks that every exception class the core
defines is drawn here and derives from ``CareerbotError``.

A ``Problem`` is one finding in the content: the file, the field path inside it and
the reason, so the CLI can print ``content/roles/x.yaml: ladder[1].max: must be ≥ min``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "AdapterMissing",
    "CareerbotError",
    "ContentError",
    "PermissionMissing",
    "PlatformError",
    "Problem",
    "SettingsError",
    "StartupError",
    "StoreError",
    "StoreUnavailable",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One error or warning found in a content file."""

    file: Path | None
    path: str
    message: str

    def __str__(self) -> str:
        where = _shown(self.file) if self.file is not None else "content"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class CareerbotError(Exception):
    """Base class of every error careerbot raises on purpose."""


class ContentError(CareerbotError):
    """The content directory holds errors; ``problems`` lists each one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} content error{'s' if count != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class SettingsError(CareerbotError, ValueError):
    """A setting is missing or malformed; the message names it, never its value."""


class AdapterMissing(CareerbotError, ImportError):
    """The adapter or its platform SDK is not installed."""


class StartupError(CareerbotError):
    """Starting cannot succeed by waiting (a rejected token); the message is one line."""


class StoreError(CareerbotError):
    """A read or a write to the store failed."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (file read-only, server down)."""


class PlatformError(CareerbotError):
    """A chat platform refused an action; ``method`` names the API call."""

    def __init__(self, message: str, *, method: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.method = method
        self.reason = reason


class PermissionMissing(PlatformError):
    """The bot (or the asker) lacks a right; ``hint`` tells a moderator how to grant it.

    The adapter raising it knows its platform's words, so it supplies ``hint``; the
    core shows it as is.
    """

    def __init__(self, message: str, *, method: str = "", reason: str = "", hint: str = "") -> None:
        super().__init__(message, method=method, reason=reason)
        self.hint = hint


def _shown(file: Path) -> str:
    """``file`` relative to the working directory when it lies below it."""
    try:
        return str(file.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(file)
