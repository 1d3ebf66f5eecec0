"""The catalogue cache: same inputs read back without validating; any change, damage or doubt loads anew."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

import platformdirs
import pytest

from careerbot_chat import ContentError, load_catalog
from careerbot_chat.catalog import _cache, _loader
from tests.conftest import FIXTURES, MLOPS_YAML


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CAREERBOT_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, validating any role file fails the test."""

    def refuse(file: Path, raw: bytes) -> object:
        raise AssertionError(f"validated {file.name} again")

    monkeypatch.setattr(_loader, "parse_role", refuse)


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("catalog-*.pickle"))


def test_a_warm_cache_answers_without_validating(
    cache: Path, content_dir: Callable[..., Path], request: pytest.FixtureRequest
) -> None:
    """The second load from the same files reads the saved roles: equal, and no validation."""
    folder = content_dir(MLOPS_YAML)
    first = load_catalog(folder, cache=True)
    assert len(entries(cache)) == 1
    request.getfixturevalue("no_validation")
    second = load_catalog(folder, cache=True)
    assert second.roles == first.roles
    assert second.version == first.version
    assert second.warnings == first.warnings
    assert set(second.parsed) == set(first.parsed)


def test_changed_content_is_validated_anew(cache: Path, content_dir: Callable[..., Path]) -> None:
    """Editing a role file changes the key: the edit shows, and a second entry is saved."""
    folder = content_dir(MLOPS_YAML)
    load_catalog(folder, cache=True)
    role_file = folder / "roles" / MLOPS_YAML.name
    text = role_file.read_text().replace(
        "title: MLOps Engineer", "title: MLOps Platform Engineer", 1
    )
    assert "MLOps Platform Engineer" in text
    role_file.write_text(text)
    (role,) = load_catalog(folder, cache=True).roles
    assert role.title == "MLOps Platform Engineer"
    assert len(entries(cache)) == 2


def test_the_same_content_elsewhere_is_its_own_entry(
    cache: Path, tmp_path: Path, content_dir: Callable[..., Path]
) -> None:
    """Warnings name files, so another folder with the same bytes does not share an entry."""
    folder = content_dir(MLOPS_YAML)
    load_catalog(folder, cache=True)
    other = tmp_path / "elsewhere"
    (other / "roles").mkdir(parents=True)
    (other / "roles" / MLOPS_YAML.name).write_bytes(MLOPS_YAML.read_bytes())
    load_catalog(other, cache=True)
    assert len(entries(cache)) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps(("other-key", ((), ())))])
def test_a_damaged_or_foreign_entry_is_ignored_and_replaced(
    damage: bytes, cache: Path, content_dir: Callable[..., Path]
) -> None:
    """Truncated, corrupt or another key's entry: loaded and validated as usual, entry rewritten."""
    folder = content_dir(MLOPS_YAML)
    good = load_catalog(folder, cache=True)
    (entry,) = entries(cache)
    entry.write_bytes(damage)
    assert load_catalog(folder, cache=True).roles == good.roles
    assert entry.read_bytes() != damage


def test_an_entry_others_may_write_is_not_read(
    cache: Path, content_dir: Callable[..., Path]
) -> None:
    """Unpickling runs code: an entry writable by group or others is never read."""
    folder = content_dir(MLOPS_YAML)
    key = _cache.cache_key(folder, _loader._read_files(folder)[0])
    _cache.write(key, ((), ()))
    (entry,) = entries(cache)
    os.chmod(entry, 0o666)  # noqa: S103 - the unsafe mode under test
    assert _cache.read(key) is None
    os.chmod(entry, 0o600)
    assert _cache.read(key) == ((), ())


def test_invalid_content_is_not_cached(cache: Path, tmp_path: Path) -> None:
    """A catalogue with errors raises every time and leaves no entry behind."""
    folder = tmp_path / "bad"
    (folder / "roles").mkdir(parents=True)
    (folder / "roles" / "bad-money.yaml").write_bytes(
        (FIXTURES / "invalid" / "bad-money.yaml").read_bytes()
    )
    for _ in range(2):
        with pytest.raises(ContentError):
            load_catalog(folder, cache=True)
    assert entries(cache) == []


def test_the_cache_can_be_turned_off(
    cache: Path, content_dir: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """CAREERBOT_CACHE_DIR=off: nothing is written, and loading works the same."""
    monkeypatch.setenv("CAREERBOT_CACHE_DIR", "off")
    load_catalog(content_dir(MLOPS_YAML), cache=True)
    assert not cache.exists()


def test_without_asking_no_cache_is_used(cache: Path, content_dir: Callable[..., Path]) -> None:
    """Only callers that ask (the CLI) use the cache; `validate` and the server validate."""
    load_catalog(content_dir(MLOPS_YAML))
    assert not cache.exists()


def test_only_the_newest_entries_are_kept(cache: Path) -> None:
    keys = [hashlib.sha256(bytes([index])).hexdigest() for index in range(_cache.KEEP + 4)]
    for age, key in enumerate(keys):
        _cache.write(key, {"version": key})
        entry = cache / f"catalog-{key[:40]}.pickle"
        os.utime(entry, ns=(age * 10**9, age * 10**9))  # written one second apart
    kept = entries(cache)
    assert len(kept) == _cache.KEEP
    assert _cache.read(keys[-1]) == {"version": keys[-1]}  # the newest stays
    assert _cache.read(keys[0]) is None  # the oldest went
    assert not list(cache.glob(".catalog-*.tmp"))


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME is the Linux convention")
def test_the_default_folder_is_the_platform_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content_dir: Callable[..., Path]
) -> None:
    """Unconfigured, entries go to platformdirs' user cache folder for careerbot-chat."""
    monkeypatch.delenv("CAREERBOT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    expected = Path(platformdirs.user_cache_dir("careerbot-chat", appauthor=False))
    assert expected == tmp_path / "xdg" / "careerbot-chat"
    load_catalog(content_dir(MLOPS_YAML), cache=True)
    assert len(entries(expected)) == 1
