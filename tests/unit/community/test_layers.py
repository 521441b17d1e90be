"""The community's domain layer stays a domain layer: no door, no database, no knowledge package
(the library is reached through a port), no web framework."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "coach" / "community"
FORBIDDEN = (
    "api", "ui", "wiring", "knowledge", "coach.services", "coach.adapters", "coach.cli",
    "sqlalchemy", "alembic", "fastapi", "starlette", "gradio", "uvicorn",
)  # fmt: skip


def test_the_community_package_imports_no_door_database_or_knowledge_package() -> None:
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [
                f"{path.name}:{node.lineno} {name}"
                for name in names
                if any(name == f or name.startswith(f"{f}.") for f in FORBIDDEN)
            ]
    assert found == []
