"""Loading content: every error names the file, the field and why; warnings don't stop."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from careerbot_chat import Catalog, CatalogHolder, ContentError, bundled_content_dir, load_catalog
from careerbot_chat.catalog._schema import schema_json
from tests.conftest import FIXTURES, MLOPS_YAML

INVALID = FIXTURES / "invalid"


@pytest.mark.parametrize(
    ("fixture", "path", "reason"),
    [
        ("unknown-field.yaml", "salry", "unknown field"),
        ("min-above-max.yaml", "ladder[0]", "min (₹45 LPA) must not exceed max (₹22 LPA)"),
        ("falling-ladder.yaml", "ladder[1].min", "Senior starts below Mid"),
        ("missing-as-of.yaml", "as_of", "required field is missing"),
        ("missing-source.yaml", "sources", "required field is missing"),
        ("bad-money.yaml", "headline_pay.min", "cannot read 'ten lakh' as an amount"),
        ("premium-level.yaml", "premiums[0].level", "'senior' is not a ladder id"),
        ("not-the-slug.yaml", "slug", "must be named wrong-name.yaml"),
        ("Bad_Slug.yaml", "slug", "must be lowercase letters and digits joined by single hyphens"),
        ("broken-yaml.yaml", "line 2", "not valid YAML"),
        (
            "impossible-day.yaml",
            "as_of",
            "2026-02-30 is not a date: February 2026 has days 01 to 28",
        ),
        ("month-13.yaml", "as_of", "2026-13 is not a date: there is no month 13"),
        ("month-00.yaml", "as_of", "2026-00 is not a date: there is no month 00"),
        (
            "source-april-31.yaml",
            "sources[0].as_of",
            "2026-04-31 is not a date: April 2026 has days 01 to 30",
        ),
    ],
)
def test_each_error_names_file_field_reason(
    content_dir: Callable[..., Path], fixture: str, path: str, reason: str
) -> None:
    """One fixture file per error; the problem carries file, field path and reason."""
    folder = content_dir(INVALID / fixture)
    with pytest.raises(ContentError) as caught:
        load_catalog(folder)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.file is not None
    assert problem.file.name == fixture
    assert problem.path == path
    assert reason in problem.message


def test_duplicate_alias_across_files() -> None:
    """Two roles may not claim the same alias (case-insensitive)."""
    with pytest.raises(ContentError) as caught:
        load_catalog(FIXTURES / "duplicate")
    (problem,) = caught.value.problems
    assert problem.path == "aliases[0]"
    assert "already names role 'first-role'" in problem.message


def test_duplicate_slug(content_dir: Callable[..., Path]) -> None:
    """Two files with one slug: the second is refused."""
    folder = content_dir(MLOPS_YAML)
    shutil.copy(MLOPS_YAML, folder / "roles" / "mlops-copy.yaml")
    with pytest.raises(ContentError) as caught:
        load_catalog(folder)
    assert any("is also the slug of" in p.message for p in caught.value.problems)


def test_all_problems_reported_at_once(content_dir: Callable[..., Path]) -> None:
    """An author sees every mistake of every file in one run."""
    folder = content_dir(INVALID / "unknown-field.yaml", INVALID / "missing-as-of.yaml")
    with pytest.raises(ContentError) as caught:
        load_catalog(folder)
    assert {p.file.name for p in caught.value.problems if p.file} == {
        "unknown-field.yaml",
        "missing-as-of.yaml",
    }


def test_bundled_content_has_no_warning(catalog) -> None:  # type: ignore[no-untyped-def]
    """The bundled role validates clean: its 'covers' says the senior and staff bands
    go higher, which is what both headline warnings ask for."""
    assert catalog.warnings == ()


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """A content folder whose one role is the bundled one with ``changes`` made."""
    text = MLOPS_YAML.read_text()
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    roles = tmp_path / "content" / "roles"
    roles.mkdir(parents=True)
    (roles / MLOPS_YAML.name).write_text(text)
    return tmp_path / "content"


def test_a_headline_covers_that_names_no_level_warns(tmp_path: Path) -> None:
    """A 'covers' that does not say which levels go higher: both warnings, not errors."""
    folder = edited(tmp_path, ("its senior and staff bands go\n    higher", "mid-level pay"))
    paths = {w.path for w in load_catalog(folder).warnings}
    assert paths == {"headline_pay.max", "headline_pay"}


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (
            ("as_of: 2026", "as_of: tomorrow"),
            "as_of",
            "must be a year, year-month or date (2026, 2026-03, 2026-03-14), not in the future",
        ),
        (("as_of: 2026", "as_of: 2099"), "as_of", "2099 is in the future"),
        (
            ("as_of: 2026", f"as_of: {dt.date.today() + dt.timedelta(days=1)}"),
            "as_of",
            "is in the future",
        ),
        (("min: 10L", "min: 99999999Cr"), "headline_pay.min", "is above ₹10 Cr"),
        (("min: 1.2Cr", "min: 10.5Cr"), "ladder[2].min", "is above ₹10 Cr"),
        (
            ("years: {min: 3, max: 6}", "years: {min: -1, max: 6}"),
            "ladder[0].years.min",
            "must be 0 or more",
        ),
        (("slug: mlops-engineer", "slug: MLOps_Engineer"), "slug", "such as mlops-engineer"),
    ],
)
def test_errors_in_plain_words(
    tmp_path: Path, change: tuple[str, str], path: str, words: str
) -> None:
    """Errors say what is allowed, in words: no regex, no pydantic phrasing; a date in
    the future and an amount above ₹10 Cr are refused, not warned about or shown."""
    with pytest.raises(ContentError) as caught:
        load_catalog(edited(tmp_path, change))
    found = {p.path: p.message for p in caught.value.problems}
    assert path in found, found
    assert words in found[path]
    for message in found.values():
        assert "pattern" not in message, message
        assert "Input should" not in message, message


def test_today_and_ten_crore_are_still_allowed(tmp_path: Path) -> None:
    """The limits are where they say: today's date and exactly ₹10 Cr load."""
    today = dt.date.today().isoformat()
    folder = edited(tmp_path, ("as_of: 2026", f"as_of: {today}"), ("min: 1.2Cr", "min: 10Cr"))
    assert load_catalog(folder).roles[0].as_of == today


