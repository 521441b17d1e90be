"""The arrows of docs/architecture.md hold: every rule passes on the source tree, and the same
check names the file, the line and the rule when a wrong import is added to a copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.architecture.import_rules import (
    CHECKED,
    PARTS,
    imports_in,
    part_arrows,
    violations,
)

ROOT = Path(__file__).resolve().parents[2]

# The picture in docs/architecture.md: who may import whom, between the parts.
DRAWN = {
    ("wiring", "api"),
    ("wiring", "ui"),
    ("wiring", "mcp_server"),
    ("wiring", "coach"),
    ("wiring", "knowledge"),
    ("api", "coach"),
    ("ui", "coach"),
    ("mcp_server", "coach"),
    ("knowledge", "coach"),
}


def test_the_source_tree_keeps_every_import_rule() -> None:
    assert violations(ROOT) == []


def test_the_check_reads_the_real_imports() -> None:
    """Not a vacuous pass: it sees the arrows that must be there."""
    found = {(i.importer, i.imported) for i in imports_in(ROOT)}
    assert ("api.routes.chat", "coach.chat") in found
    assert ("ui.chat_tab", "coach.services") in found
    assert ("wiring.services", "coach.adapters.sql.tickets") in found
    assert ("knowledge.ingest", "coach.store") in found
    assert ("mcp_server.tools", "coach.services") in found
    assert ("wiring.app", "mcp_server.http") in found
    assert ("wiring.stdio", "mcp_server.stdio") in found


def test_the_parts_import_only_along_the_drawn_arrows() -> None:
    assert part_arrows(ROOT) <= DRAWN


def test_coach_and_knowledge_no_longer_import_each_other() -> None:
    arrows = part_arrows(ROOT)
    assert ("knowledge", "coach") in arrows
    assert ("coach", "knowledge") not in arrows


def test_the_drawn_arrows_have_no_cycle() -> None:
    remaining = set(PARTS)
    while remaining:  # peel off parts nothing remaining imports
        free = {p for p in remaining if not any((q, p) in DRAWN for q in remaining)}
        assert free, f"a cycle among {sorted(remaining)}"
        remaining -= free


def _copy_of_the_tree(target: Path) -> Path:
    """The Python files of every checked package, as they are."""
    for package in CHECKED:
        for source in (ROOT / package).rglob("*.py"):
            copy = target / source.relative_to(ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
    return target


def _add_lines(root: Path, file: str, text: str) -> int:
    """Append `text` to a file; the number of its last line."""
    path = root / file
    lines = [*path.read_text(encoding="utf-8").splitlines(), *text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


WRONG_IMPORTS = [
    # (file, line added at its end, what the violation must say)
    ("ui/chat_tab.py", "from api.deps import ServicesDep", "ui (the Gradio door) never imports"),
    ("api/routes/chat.py", "from ui.render import inert", "api (the HTTP door) never imports"),
    (
        "api/routes/chat.py",
        "from mcp_server.schemas import Citation",
        "api (the HTTP door) never imports",
    ),
    ("mcp_server/tools.py", "from api.auth import CurrentUser", "mcp_server (the MCP door)"),
    ("mcp_server/tools.py", "from ui.render import inert", "mcp_server (the MCP door)"),
    ("ui/chat_tab.py", "from mcp_server.tools import Caller", "ui (the Gradio door) never"),
    ("coach/services/search.py", "from mcp.server import MCPServer", "no web framework in coach"),
    (
        "api/routes/escalations.py",
        "from coach.adapters.sql.models import Escalation",
        "only the composition root (wiring) imports the adapters",
    ),
    ("coach/services/tickets.py", "from sqlalchemy import select", "only the SQL adapters"),
    ("coach/chat.py", "import knowledge.ingest", "coach is the brain and the use cases"),
    ("coach/services/plans.py", "import fastapi", "no web framework in coach"),
    (
        "knowledge/ingest.py",
        "from coach.services import Services",
        "knowledge uses the coach's store interface",
    ),
    (
        "coach/cli.py",
        "from wiring.app import create_app",
        "coach.cli only starts things: it imports them inside its commands",
    ),
    (
        "coach/cli.py",
        "def _start() -> None:\n    from api.app import build_api",
        "coach.cli reaches the doors through the composition root",
    ),
    ("evals/harness.py", "from api.deps import ServicesDep", "the tools (evals, bench, soak)"),
]


@pytest.mark.parametrize(("file", "wrong", "rule"), WRONG_IMPORTS)
def test_a_wrong_import_fails_with_its_file_line_and_rule(
    tmp_path: Path, file: str, wrong: str, rule: str
) -> None:
    root = _copy_of_the_tree(tmp_path)
    assert violations(root) == []
    line = _add_lines(root, file, wrong)
    found = violations(root)
    assert len(found) == 1, found
    assert found[0].startswith(f"{file}:{line}")
    assert rule in found[0]


def test_the_command_line_may_import_what_it_starts_inside_a_command(tmp_path: Path) -> None:
    root = _copy_of_the_tree(tmp_path)
    _add_lines(root, "coach/cli.py", "def _start() -> None:\n    from wiring.app import create_app")
    assert violations(root) == []
