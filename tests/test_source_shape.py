"""Checks that keep the source in shape: no import circle, small modules, no copied blocks.

They read the source as text and syntax trees (nothing is imported), so they run in
well under a second and name the offending modules when they fail.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 200
REPEAT_LINES = 6
# Modules that repeat each other's lines by design, and why.
DECLARED_BOILERPLATE: dict[frozenset[str], str] = {
    frozenset({"payments.provider", "payments.stripe_provider"}): (
        "the Stripe provider repeats the signatures of the protocol it implements"
    ),
    frozenset({"orders.handlers.group_claims", "orders.handlers.inventory_ports"}): (
        "the grouped claims repeat the signature of the protocol they implement"
    ),
}


def source_files() -> dict[str, Path]:
    """Dotted module name -> file, for every package under `<part>/src/`."""
    modules = {}
    for path in sorted(ROOT.glob("*/src/**/*.py")):
        if any(part.startswith(".") for part in path.relative_to(ROOT).parts):
            continue
        src = next(p for p in path.parents if p.name == "src")
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """Project modules `module` imports, at any level (including type-checking imports)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            # `from pkg import submodule` depends on the submodule itself.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name in known and name != module}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
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
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def code_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text folded of white space) of each line that is code, not an
    import, a docstring, a comment or lone punctuation."""
    text = path.read_text()
    skipped: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import | ast.ImportFrom) or (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            skipped.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    for number, line in enumerate(text.splitlines(), 1):
        folded = " ".join(line.split())
        if number in skipped or not folded or folded.startswith("#"):
            continue
        if all(char in "()[]{},:" for char in folded):
            continue
        yield number, folded


def repeated_blocks(files: dict[str, Path]) -> list[str]:
    seen: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for module, path in files.items():
        lines = list(code_lines(path))
        for start in range(len(lines) - REPEAT_LINES + 1):
            window = tuple(text for _, text in lines[start : start + REPEAT_LINES])
            seen[window].append((module, lines[start][0]))
    found = []
    for window, places in seen.items():
        if len(places) < 2 or frozenset(m for m, _ in places) in DECLARED_BOILERPLATE:
            continue
        first, *others = places
        # Overlapping windows of one long run inside one module are not a repeat.
        if all(m == first[0] and abs(n - first[1]) < REPEAT_LINES for m, n in others):
            continue
        found.append(", ".join(f"{m}:{n}" for m, n in places) + f" -> {window[0]!r}")
    return found


def test_no_import_circle_among_source_modules() -> None:
    files = source_files()
    graph = {module: imports_of(module, path, set(files)) for module, path in files.items()}
    assert import_cycles(graph) == []


def test_the_checker_finds_a_circle() -> None:
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_source_module_is_over_the_size_limit() -> None:
    too_long = {
        module: count
        for module, path in source_files().items()
        if (count := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


def test_no_block_of_code_is_repeated_in_the_source() -> None:
    assert repeated_blocks(source_files()) == []
