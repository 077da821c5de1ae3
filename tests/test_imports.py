"""The package's layout: imports flow one way, cli -> pipeline -> stages -> store/records.

Every import of every module is read with ``ast`` (those inside functions and
``TYPE_CHECKING`` blocks too: a late import only hides a cycle). Importing
``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` first, so it counts as an
import of those packages as well, unless the importer is inside them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "briefing"
STAGES = {"ingest", "events", "summarize", "check", "publish", "store", "localmodels"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: Iterable[str]) -> set[str]:
    """Return the briefing modules that ``name`` imports (packages run on the way included)."""
    known = set(known)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module
                       for a in node.names]
        else:
            continue
        for target in targets:
            if not target.startswith("briefing"):
                continue
            parts = target.split(".")
            for n in range(1, len(parts) + 1):  # the packages run on the way
                step = ".".join(parts[:n])
                if step in known and not (name == step or name.startswith(step + ".")):
                    found.add(step)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(name, path, mods) for name, path in mods.items()}


def unit(module: str) -> str:
    """The top-level part a module belongs to: a subpackage, or a top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "briefing"


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """Return one cycle of a directed graph as a path ``[a, b, ..., a]``, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_between_modules() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_import_cycle_between_subpackages() -> None:
    units: dict[str, set[str]] = {}
    for module, targets in graph().items():
        units.setdefault(unit(module), set()).update(
            unit(t) for t in targets if unit(t) != unit(module))
    cycle = find_cycle(units)
    assert cycle is None, "import cycle between subpackages: " + " -> ".join(cycle or [])


def test_stages_import_neither_cli_nor_pipeline() -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph().items()
        if unit(module) in STAGES
        for target in targets
        if unit(target) in {"cli", "pipeline", "single", "briefing"}
    )
    assert wrong == []


def test_only_cli_and_main_import_cli() -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph().items()
        if unit(module) not in {"cli", "__main__"}
        for target in targets
        if unit(target) == "cli"
    )
    assert wrong == []


@pytest.mark.parametrize(
    ("edges", "cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"a"}}, ["a", "a"]),
        ({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set()}, None),
    ],
)
def test_find_cycle(edges: dict[str, set[str]], cycle: list[str] | None) -> None:
    assert find_cycle(edges) == cycle


def test_the_walk_sees_relative_late_and_package_imports() -> None:
    edges = graph()
    assert "briefing.summarize.ray_executor" in edges["briefing.summarize.digests"]  # late
    assert "briefing.summarize" in edges["briefing.pipeline"]  # a package run on the way
    assert "briefing.records" in edges["briefing.summarize.backends.chat"]  # relative, ..
