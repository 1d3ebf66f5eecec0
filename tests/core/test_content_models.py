"""One content model: the classes pydantic validates are the classes answering reads.

They are frozen dataclasses, so a start from a warm catalogue cache never imports
pydantic; these tests pin that the loaded roles are those classes to the last nested
value, that they are frozen and forbid unknown fields, and that pydantic really stays
out of that start.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from careerbot_chat import Catalog
from careerbot_chat.catalog import _content
from careerbot_chat.catalog._validate import role_adapter

CLASSES = [
    value
    for name in _content.__all__
    if isinstance(value := getattr(_content, name), type) and dataclasses.is_dataclass(value)
]


def test_there_is_one_set_of_fourteen_classes() -> None:
    """Every part of a role is one class here; no pydantic model mirrors it."""
    assert len(CLASSES) == 14
    assert not any(issubclass(cls, BaseModel) for cls in CLASSES)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_each_class_is_frozen_and_forbids_unknown_fields(cls: type) -> None:
    """Frozen (values never change under a reader), and pydantic told to refuse extras."""
    params: Any = getattr(cls, "__dataclass_params__")  # noqa: B009 - set by dataclass
    assert params.frozen
    config = cls.__pydantic_config__  # type: ignore[attr-defined]
    assert config["extra"] == "forbid"
    assert config["frozen"] is True


def nested(value: Any, where: str = "role") -> list[str]:
    """Where in ``value`` something is not a content class, a tuple or a plain value."""
    if isinstance(value, tuple):
        return [bad for i, item in enumerate(value) for bad in nested(item, f"{where}[{i}]")]
    if dataclasses.is_dataclass(value):
        wrong = [] if type(value) in CLASSES else [where]
        return wrong + [
            bad
            for field in dataclasses.fields(value)
            for bad in nested(getattr(value, field.name), f"{where}.{field.name}")
        ]
    return [] if isinstance(value, str | int | float | bool | type(None)) else [where]


def test_loaded_roles_are_the_content_classes(catalog: Catalog) -> None:
    """Loading yields the content classes themselves, to the last nested value (no copies)."""
    assert catalog.roles
    for role in catalog.roles:
        assert type(role) is _content.Role
        assert nested(role) == []
    mlops = catalog.get("mlops-engineer")
    assert mlops is not None
    assert type(mlops.ladder[0]) is _content.Level
    assert type(mlops.sources[0]) is _content.Source
    with pytest.raises(dataclasses.FrozenInstanceError):
        mlops.title = "changed"  # type: ignore[misc]


def test_the_check_sees_a_foreign_value() -> None:
    """``nested`` would notice a value of another class left inside a role."""

    class Other(BaseModel):
        min: int

    assert nested((Other(min=1), _content.Band(min=1))) == ["role[0]"]


def test_checks_between_fields_hold_for_roles_built_in_code() -> None:
    """``min`` above ``max`` is refused by the class itself, not only by the loader."""
    with pytest.raises(ValueError, match="must not exceed max"):
        _content.Band(min=5, max=1)
    with pytest.raises(ValueError, match="exactly one of amount or percent"):
        _content.Premium(over=("x",), level="mid")
    assert _content.Years(min=1, max=3).holds(2)


def test_the_validator_reads_the_file_format() -> None:
    """Amounts as written (22L), ``from`` for ``origin``, text stripped, lists as tuples."""
    role = role_adapter().validate_python(
        {
            "slug": "x",
            "title": " X ",
            "region": "India",
            "as_of": 2026,
            "summary": "s",
            "ladder": [{"id": "mid", "label": "Mid", "min": "22L", "max": "45 LPA"}],
            "paths": [{"from": "Backend engineer", "steps": ["one"]}],
            "sources": [{"title": "t", "kind": "survey", "as_of": "2026-03"}],
        }
    )
    assert role.title == "X"
    assert role.as_of == "2026"
    assert role.ladder == (_content.Level(id="mid", label="Mid", min=2_200_000, max=4_500_000),)
    assert role.paths == (_content.Path(origin="Backend engineer", steps=("one",)),)


ASK = (
    "import sys; from careerbot_chat.cli import main; main(['ask', '/role mlops']); "
    "print(sorted(m for m in sys.modules if m.partition('.')[0] == 'pydantic')[:1])"
)


def test_a_warm_start_never_imports_pydantic(tmp_path: Path) -> None:
    """`careerbot ask` validates (pydantic) on a cold cache; from a warm one, no pydantic."""
    env = {**os.environ, "CAREERBOT_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", ASK], capture_output=True, text=True, check=True, env=env
        ).stdout
        for _ in range(2)
    ]
    cold, warm = (out.strip().splitlines() for out in runs)
    assert cold[-1] == "['pydantic']"
    assert warm[-1] == "[]"
    assert cold[:-1] == warm[:-1]
    assert any("MLOps" in line for line in warm)
