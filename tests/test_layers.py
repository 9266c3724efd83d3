"""The house's walls, checked from the code's own imports (`make lint` runs this file):

    ui | cli | reports  ->  workspace (the facade)  ->  store | sources | formats  ->  domain

- no import cycle between modules (imports inside functions count; `if TYPE_CHECKING:` ones do not);
- SQL only in listener_app.store;
- each package imports only the packages below it (listener_app itself and listener_app.paths are
  leaves anyone may use; eval measures the domain; the demo and data folders are not code).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "listener_app"
SQL = re.compile(
    r"^\s*(SELECT\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|"
    r"CREATE\s+(TABLE|INDEX|VIRTUAL|TRIGGER|VIEW|UNIQUE|TEMP)|DROP\s+(TABLE|INDEX|TRIGGER|VIEW)|"
    r"ALTER\s+TABLE|PRAGMA\s|WITH\s+\w+|REPLACE\s+INTO)"
)
LEAVES = {"listener_app", "listener_app.paths", "listener_app.__main__"}
MAY_IMPORT = {
    "domain": set(),
    "store": {"domain"},
    "formats": {"domain"},
    "sources": {"domain"},
    "workspace": {"domain", "store", "formats", "sources"},
    "reports": {"domain", "workspace", "formats"},
    "cli": {"domain", "workspace", "formats", "sources", "reports", "ui"},
    "ui": {"domain", "workspace", "formats", "sources", "reports"},
    "eval": {"domain"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _owner(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _checked_only(tree: ast.AST) -> set[int]:
    """Nodes under `if TYPE_CHECKING:` (imports for type hints only)."""
    skipped = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.If)
            and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING"
        ):
            skipped.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return skipped


def _scan() -> tuple[dict[str, set[str]], set[str]]:
    graph: dict[str, set[str]] = {}
    with_sql: set[str] = set()
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _checked_only(tree)
        package_parts = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        deps: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
                with_sql.add(name)
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(
                        package_parts[: len(package_parts) - node.level + 1] + ([base] if base else [])
                    )
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            for target in targets:
                owner = _owner(target) if target.startswith("listener_app") else None
                if owner and owner != name:
                    deps.add(owner)
        graph[name] = deps
    return graph, with_sql


GRAPH, WITH_SQL = _scan()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def _area(name: str) -> str:
    return name.split(".")[1] if name.count(".") else name


def test_no_import_cycles():
    assert _cycles(GRAPH) == []


def test_sql_lives_only_in_the_store():
    assert sorted(m for m in WITH_SQL if _area(m) != "store") == []


@pytest.mark.parametrize("area", sorted(MAY_IMPORT))
def test_each_package_imports_only_the_packages_below_it(area):
    wrong = sorted(
        f"{module} -> {dep}"
        for module, deps in GRAPH.items()
        if _area(module) == area
        for dep in deps
        if dep not in LEAVES and _area(dep) != area and _area(dep) not in MAY_IMPORT[area]
    )
    assert wrong == []


def test_every_module_belongs_to_a_package_with_rules():
    assert (
        sorted(m for m in MODULES if m not in LEAVES and _area(m) not in MAY_IMPORT and _area(m) != "data")
        == []
    )


def test_the_check_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
