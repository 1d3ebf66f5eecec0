"""Validated roles kept between runs, keyed by a hash of everything they came from.

Validating the content builds pydantic's validators for every model first, and
that build is most of what ``careerbot ask`` spends before it can answer. A
successful load therefore saves its roles in the user's cache directory, pickled as
the plain ``_content`` dataclasses (not pydantic models), and the next start with
the same inputs reads them back without importing pydantic, building or validating
anything.

The key is a SHA-256 of every input that could change the result: this format's
version, Python's version, pydantic's version (read from its ``version.py``, since
importing pydantic is the cost the cache avoids), the source of the ``catalog``
package (content classes, rules, checks, money parsing, loader), the content
folder's path, and the name and bytes of every role file. Any difference is another
key, so a stale entry is never read; an entry holds its key and is used only when
that matches too. A missing, unreadable, corrupt or foreign entry is ignored (the
content is loaded and validated as usual, and the entry rewritten). Only entries that are regular
files owned by this user and writable by no one else are read, since unpickling
runs code. Writing is atomic (a temporary file renamed into place) and best
effort: a read-only home just means no cache.

Each write keeps the ``KEEP`` most recently written entries and deletes the rest, so
the folder does not grow with every edit of the content.

``CAREERBOT_CACHE_DIR`` sets the folder (default: the platform's user cache folder
for ``careerbot-chat`` from platformdirs, such as ``~/.cache/careerbot-chat``);
``CAREERBOT_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any

__all__ = ["APP_NAME", "FORMAT", "KEEP", "cache_dir", "cache_key", "read", "write"]

FORMAT = b"careerbot-catalog-cache/3"
APP_NAME = "careerbot-chat"
KEEP = 16
"""Entries kept after a write: the newest, one per recent content version or folder."""
_SOURCES = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Where entries live; ``None`` when turned off."""
    configured = os.environ.get("CAREERBOT_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "none") else Path(configured)
    import platformdirs  # only when no folder is configured

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def cache_key(folder: Path, files: list[tuple[Path, bytes]]) -> str:
    """The hash of every input the validated roles depend on."""
    digest = hashlib.sha256(FORMAT)
    for part in (sys.version.encode(), _pydantic_version(), str(folder.resolve()).encode()):
        digest.update(part + b"\0")
    for source in sorted(_SOURCES.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    for file, raw in files:
        digest.update(file.name.encode() + b"\0" + hashlib.sha256(raw).digest())
    return digest.hexdigest()


def _pydantic_version() -> bytes:
    """The bytes of pydantic's ``version.py`` (which holds ``VERSION``), found without
    importing pydantic; empty when it cannot be found or read.

    ``importlib.metadata.version`` would also avoid the import but costs about as much.
    """
    import importlib.util

    spec = importlib.util.find_spec("pydantic")
    if spec is None or spec.origin is None:
        return b""
    try:
        return (Path(spec.origin).parent / "version.py").read_bytes()
    except OSError:
        return b""


def _entry(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"catalog-{key[:40]}.pickle"


def read(key: str) -> Any:
    """The value saved under ``key``, or ``None`` (missing, unsafe, corrupt, other key)."""
    entry = _entry(key)
    if entry is None:
        return None
    try:
        with entry.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not _trusted(info):
                return None
            saved_key, value = pickle.load(handle)  # noqa: S301 - a trusted file, see _trusted
    except Exception:
        return None
    return value if saved_key == key else None


def _trusted(info: os.stat_result) -> bool:
    """A regular file of ours that no one else may write."""
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISREG(info.st_mode) and mine and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def write(key: str, value: Any) -> None:
    """Save ``value`` under ``key`` atomically; silently nothing when that cannot be done."""
    entry = _entry(key)
    if entry is None:
        return
    import tempfile  # only when writing: it costs a start that reads a warm cache

    with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".catalog-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, entry)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        _prune(entry.parent)


def _prune(folder: Path) -> None:
    """Delete all but the ``KEEP`` most recently written entries in ``folder``."""
    dated = []
    for old in folder.glob("catalog-*.pickle"):
        with contextlib.suppress(FileNotFoundError):  # another process pruned it
            dated.append((old.stat().st_mtime_ns, old))
    dated.sort(reverse=True)
    for _, old in dated[KEEP:]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
