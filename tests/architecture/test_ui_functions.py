"""The UI is built from small functions: one per panel, one per handler, each short enough to
read at a glance (style notes: a function over ~50 lines is asking to be split)."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
MAX_LINES = 50


def test_every_ui_function_is_under_fifty_lines() -> None:
    long = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_LINES:
                    long.append(f"ui/{path.relative_to(UI)}:{node.lineno} {node.name} ({length})")
    assert long == []
