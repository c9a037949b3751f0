"""The import graph of the two apps has no circle (issue 19).

Walks the source with `ast` (nothing is imported), so a circle hidden behind a
function-local import counts as much as one at the top of a module. Imports under
`if TYPE_CHECKING:` are left out: they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("plans", "committees")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            modules[module_name(path)] = path
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the modules of the two apps it imports (at run time)."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                # `from plans import models` imports the module plans.models.
                candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for candidate in candidates:
                if candidate in modules and candidate != name:
                    targets.add(candidate)
                    if not isinstance(node, ast.Import):
                        break
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def strongconnect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                strongconnect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            strongconnect(node)
    return found


def layer(module: str) -> str:
    """The apps as layers: committees' models sit below plans, the rest of committees
    (forms, views, the iCal feed) above it."""
    if module == "committees.models":
        return "committees.models"
    return module.split(".")[0]


def test_the_graph_sees_a_function_local_import(tmp_path: Path) -> None:
    # The walker itself: a cycle through a local import is found, a TYPE_CHECKING one not.
    (tmp_path / "a.py").write_text("def f():\n    import b\n")
    (tmp_path / "b.py").write_text("import a\n")
    (tmp_path / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n"
    )
    modules = {path.stem: path for path in tmp_path.glob("*.py")}
    graph = {
        name: {
            alias.name
            for node in _runtime_imports(ast.parse(path.read_text()))
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        for name, path in modules.items()
    }
    assert cycles(graph) == [["a", "b"]]
    assert graph["c"] == set()


def test_no_circle_between_modules() -> None:
    graph = import_graph(source_modules())
    assert graph["plans.extracts"], "the walker found no imports at all"
    assert cycles(graph) == []


def test_no_circle_between_the_apps() -> None:
    graph = import_graph(source_modules())
    layers: dict[str, set[str]] = {}
    for source, targets in graph.items():
        for target in targets:
            if layer(source) != layer(target):
                layers.setdefault(layer(source), set()).add(layer(target))
    assert cycles(layers) == []
    assert "committees.models" not in layers, "committees' models import plans code"


def test_plans_imports_only_the_committee_models() -> None:
    graph = import_graph(source_modules())
    reaching = sorted(
        f"{source} -> {target}"
        for source, targets in graph.items()
        if source.startswith("plans")
        for target in targets
        if target.startswith("committees") and target != "committees.models"
    )
    assert reaching == []
