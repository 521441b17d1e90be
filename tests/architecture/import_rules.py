"""The allowed arrows between the parts (docs/architecture.md), as rules over the imports the
source files declare, read with `ast` (nothing is imported to check them).

An import inside a function body is "deferred": it runs only when the function does. The
command line (`coach.cli`) may import what it starts that way, and only that way.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CHECKED = ("coach", "knowledge", "api", "ui", "mcp_server", "wiring", "evals", "bench", "soak")
TOOLS = ("evals", "bench", "soak")
DOORS = ("api", "ui", "mcp_server")
# Web frameworks and the MCP SDK (a server on Starlette, and its protocol types) are the doors'.
WEB = ("fastapi", "starlette", "gradio", "uvicorn", "mcp", "mcp_types")
WEB_SERVERS = ("fastapi", "starlette", "uvicorn", "mcp")  # what the Gradio door has no use for


@dataclass(frozen=True)
class Import:
    importer: str  # the importing module, e.g. "ui.chat_tab"
    imported: str  # e.g. "api.deps"
    path: str  # of the importing file, relative to the root
    line: int
    deferred: bool  # inside a function body


@dataclass(frozen=True)
class Rule:
    name: str
    importers: tuple[str, ...]  # modules (with their submodules) the rule is about
    forbidden: tuple[str, ...]  # what they may not import (with submodules)
    exempt: tuple[str, ...] = ()  # importers the rule leaves out
    deferred_allowed: bool = False  # imports inside functions are fine
    allowed: tuple[str, ...] = ()  # parts of the forbidden packages that may be imported

    def broken_by(self, found: Import) -> bool:
        return (
            within(found.importer, self.importers)
            and not within(found.importer, self.exempt)
            and within(found.imported, self.forbidden)
            and not within(found.imported, self.allowed)
            and not (self.deferred_allowed and found.deferred)
        )


RULES = (
    Rule(
        "coach is the brain and the use cases: it never imports a door, the composition "
        "root, the knowledge package or the tools (only its command line starts them)",
        importers=("coach",),
        exempt=("coach.cli",),
        forbidden=(*DOORS, "wiring", "knowledge", "coach.cli", *TOOLS, "tests"),
    ),
    Rule(
        "coach.cli only starts things: it imports them inside its commands",
        importers=("coach.cli",),
        forbidden=(*DOORS, "wiring", "knowledge", *TOOLS, "tests"),
        deferred_allowed=True,
    ),
    Rule(
        "coach.cli reaches the doors through the composition root (wiring)",
        importers=("coach.cli",),
        forbidden=DOORS,
    ),
    Rule(
        "no web framework in coach: HTTP, Gradio and MCP are doors",
        importers=("coach",),
        forbidden=WEB,
    ),
    Rule(
        "only the SQL adapters speak SQL (SQLAlchemy, Alembic)",
        importers=CHECKED,
        exempt=("coach.adapters.sql",),
        forbidden=("sqlalchemy", "alembic"),
    ),
    Rule(
        "only the composition root (wiring) imports the adapters; everyone else sees the ports",
        importers=CHECKED,
        exempt=("coach.adapters", "wiring"),
        forbidden=("coach.adapters",),
    ),
    Rule(
        "api (the HTTP door) never imports another door, the composition root or the "
        "knowledge package",
        importers=("api",),
        forbidden=("ui", "mcp_server", "wiring", "knowledge", "gradio", "coach.cli"),
    ),
    Rule(
        "ui (the Gradio door) never imports another door, the composition root or the "
        "knowledge package",
        importers=("ui",),
        forbidden=("api", "mcp_server", "wiring", "knowledge", *WEB_SERVERS, "coach.cli"),
    ),
    Rule(
        "mcp_server (the MCP door) never imports another door, the composition root or the "
        "knowledge package",
        importers=("mcp_server",),
        forbidden=("api", "ui", "wiring", "knowledge", "fastapi", "gradio", "coach.cli"),
    ),
    Rule(
        "knowledge uses the coach's store interface and readers, never its use cases, "
        "adapters or doors",
        importers=("knowledge",),
        forbidden=(
            "coach.services",
            "coach.adapters",
            "coach.cli",
            *DOORS,
            "wiring",
            *TOOLS,
            *WEB,
        ),
    ),
    Rule(
        "the tools (evals, bench, soak) start the coach through the composition root or over "
        "HTTP, never through a door's insides (the API's public schemas excepted)",
        importers=TOOLS,
        forbidden=DOORS,
        allowed=("api.schemas",),
    ),
)


def within(module: str, packages: Iterable[str]) -> bool:
    return any(module == p or module.startswith(f"{p}.") for p in packages)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(root: Path, name: str) -> bool:
    base = root.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or base.is_dir()


def _absolute(module: str, level: int, target: str | None, is_package: bool) -> str:
    if level == 0:
        return target or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, *([target] if target else [])])


class _Collector(ast.NodeVisitor):
    def __init__(self, root: Path, path: Path) -> None:
        self.root = root
        self.path = path
        self.module = module_name(root, path)
        self.is_package = path.name == "__init__.py"
        self.depth = 0
        self.found: list[Import] = []

    def _add(self, imported: str, node: ast.stmt) -> None:
        relative = self.path.relative_to(self.root).as_posix()
        self.found.append(Import(self.module, imported, relative, node.lineno, self.depth > 0))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = _absolute(self.module, node.level, node.module, self.is_package)
        self._add(base, node)
        for alias in node.names:  # `from coach import services` imports coach.services
            if _is_module(self.root, f"{base}.{alias.name}"):
                self._add(f"{base}.{alias.name}", node)


def imports_in(root: Path, packages: Iterable[str] = CHECKED) -> Iterator[Import]:
    """Every import declared by the Python files of `packages` under `root`."""
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            collector = _Collector(root, path)
            collector.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
            yield from collector.found


def violations(root: Path, rules: Iterable[Rule] = RULES) -> list[str]:
    """'path:line: importer imports imported — rule', for every import a rule forbids."""
    rules = list(rules)
    return [
        f"{found.path}:{found.line}: {found.importer} imports {found.imported} — {rule.name}"
        for found in imports_in(root)
        for rule in rules
        if rule.broken_by(found)
    ]


PARTS = ("coach", "knowledge", "api", "ui", "mcp_server", "wiring")


def part_of(module: str) -> str | None:
    return next((p for p in PARTS if within(module, (p,))), None)


def part_arrows(root: Path) -> set[tuple[str, str]]:
    """Which part imports which, counting what runs when a module is imported (so not the
    command line's deferred imports)."""
    arrows = set()
    for found in imports_in(root, PARTS):
        if found.deferred and within(found.importer, ("coach.cli",)):
            continue
        source, target = part_of(found.importer), part_of(found.imported)
        if source and target and source != target:
            arrows.add((source, target))
    return arrows
