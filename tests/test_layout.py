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


CORE = ROOT / "src" / "careerbot_chat"
MAY_IMPORT = {
    "_errors": set(),
    "messages": set(),
    "catalog": {"_errors"},
    "store": {"_errors"},
    "answering": {"catalog", "chart", "_errors", "messages"},
    "chart": {"answering", "catalog", "_errors", "messages"},
    "service": {"answering", "chart", "catalog", "store", "preview", "_errors", "messages"},
    "preview": {"service", "answering", "chart", "catalog", "store", "_errors", "messages"},
}
"""What each part of the core may import besides itself: adapters → service → store and
answering → catalog → _errors. The top-level ``cli``, ``adapter`` and ``__init__`` may
use every part; nothing in the core imports an adapter or a chat SDK."""
PLATFORM_PACKAGES = ("careerbot_telegram", "careerbot_slack", "telegram", "slack_bolt", "slack_sdk")


def core_imports(file: Path) -> Iterator[tuple[int, str]]:
    """``(line, absolute module)`` for every import in a core ``file``, lazy ones included."""
    parts = ("careerbot_chat", *file.relative_to(CORE).with_suffix("").parts)
    package = parts[:-1]
    for node in ast.walk(ast.parse(file.read_text(), str(file))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join((*base, *(node.module.split(".") if node.module else ())))
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}" if node.module is None else module


def test_core_dependency_direction() -> None:
    """Each part of the core imports only the parts below it, and no platform at all."""
    wrong = []
    for file in sorted(CORE.rglob("*.py")):
        parts = file.relative_to(CORE).with_suffix("").parts
        own = parts[0] if len(parts) > 1 or parts[0] in MAY_IMPORT else None
        for line, module in core_imports(file):
            where = f"{file.relative_to(ROOT)}:{line}: {module}"
            if module.split(".")[0] in PLATFORM_PACKAGES:
                wrong.append(where)
            names = module.split(".")
            if own is None or names[0] != "careerbot_chat" or len(names) < 2:
                continue
            if names[1] != own and names[1] not in MAY_IMPORT[own]:
                wrong.append(where)
    assert wrong == []


def test_every_private_module_declares_its_surface() -> None:
    """Each private module (``_name.py``) has an ``__all__`` naming only what it defines."""
    missing = []
    for file in sorted([*CORE.rglob("_*.py"), *ADAPTERS.rglob("_*.py")]):
        if file.name == "__init__.py":
            continue
        tree = ast.parse(file.read_text())
        defined = {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)
        } | {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        }
        if "__all__" not in defined:
            missing.append(f"{file.relative_to(ROOT)}: no __all__")
            continue
        [declared] = [
            node.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        ]
        names = ast.literal_eval(declared)
        missing += [
            f"{file.relative_to(ROOT)}: {name} not defined" for name in names if name not in defined
        ]
    assert missing == []


def test_core_code_names_no_platform() -> None:
    """No string in the core's code (docstrings aside) names a platform: adapters bring
    their names, settings and words through their registration."""
    named = []
    for file in sorted(CORE.rglob("*.py")):
        tree = ast.parse(file.read_text())
        prose = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        named += [
            f"{file.relative_to(ROOT)}:{node.lineno}: {node.value[:60]!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in prose
            and any(name in node.value.lower() for name in ("telegram", "slack"))
        ]
    assert named == []
