"""The file format (pydantic, ``_models``) and what the bot reads (``_content``) stay twins.

Answering and the catalogue cache use the plain ``_content`` dataclasses so that a
start from a warm cache never imports pydantic; these tests keep the two class lists
in step and check that pydantic really stays out of that start.
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
from pydantic_core import PydanticUndefined

from careerbot_chat import Catalog
from careerbot_chat.catalog import _content, _models

MODELS = sorted(
    (
        value
        for name, value in vars(_models).items()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == _models.__name__
        and not name.startswith("_")
    ),
    key=lambda model: model.__name__,
)


def test_every_model_is_listed() -> None:
    """The list below the parametrised test is every public model, and only those."""
    names = [model.__name__ for model in MODELS]
    assert names == sorted(
        name for name in _content.__all__ if isinstance(getattr(_content, name), type)
    )
    assert len(names) == 14


def file_fields(model: type[BaseModel]) -> list[tuple[str, object]]:
    """``(name, default)`` of each field a role file keeps, in order (required: MISSING)."""
    return [
        (name, dataclasses.MISSING if field.default is PydanticUndefined else field.default)
        for name, field in model.model_fields.items()
        if not field.exclude
    ]


def content_fields(cls: type) -> list[tuple[str, object]]:
    return [(field.name, field.default) for field in dataclasses.fields(cls)]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_each_model_has_a_plain_twin(model: type[BaseModel]) -> None:
    """Same name, same fields in the same order, same defaults; frozen, and no pydantic."""
    twin = getattr(_content, model.__name__)
    assert dataclasses.is_dataclass(twin)
    assert not issubclass(twin, BaseModel)
    assert twin.__dataclass_params__.frozen
    assert content_fields(twin) == file_fields(model)
    for base in model.__bases__:
        if base.__module__ == _models.__name__ and not base.__name__.startswith("_"):
            assert issubclass(twin, getattr(_content, base.__name__))


def test_only_excluded_fields_are_left_out() -> None:
    """``$schema`` belongs to the file, not the role: the one field the twins lack."""
    dropped = [
        (model.__name__, name)
        for model in MODELS
        for name, field in model.model_fields.items()
        if field.exclude
    ]
    assert dropped == [("Role", "schema_")]


def plain_values(value: Any, where: str = "role") -> list[str]:
    """Where in ``value`` something is not a ``_content`` class, a tuple or a plain value."""
    if isinstance(value, tuple):
        return [bad for i, item in enumerate(value) for bad in plain_values(item, f"{where}[{i}]")]
    if dataclasses.is_dataclass(value):
        wrong = [] if type(value).__module__ == _content.__name__ else [where]
        return wrong + [
            bad
            for field in dataclasses.fields(value)
            for bad in plain_values(getattr(value, field.name), f"{where}.{field.name}")
        ]
    return [] if isinstance(value, str | int | float | bool | type(None)) else [where]


def test_loaded_roles_are_content_classes(catalog: Catalog) -> None:
    """Loading converts every validated role, to the last nested value, into ``_content``."""
    assert catalog.roles
    for role in catalog.roles:
        assert type(role) is _content.Role
        assert plain_values(role) == []
    mlops = catalog.get("mlops-engineer")
    assert mlops is not None
    assert type(mlops.ladder[0]) is _content.Level
    assert type(mlops.sources[0]) is _content.Source


def test_the_check_sees_a_pydantic_value() -> None:
    """``plain_values`` would notice a model left inside a role."""
    band = _models.Band(min=1, max=2)
    assert plain_values((band,)) == ["role[0]"]
    assert plain_values(_models.to_content((band,))) == []


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
