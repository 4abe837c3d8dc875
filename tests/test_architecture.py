"""Architecture rules checked from the source with ``ast`` (no import of the code under test).

The library's module-level imports form no cycle, the library never imports the command
line's libraries, and every import sits at the top of its module. ``lint-imports`` (see
``[tool.importlinter]`` in pyproject.toml) checks the layers on top of this.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "clusterer"
CLI = ROOT / "cli"
CLI_ONLY = frozenset({"click", "rich", "cluster_cli", "cli"})


def module_name(path: Path, package_dir: Path, package: str) -> str:
    """The dotted name of the module in ``path`` (a package's ``__init__`` is the package)."""
    parts = [package, *path.relative_to(package_dir).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def library_modules() -> dict[str, Path]:
    return {module_name(p, LIBRARY, "clusterer"): p for p in sorted(LIBRARY.rglob("*.py"))}


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def is_type_checking(node: ast.stmt) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_level_imports(
    body: list[ast.stmt], *, type_checking: bool = False
) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports outside any function or class: top level, or in a top-level if/try/with block.

    Those under ``if TYPE_CHECKING:`` never run and are left out unless ``type_checking``.
    """
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If | ast.Try | ast.With):
            if is_type_checking(node) and not type_checking:
                continue
            for field in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(node, field, []):
                    inner = child.body if isinstance(child, ast.ExceptHandler) else [child]
                    yield from module_level_imports(inner, type_checking=type_checking)


def nested_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports inside a function or class body."""
    top = {id(node) for node in module_level_imports(tree.body, type_checking=True)}
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top
    ]


def imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Absolute names an import statement names (``from X import y`` gives ``X`` and ``X.y``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph() -> dict[str, set[str]]:
    """Library module -> library modules it imports at module level."""
    modules = library_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        graph[name] = {
            target
            for node in module_level_imports(parse(path).body)
            for target in imported_names(node, name, is_package)
            if target in modules and target != name
        }
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as ``[a, b, ..., a]``, or ``[]`` when there is none."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        path.pop()
        return []

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return []


def test_find_cycle_reports_a_cycle_and_accepts_a_dag() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_relative_imports_resolve_from_modules_and_packages() -> None:
    [node] = ast.parse("from ..records import Article").body
    assert isinstance(node, ast.ImportFrom)
    names = imported_names(node, "clusterer.ingest.formats", is_package=False)
    assert names == ["clusterer.records", "clusterer.records.Article"]
    [node] = ast.parse("from .decode import decode_bytes").body
    assert isinstance(node, ast.ImportFrom)
    assert imported_names(node, "clusterer.ingest", is_package=True)[0] == "clusterer.ingest.decode"


def test_library_module_imports_form_no_cycle() -> None:
    graph = import_graph()
    assert "clusterer.pipeline" in graph and "clusterer.ingest" in graph
    assert find_cycle(graph) == []


def test_library_never_imports_the_command_line_libraries() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"
        for module, path in library_modules().items()
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in imported_names(node, module, is_package=path.name == "__init__.py")
        if name.partition(".")[0] in CLI_ONLY
    ]
    assert offenders == []


# the entry point loads the command late on purpose: a Ctrl-C while NumPy and scikit-learn load
# must end in one line, not an import traceback (its module doc says so)
LATE_IMPORTS_ALLOWED = {"cli/launch.py"}


def test_imports_are_at_module_top() -> None:
    paths = [*sorted(LIBRARY.rglob("*.py")), *sorted(CLI.rglob("*.py"))]
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in paths
        if str(path.relative_to(ROOT)) not in LATE_IMPORTS_ALLOWED
        for node in nested_imports(parse(path))
    ]
    assert offenders == []
