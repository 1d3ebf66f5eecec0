"""Load ``content/`` into a ``Catalog``: the one place YAML is read.

Loading collects every problem of every file before it gives up, so an author sees
all their mistakes in one run. A ``Catalog`` is immutable; reloading builds a new
one and swaps it in whole (see ``CatalogHolder``).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Hashable, Iterator
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from cachetools import LRUCache

from .._errors import ContentError, Problem
from . import _cache
from ._checks import catalog_errors, normalise, role_errors, role_warnings
from ._content import Level, Role, level_words

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "NO_ROLE_FILES",
    "ROLES_DIR",
    "Catalog",
    "CatalogHolder",
    "Stamp",
    "bundled_content_dir",
    "content_stamp",
    "default_content_dir",
    "load_catalog",
    "parse_role",
    "require_role_files",
    "role_files",
]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@cache
def _loader() -> type[Any]:
    """libyaml's SafeLoader, with dates left as text (built on first use: a start that
    reads the catalogue cache never imports PyYAML).

    PyYAML would turn ``2026-02-30`` into a bare ``ValueError``; the models check
    dates themselves and name the field.
    """
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
            first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }

    return Loader


ROLES_DIR = "roles"
NO_ROLE_FILES = "no role files here (expected roles/*.yaml, or *.yaml in the folder itself)"
_MISSING = object()
SCHEMA_KEY = "$schema"
"""A role file may name its JSON Schema for editors; it is not part of the role."""
_UNKNOWN = frozenset({"extra_forbidden", "unexpected_keyword_argument"})
_REQUIRED = frozenset({"missing", "missing_keyword_only_argument"})
T = TypeVar("T")


def bundled_content_dir() -> Path:
    """The content shipped with the package (wheel) or beside it (checkout)."""
    here = Path(__file__).resolve().parents[1]  # the careerbot_chat package
    packaged = here / "_content"
    return packaged if packaged.is_dir() else here.parents[1] / "content"


def default_content_dir() -> Path:
    configured = os.environ.get("CAREERBOT_CONTENT_DIR")
    return Path(configured) if configured else bundled_content_dir()


def role_files(content_dir: Path) -> list[Path]:
    """``DIR/roles/*.yaml`` (or ``DIR/*.yaml`` when DIR is the roles folder itself)."""
    folder = content_dir / ROLES_DIR if (content_dir / ROLES_DIR).is_dir() else content_dir
    if not folder.is_dir():
        raise ContentError([Problem(content_dir, "", "no such content directory")])
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def require_role_files(content_dir: Path | None) -> None:
    """``ContentError`` unless ``content_dir`` (default: the configured or bundled
    content) exists and holds role files: what ``serve``, ``preview`` and ``validate``
    check first, so a mistyped folder is an error rather than an empty catalogue."""
    folder = content_dir or default_content_dir()
    if not role_files(folder):
        raise ContentError([Problem(folder, "", NO_ROLE_FILES)])


Stamp = tuple[tuple[str, int, int], ...]


def content_stamp(content_dir: Path | None) -> Stamp:
    """Each role file's name, modification time and size: changes whenever one is saved
    (``()`` when the folder cannot be read)."""
    if content_dir is None:
        return ()
    try:
        return tuple(
            (f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in role_files(content_dir)
        )
    except (ContentError, OSError):
        return ()


def _read_yaml(raw: bytes) -> object:
    """Parse one YAML document with the safe loader: plain data, never Python objects."""
    import yaml

    return yaml.load(raw, Loader=_loader())  # noqa: S506 - a SafeLoader


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + part
    return path


def _validation_problems(file: Path, error: ValidationError) -> Iterator[Problem]:
    items = error.errors(include_url=False)
    # pydantic counts only the valid items of a list against its minimum length, so one
    # bad source would also say "sources: should have at least 1 item"; the item's own
    # error is the one to show.
    failed_parents = {item["loc"][:-2] for item in items if len(item["loc"]) >= 2}
    for item in items:
        if item["type"] == "too_short" and item["loc"] in failed_parents:
            continue
        from ._rules import plain_words

        message = plain_words(item["type"], item.get("ctx") or {}, item["msg"])
        message = message.removeprefix("Value error, ")
        if item["type"] in _UNKNOWN:
            message = "unknown field (check the spelling; see content/schema.json)"
        elif item["type"] in _REQUIRED:
            message = "required field is missing"
        yield Problem(file, _field_path(item["loc"]), message)


def parse_role(file: Path, raw: bytes) -> tuple[Role | None, list[Problem]]:
    """Validate one role file's bytes; return the role or the problems found.

    Pydantic (``_validate``) is imported here, on first use: a start that reads the
    catalogue cache never validates, and so never imports it.
    """
    from pydantic import ValidationError
    from yaml import YAMLError

    from ._validate import role_adapter

    try:
        data = _read_yaml(raw)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(file, where, f"not valid YAML: {reason}")]
    if not isinstance(data, dict):
        return None, [Problem(file, "", "a role file must be a mapping of fields")]
    schema = data.pop(SCHEMA_KEY, None)
    if schema is not None and not isinstance(schema, str):
        return None, [Problem(file, SCHEMA_KEY, "should be the path of the schema, as text")]
    try:
        role = role_adapter().validate_python(data)
    except ValidationError as exc:
        return None, list(_validation_problems(file, exc))
    return role, list(role_errors(role, file))


class Catalog:
    """Every role, indexed by each name it answers to. Immutable once built."""

    def __init__(
        self,
        roles: tuple[Role, ...],
        *,
        version: str = "",
        warnings: tuple[Problem, ...] = (),
        source: Path | None = None,
    ) -> None:
        self.roles = roles
        self.version = version or hashlib.sha256(repr(roles).encode()).hexdigest()[:12]
        self.warnings = warnings
        self.source = source
        self.parsed: dict[Path, tuple[bytes, Role]] = {}
        """Each file's bytes and validated role, reused by the next load."""
        self._by_slug = {role.slug: role for role in roles}
        self._memo: LRUCache[Hashable, object] = LRUCache(maxsize=self.MEMO_SIZE)
        self._memo_lock = threading.Lock()
        self._derived: dict[Hashable, object] = {}
        self._names: dict[str, str] = {}
        for role in roles:
            for name in role.names:
                self._names.setdefault(normalise(name), role.slug)

    def __len__(self) -> int:
        return len(self.roles)

    MEMO_SIZE = 1024

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()`` once per ``key`` for this catalogue (answers that need no role,
        suggestions); at most ``MEMO_SIZE`` kept, the least recently used dropped first.

        An ``LRUCache`` reorders itself on every read, so reads and writes hold a lock
        (``build`` runs outside it: two threads may both build a missing value).
        """
        with self._memo_lock:
            found = self._memo.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]  # each key holds what its builder made
        value = build()
        with self._memo_lock:
            self._memo[key] = value
        return value

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()`` once for this catalogue, kept as long as the catalogue lives.

        The layers above keep here what they derive from the content (the search
        index, the lexicon, built cards), so a reload, which brings a new catalogue,
        brings new ones; the catalogue itself knows nothing of what they are.
        """
        try:
            return self._derived[key]  # type: ignore[return-value]  # each key holds what its builder made
        except KeyError:
            value = self._derived[key] = build()
            return value

    @cached_property
    def _levels_by_word(self) -> dict[str, tuple[tuple[Role, Level], ...]]:
        index: dict[str, list[tuple[Role, Level]]] = {}
        for role in self.roles:
            for level in role.ladder:
                for word in level_words(level):
                    pairs = index.setdefault(word, [])
                    if not pairs or pairs[-1][0] is not role:  # the lowest level wins
                        pairs.append((role, level))
        return {word: tuple(pairs) for word, pairs in index.items()}

    def levels_named(self, word: str) -> tuple[tuple[Role, Level], ...]:
        """Every (role, level) whose level answers to ``word``, in catalogue order."""
        return self._levels_by_word.get(normalise(word), ())

    @cached_property
    def _level_of(self) -> dict[tuple[str, str], Level]:
        return {
            (role.slug, word): level
            for word, pairs in self._levels_by_word.items()
            for role, level in pairs
        }

    def level(self, role: Role, word: str) -> Level | None:
        """``role``'s level that answers to ``word`` (id, label or alias)."""
        return self._level_of.get((role.slug, normalise(word)))

    def get(self, slug: str) -> Role | None:
        return self._by_slug.get(slug)

    def find(self, text: str) -> Role | None:
        """The role ``text`` names exactly (slug, title or alias, any case)."""
        slug = self._names.get(normalise(text))
        return None if slug is None else self._by_slug[slug]

    @cached_property
    def _name_keys(self) -> list[str]:
        return list(self._names)

    def suggest(self, text: str, limit: int = 3) -> list[Role]:
        """Roles whose names are close to ``text``, best first ("did you mean").

        Names that start with the query come first (``data`` → Data Engineer), then
        near spellings by rapidfuzz's QRatio — fast enough for thousands of names.
        """
        query = normalise(text)[:64]
        if not query:
            return []
        return list(self.memo(("suggest", query, limit), lambda: self._suggest(query, limit)))

    def _suggest(self, query: str, limit: int) -> tuple[Role, ...]:
        from rapidfuzz import fuzz, process

        keys: list[str] = []
        if len(query) >= 3:
            keys = [key for key in self._name_keys if key.startswith(query)][:limit]
        matches = process.extract(
            query,
            self._name_keys,
            scorer=fuzz.QRatio,
            processor=None,
            limit=limit * 4,
            score_cutoff=70,
        )
        keys += [key for key, _score, _index in matches]
        found: list[Role] = []
        for key in keys:
            role = self._by_slug[self._names[key]]
            if role not in found:
                found.append(role)
        return tuple(found[:limit])


def load_catalog(
    content_dir: Path | None = None, previous: Catalog | None = None, *, cache: bool = False
) -> Catalog:
    """Load and validate every role file; raise ``ContentError`` listing all problems.

    With ``previous``, a file whose bytes did not change reuses its validated role
    (roles are immutable), so reloading a large catalogue after one edit is quick.
    With ``cache``, roles validated by an earlier run from exactly the same inputs
    are read back instead (see ``_cache``), which is what keeps the CLI quick.
    """
    return _load_catalog(content_dir, previous, cache=cache)


def _read_files(folder: Path) -> tuple[list[tuple[Path, bytes]], list[Problem]]:
    files: list[tuple[Path, bytes]] = []
    problems: list[Problem] = []
    for file in role_files(folder):
        try:
            files.append((file, file.read_bytes()))
        except OSError as exc:
            problems.append(Problem(file, "", f"cannot read: {exc.strerror}"))
    return files, problems


def _version(files: list[tuple[Path, bytes]]) -> str:
    digest = hashlib.sha256()
    for file, raw in files:
        digest.update(file.name.encode() + b"\0" + raw)
    return digest.hexdigest()[:12]


def _load_catalog(content_dir: Path | None, previous: Catalog | None, *, cache: bool) -> Catalog:
    folder = content_dir or default_content_dir()
    files, problems = _read_files(folder)
    key = _cache.cache_key(folder, files) if cache and not problems else None
    saved = _cache.read(key) if key is not None else None
    if saved is not None:
        roles, warnings = saved
        entries = list(zip((file for file, _ in files), roles, strict=True))
    else:
        entries, warnings = _validate(files, problems, previous)
    catalog = Catalog(
        tuple(role for _, role in entries),
        version=_version(files),
        warnings=warnings,
        source=folder,
    )
    catalog.parsed = {
        file: (raw, role) for (file, raw), (_, role) in zip(files, entries, strict=True)
    }
    if key is not None and saved is None:
        _cache.write(key, (catalog.roles, warnings))
    return catalog


def _validate(
    files: list[tuple[Path, bytes]], problems: list[Problem], previous: Catalog | None
) -> tuple[list[tuple[Path, Role]], tuple[Problem, ...]]:
    """Every file's role, or ``ContentError`` with every problem found."""
    entries: list[tuple[Path, Role]] = []
    known = previous.parsed if previous is not None else {}
    for file, raw in files:
        role: Role | None
        found: list[Problem]
        cached = known.get(file)
        if cached is not None and cached[0] == raw:
            role, found = cached[1], []
        else:
            role, found = parse_role(file, raw)
        problems += found
        if role is not None:
            entries.append((file, role))
    problems += catalog_errors(entries)
    if problems:
        raise ContentError(problems)
    return entries, tuple(w for file, role in entries for w in role_warnings(role, file))


class CatalogHolder:
    """The current catalogue, replaced in one step by ``reload``.

    Readers call ``holder.catalog`` once per request and keep that object for the
    whole answer, so a reload never mixes two versions inside one reply.
    """

    def __init__(
        self,
        catalog: Catalog,
        content_dir: Path | None = None,
        *,
        prepare: Callable[[Catalog], object] | None = None,
    ) -> None:
        self.catalog = catalog
        self.content_dir = content_dir or catalog.source
        self.prepare = prepare
        """Run on a new catalogue before it serves (the runtime builds its indexes)."""

    def reload(self, check: Callable[[Catalog, Catalog], None] | None = None) -> Catalog:
        """Load anew and prepare it; on ``ContentError`` the old catalogue stays in place.

        Readers see the new catalogue only once it is ready. The runtime calls this
        in a worker thread. ``check(old, fresh)`` may refuse the new catalogue by
        raising (the reload guard: a folder emptied half-way through a deploy is
        valid content, but not wanted).
        """
        fresh = load_catalog(self.content_dir, self.catalog)
        if check is not None:
            check(self.catalog, fresh)
        if self.prepare is not None:
            self.prepare(fresh)
        self.catalog = fresh
        return fresh
