"""The README's configuration table names real settings."""

from __future__ import annotations

import re
from pathlib import Path

from coach.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_documented_variable_is_a_setting() -> None:
    section = README.read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `COACH_([A-Z_]+)`", section, flags=re.MULTILINE)
    assert len(documented) >= 20
    unknown = [name for name in documented if name.lower() not in Settings.model_fields]
    assert unknown == []