def test_shipped_schema_equals_generated() -> None:
    """content/schema.json is exactly what `careerbot schema` prints."""
    shipped = (bundled_content_dir() / "schema.json").read_text()
    assert shipped == schema_json()
    assert json.loads(shipped)["additionalProperties"] is False


def test_role_files_reference_the_schema() -> None:
    """Every bundled role file points editors at the schema."""
    for file in (bundled_content_dir() / "roles").glob("*.yaml"):
        assert file.read_text().startswith("# yaml-language-server: $schema=../schema.json")


def test_reload_keeps_old_catalogue_on_error(content_dir: Callable[..., Path]) -> None:
    """A broken change is refused and the old catalogue keeps answering."""
    folder = content_dir(MLOPS_YAML)
    holder = CatalogHolder(load_catalog(folder))
    before = holder.catalog
    shutil.copy(INVALID / "unknown-field.yaml", folder / "roles")
    with pytest.raises(ContentError):
        holder.reload()
    assert holder.catalog is before


def test_missing_directory_is_a_content_error(tmp_path: Path) -> None:
    """Pointing --content at nothing is reported, not a traceback."""
    with pytest.raises(ContentError, match="no such content directory"):
        load_catalog(tmp_path / "nope")


def test_reload_reuses_unchanged_roles(content_dir: Callable[..., Path]) -> None:
    """Reloading keeps the validated object of a file whose bytes did not change."""
    folder = content_dir(MLOPS_YAML)
    (folder / "roles" / "sre.yaml").write_text(
        "slug: sre\ntitle: SRE\nregion: India\nas_of: 2026\nsummary: Keeps things up.\n"
        "sources:\n  - {title: T, kind: survey, as_of: 2026}\n"
    )
    holder = CatalogHolder(load_catalog(folder))
    mlops, sre = holder.catalog.get("mlops-engineer"), holder.catalog.get("sre")
    (folder / "roles" / "sre.yaml").write_text(
        (folder / "roles" / "sre.yaml").read_text().replace("Keeps things up.", "Keeps it up.")
    )
    fresh = holder.reload()
    assert fresh.get("mlops-engineer") is mlops
    assert fresh.get("sre") is not sre
    assert fresh.get("sre").summary == "Keeps it up."  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "document",
    [
        b"a: &x {b: 1}\nc: *x\n",
        b"d: 2026-03-14\ne: ~\nf: yes\ng: 1.5\nh: ''\ni:\nj: 'yes'\nk: \"1\"\n",
        b"<<: {a: 1}\nb: 2\n",
        b"[1, -2, +3, .5, 0x1f, 1_000, .inf, null, No, on]",
        b"a: !!str 1\nb: !!int '2'\nc: !!float 3\n",
        b"text: >-\n  folded\n  lines\nkeep: |\n  kept\n",
        MLOPS_YAML.read_bytes(),
    ],
)
def test_yaml_reader_matches_safe_load(document: bytes) -> None:
    """The quicker reader builds exactly what yaml.safe_load builds, dates kept as text."""
    import yaml

    from careerbot_chat.catalog._loader import _read_yaml

    def dates_as_text(value: object) -> object:
        if isinstance(value, dict):
            return {key: dates_as_text(item) for key, item in value.items()}
        if isinstance(value, list):
            return [dates_as_text(item) for item in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    assert _read_yaml(document) == dates_as_text(yaml.safe_load(document))


def test_yaml_reader_keeps_impossible_dates_as_text() -> None:
    """`2026-02-30` is read as text for the models to refuse, not a bare ValueError."""
    from careerbot_chat.catalog._loader import _read_yaml

    assert _read_yaml(b"as_of: 2026-02-30\n") == {"as_of": "2026-02-30"}


def test_yaml_reader_refuses_what_safe_load_refuses() -> None:
    """Unknown tags and unhashable keys are YAML errors, as with safe_load."""
    import yaml

    from careerbot_chat.catalog._loader import _read_yaml

    for document in (b"!foo {a: 1}", b"? [1]\n: 2\n", b"!!python/object:os.system {}"):
        with pytest.raises(yaml.YAMLError):
            _read_yaml(document)


def test_memo_drops_the_least_recently_used_not_everything(catalog: Catalog) -> None:
    """A full memo drops one old value (the least recently used); the rest stay built."""

    class Small(Catalog):
        MEMO_SIZE = 2

    small = Small(catalog.roles)
    built: list[str] = []

    def build(key: str) -> str:
        built.append(key)
        return key.upper()

    for key in ("a", "b", "a", "c", "a", "b"):
        assert small.memo(key, lambda key=key: build(key)) == key.upper()  # type: ignore[misc]
    assert built == ["a", "b", "c", "b"]
