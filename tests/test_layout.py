"""The architecture as a test: who may import whom, read from the source (AST, no imports).

Written as a small AST walker rather than import-linter contracts: the rules need
"no private module of the core" (any ``_name`` segment), which import-linter's
contract types do not express, and a walker adds no dependency and runs in
milliseconds.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADAPTERS = ROOT / "adapters"


def imports(file: Path) -> Iterator[tuple[int, str]]:
    """``(line, module)`` for every import in ``file``, relative ones left out."""
    for node in ast.walk(ast.parse(file.read_text(), str(file))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            yield from ((node.lineno, f"{node.module}.{a.name}") for a in node.names)


def private_core(module: str) -> bool:
    """``careerbot_chat._x`` or ``careerbot_chat.sub._x``: a name adapters must not use."""
    parts = module.split(".")
    return parts[0] == "careerbot_chat" and any(p.startswith("_") for p in parts[1:])


def test_adapters_import_only_public_core_names() -> None:
    """No module under adapters/ imports a private module or name of careerbot_chat."""
    files = sorted(ADAPTERS.rglob("*.py"))
    assert files
    found = [
        f"{file.relative_to(ROOT)}:{line}: {module}"
        for file in files
        for line, module in imports(file)
        if private_core(module) and not module.endswith(".__version__")
    ]
    assert found == []


def test_the_walker_sees_private_imports(tmp_path: Path) -> None:
    """The check above would notice each form of a private import."""
    file = tmp_path / "bad.py"
    file.write_text(
        "import careerbot_chat._errors\n"
        "from careerbot_chat.service._settings import Settings\n"
        "from careerbot_chat.service import _metrics\n"
        "from careerbot_chat import adapter\n"
    )
    flagged = [module for _, module in imports(file) if private_core(module)]
    assert flagged == [
        "careerbot_chat._errors",
        "careerbot_chat.service._settings",
        "careerbot_chat.service._settings.Settings",
        "careerbot_chat.service._metrics",
    ]
