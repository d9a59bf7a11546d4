"""The package's shape: no import cycles, no oversized modules, imports only down the flow.

The import graph is read from the source with `ast`: nothing runs, and a module that fails
to import still shows its imports. An import inside a function is lazy and one under
`if TYPE_CHECKING:` is for typing: neither runs when its module is imported, so only
module-level imports count for cycles and layers. Each test lists every violation it finds.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "beautycity"
MAX_LINES = 400

# The flow, bottom first, by the first name under beautycity/ (a package or a single module;
# "__init__" is beautycity/__init__.py). A module may import from its own layer and the ones
# before it; `cli` reaches the heavy layers only inside its commands.
LAYERS = [
    ["__init__", "texts", "problems", "resources", "io"],
    ["methods"],
    ["scheme"],
    ["cities"],
    ["workbook"],
    ["submission"],
    ["assessment"],
    ["outputs"],
    ["report"],
    ["sample_data", "workspace", "pipeline", "demo"],
    ["web"],
    ["cli", "console", "__main__"],
]
CHARTS = "beautycity.report.charts"
CHARTS_MAY_USE = {"beautycity.texts"}  # charts take plain data, and their labels from texts
HEAVY = {"pandas", "numpy", "weasyprint", "jinja2", "openpyxl"}


@dataclass(frozen=True)
class Import:
    source: str  # importing module, e.g. "beautycity.report.city"
    target: str  # imported module of the package, e.g. "beautycity.cities"
    line: int
    kind: str  # "module", "lazy" (inside a function) or "typing" (under TYPE_CHECKING)

    def __str__(self) -> str:
        kind = "" if self.kind == "module" else f" ({self.kind})"
        return f"{_path(self.source)}:{self.line} imports {self.target}{kind}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _sources() -> dict[str, Path]:
    files = (p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts)
    return {_module_name(p): p for p in files}


def _path(module: str) -> str:
    return _sources()[module].relative_to(PACKAGE.parent).as_posix()


def _known(name: str) -> str | None:
    """The module of the package that importing `name` runs: the longest known prefix."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in _sources():
            return candidate
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.kind = "module"
        self.found: list[Import] = []

    def _as(self, kind: str, body: list[ast.stmt]) -> None:
        outer = self.kind
        if outer == "module":
            self.kind = kind
        for node in body:
            self.visit(node)
        self.kind = outer

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._as("lazy", node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            self._as("typing", node.body)
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def _add(self, target: str | None, node: ast.stmt) -> None:
        if target is None or target == self.module:
            return
        found = Import(self.module, target, node.lineno, self.kind)
        if found not in self.found:  # one entry for `from .x import a, b`
            self.found.append(found)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(_known(alias.name), node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - node.level + 1]
            name = ".".join([*base, node.module] if node.module else base)
        else:
            name = node.module or ""
        for alias in node.names:
            # `from . import methods` imports a submodule; `from .x import f` the module x.
            submodule = f"{name}.{alias.name}"
            self._add(submodule if submodule in _sources() else _known(name), node)


@cache
def imports() -> tuple[Import, ...]:
    found: list[Import] = []
    for module, path in _sources().items():
        collector = _Collector(module, path.name == "__init__.py")
        collector.visit(ast.parse(path.read_text("utf-8"), filename=str(path)))
        found += collector.found
    return tuple(found)


def _report(title: str, violations: list[str]) -> None:
    if violations:
        pytest.fail(f"{title} ({len(violations)}):\n  " + "\n  ".join(violations), pytrace=False)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One shortest cycle through the smallest module of each strongly connected component."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan; the package is far too small to overflow the stack
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                component.add(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph[node]:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)

    cycles = []
    for component in sorted(components, key=min):
        start = min(component)
        paths = {start: [start]}
        queue = [start]
        while queue:
            node = queue.pop(0)
            for nxt in sorted(graph[node] & component):
                if nxt == start:
                    cycles.append([*paths[node], start])
                    queue = []
                    break
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    queue.append(nxt)
    return cycles


def test_no_import_cycles():
    graph: dict[str, set[str]] = {module: set() for module in _sources()}
    for imp in imports():
        if imp.kind == "module":
            graph[imp.source].add(imp.target)
    cycles = [" → ".join(cycle) for cycle in _cycles(graph)]
    _report("import cycles among module-level imports", cycles)


def test_modules_are_small():
    too_long = []
    for module, path in _sources().items():
        lines = len(path.read_text("utf-8").splitlines())
        if lines > MAX_LINES:
            too_long.append(f"{_path(module)}: {lines} lines")
    _report(f"modules over {MAX_LINES} lines", too_long)


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_imports_follow_the_flow():
    rank = {name: i for i, layer in enumerate(LAYERS) for name in layer}
    violations = sorted(
        f"{_path(m)}: beautycity/{_layer(m)} is in no layer of LAYERS"
        for m in _sources()
        if _layer(m) not in rank
    )
    for imp in imports():
        source, target = _layer(imp.source), _layer(imp.target)
        if imp.kind == "module" and rank.get(target, -1) > rank.get(source, len(LAYERS)):
            violations.append(f"{imp}: {target} comes after {source} in LAYERS")
    _report("module-level imports against the flow", violations)


def test_charts_take_plain_data():
    violations = [
        str(imp)
        for imp in imports()
        if imp.source.startswith(CHARTS)
        and not (imp.target == CHARTS or imp.target.startswith(CHARTS + "."))
        and imp.target not in CHARTS_MAY_USE
    ]
    _report(f"{CHARTS} imports from beautycity beyond {sorted(CHARTS_MAY_USE)}", violations)


def test_cli_starts_without_heavy_libraries():
    # `-X importtime` lists every module imported, one per line on stderr:
    # "import time: self [us] | cumulative | imported package".
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import beautycity.cli"],
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    loaded = {
        line.rpartition("|")[2].strip().partition(".")[0]
        for line in run.stderr.splitlines()
        if line.startswith("import time:")
    }
    _report("`import beautycity.cli` imports heavy libraries", sorted(HEAVY & loaded))
