"""The public surface: __all__ is sorted, every name in it exists and names one thing
once; adapters find all they use in ``careerbot_chat.adapter``; every error is a
``CareerbotError`` and the public ones are drawn in ``_errors``' tree."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import careerbot_chat
import careerbot_chat.adapter
from careerbot_chat import CareerbotError
from careerbot_chat import _errors as errors

ADAPTERS = Path(__file__).resolve().parents[1] / "adapters"
SURFACES = [careerbot_chat, careerbot_chat.adapter]


@pytest.mark.parametrize("module", SURFACES, ids=lambda m: m.__name__)
def test_all_is_sorted_and_real(module: ModuleType) -> None:
    """Everything exported exists; the list stays sorted for readers."""
    names = module.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    for name in names:
        assert hasattr(module, name), name


@pytest.mark.parametrize("module", SURFACES, ids=lambda m: m.__name__)
def test_no_object_is_exported_under_two_names(module: ModuleType) -> None:
    """Each exported object has one public name (no aliases to choose between)."""
    seen: dict[int, str] = {}
    twice = []
    for name in module.__all__:
        value = getattr(module, name)
        if isinstance(value, str | int | float | tuple):  # equal constants may share an id
            continue
        if id(value) in seen:
            twice.append((seen[id(value)], name))
        seen[id(value)] = name
    assert twice == []


def test_adapters_find_everything_in_careerbot_chat_adapter() -> None:
    """Every core name an adapter imports is exported by ``careerbot_chat.adapter``, so
    adapters need no other core module."""
    used = {
        alias.name
        for file in sorted(ADAPTERS.rglob("*.py"))
        for node in ast.walk(ast.parse(file.read_text()))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("careerbot_chat")
        for alias in node.names
    }
    assert used
    assert sorted(used - set(careerbot_chat.adapter.__all__)) == []


def core_exceptions() -> list[type[BaseException]]:
    """Every exception class defined in a module of the core."""
    found = []
    for info in pkgutil.walk_packages(careerbot_chat.__path__, "careerbot_chat."):
        if info.name == "careerbot_chat.__main__":
            continue
        module = importlib.import_module(info.name)
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, BaseException)
            and value.__module__ == info.name
        ]
    return found


def test_every_core_error_is_a_careerbot_error() -> None:
    """An application can catch all of careerbot's errors with one ``except``."""
    found = core_exceptions()
    assert {"SettingsError", "AdapterMissing", "StartupError"} <= {e.__name__ for e in found}
    assert [e.__name__ for e in found if not issubclass(e, CareerbotError)] == []


def test_the_error_tree_draws_every_public_error() -> None:
    """Each exported error stands in ``_errors``' docstring tree, under its parent."""
    tree = errors.__doc__ or ""
    public = [
        value
        for name in careerbot_chat.__all__
        if isinstance(value := getattr(careerbot_chat, name), type)
        and issubclass(value, CareerbotError)
    ]
    assert len(public) >= 8
    lines = tree.splitlines()
    for error in public:
        [line] = [i for i, text in enumerate(lines) if f" {error.__name__} " in f"{text} "]
        if error is CareerbotError:
            continue
        parent = error.__mro__[1]
        indent = len(lines[line]) - len(lines[line].lstrip(" │├└─"))
        above = [
            text.strip(" │├└─").split(" ")[0]
            for text in lines[:line]
            if text.strip() and len(text) - len(text.lstrip(" │├└─")) < indent
        ]
        assert above[-1] == parent.__name__, error.__name__
