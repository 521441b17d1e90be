"""Tables in indexed text, as rows with their header.

Markdown tables keep their pipes (`| Room | Seats |`), and HTML tables are indexed as
`Room | Seats` lines (see knowledge.loaders); both are read here as a header and rows, so a
row can be read, cited and quoted with the header that gives its cells a meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]

    def describe(self, row: list[str]) -> str:
        """A row as a sentence a reader can follow: "Tamarind — Seats: 40; Equipment: projector"."""
        pairs = [
            f"{name}: {cell}"
            for name, cell in zip(self.header[1:], row[1:], strict=False)
            if cell.strip()
        ]
        return f"{row[0]} — {'; '.join(pairs)}" if pairs else row[0]


def cells(line: str) -> list[str] | None:
    """The cells of a table line, or None when the line is not one."""
    if "|" not in line or _SEPARATOR.match(line):
        return None
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    parts = [c.strip().replace("**", "") for c in stripped.split("|")]
    return parts if len(parts) >= 2 else None


def split_tables(text: str) -> list[str | Table]:
    """`text` as its prose blocks and tables, in order. Two or more table lines in a row make
    a table; the first is its header."""
    blocks: list[str | Table] = []
    prose: list[str] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        run: list[list[str]] = []
        while index < len(lines):
            line = lines[index]
            if _SEPARATOR.match(line) and run:
                index += 1
                continue
            row = cells(line)
            if row is None:
                break
            run.append(row)
            index += 1
        if len(run) >= 2:
            if prose:
                blocks.append("\n".join(prose))
                prose = []
            blocks.append(Table(header=run[0], rows=run[1:]))
            continue
        prose.extend(" | ".join(r) for r in run)
        if index < len(lines):
            prose.append(lines[index])
            index += 1
    if prose:
        blocks.append("\n".join(prose))
    return blocks
