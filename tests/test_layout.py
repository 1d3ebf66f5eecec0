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


def adapter_surface(module: str) -> bool:
    """Whether an adapter may import ``module``: ``careerbot_chat.adapter`` and its names."""
    return module == "careerbot_chat.adapter" or module.startswith("careerbot_chat.adapter.")


def test_adapters_import_only_the_adapter_module() -> None:
    """Modules under adapters/ import from the core only ``careerbot_chat.adapter``."""
    files = sorted(ADAPTERS.rglob("*.py"))
    assert files
    found = [
        f"{file.relative_to(ROOT)}:{line}: {module}"
        for file in files
        for line, module in imports(file)
        if module.split(".")[0] == "careerbot_chat" and not adapter_surface(module)
    ]
    assert found == []


def test_the_adapter_surface_check_refuses_the_rest() -> None:
    """Only the adapter module and its names pass; the package root and subpackages do not."""
    assert adapter_surface("careerbot_chat.adapter")
    assert adapter_surface("careerbot_chat.adapter.Reply")
    assert not adapter_surface("careerbot_chat")
    assert not adapter_surface("careerbot_chat.Reply")
    assert not adapter_surface("careerbot_chat.chart")
    assert not adapter_surface("careerbot_chat.adapters")


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
    "_http": set(),
    "messages": set(),
    "catalog": {"_errors", "messages"},
    "store": {"_errors"},
    "chart": {"catalog", "_errors", "messages"},
    "answering": {"catalog", "chart", "_errors", "messages"},
    "_registry": {"answering", "catalog", "_errors", "messages"},
    "preview": {"_registry", "_http", "answering", "chart", "catalog", "_errors", "messages"},
    "service": {
        "_registry",
        "_http",
        "answering",
        "chart",
        "catalog",
        "store",
        "preview",
        "_errors",
        "messages",
    },
}
"""What each part of the core may import besides itself, from the bottom up:
``_errors`` and ``messages`` → ``catalog`` (content, and how its values read) and
``store`` → ``chart`` → ``answering`` → ``_registry`` (what adapters register) →
``preview`` → ``service``. The server mounts the preview, so ``service`` may import
``preview`` and never the other way round. The top-level ``cli``, ``adapter`` and
``__init__`` may use every part; nothing in the core imports an adapter or a chat SDK."""
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


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module → the modules of the same package it imports, wherever the import stands:
    at the top, inside a function (a lazy import) or under ``if TYPE_CHECKING:``.

    ``from . import _cards`` is an edge to the module ``_cards`` when there is one,
    else to the package; relative imports are resolved against the importing module.
    """
    files = {}
    for file in sorted(root.rglob("*.py")):
        parts = (package, *file.relative_to(root).with_suffix("").parts)
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = file
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, file in files.items():
        here = name.split(".") if file.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(file.read_text(), str(file))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = here[: len(here) - node.level + 1] if node.level else []
                module = ".".join([*base, *(node.module.split(".") if node.module else [])])
                targets = [
                    f"{module}.{alias.name}" if f"{module}.{alias.name}" in files else module
                    for alias in node.names
                ]
            else:
                continue
            graph[name] |= {target for target in targets if target in files and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_import_cycles_among_core_modules() -> None:
    """No module of the core imports, even lazily or only for type checking, a module
    that imports it back (directly or around a longer loop)."""
    graph = import_graph(CORE, "careerbot_chat")
    assert len(graph) > 40
    assert cycles(graph) == []


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    """Lazy, type-checking and relative imports each make an edge, and a loop is found."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from .sub import _b\n")
    (package / "sub" / "_b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..c import X\n"
    )
    (package / "c.py").write_text("import pkg.a\n")
    (package / "d.py").write_text("from . import c\n")
    graph = import_graph(package, "pkg")
    assert graph["pkg.a"] == {"pkg.sub._b"}
    assert graph["pkg.sub._b"] == {"pkg.c"}
    assert graph["pkg.c"] == {"pkg.a"}
    assert graph["pkg.d"] == {"pkg.c"}
    assert cycles(graph) == [["pkg.a", "pkg.c", "pkg.sub._b"]]


def test_the_rooms_of_the_core_stack_one_way() -> None:
    """``MAY_IMPORT`` itself has no loop: the parts of the core form layers."""
    placed: list[str] = []
    left = dict(MAY_IMPORT)
    while left:
        ready = sorted(part for part, below in left.items() if below <= set(placed))
        assert ready, f"these parts import each other: {sorted(left)}"
        placed += ready
        for part in ready:
            del left[part]
    assert set(placed) == set(MAY_IMPORT)
