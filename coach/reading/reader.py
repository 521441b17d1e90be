"""Read every rule in a passage of a guide: its tables row by row, its other lines sentence by
sentence, each sentence with the next one (which may finish it: "Anything higher needs…")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from coach.reading.rules import Rule, read_sentence
from coach.reading.table_rules import read_table
from coach.reading.tables import Table, split_tables


def read_text(text: str, *, source: str = "", title: str = "", dollar: str = "USD") -> list[Rule]:
    """Every rule in a passage: its tables row by row, its other lines sentence by sentence."""
    found: list[Rule] = []
    for block in split_tables(text):
        if isinstance(block, Table):
            found.extend(read_table(block, dollar=dollar))
            continue
        pieces = list(_statements(block))
        for index, sentence in enumerate(pieces):
            following = pieces[index + 1] if index + 1 < len(pieces) else ""
            found.extend(read_sentence(sentence, following=following, dollar=dollar))
    return [replace(r, source=source, title=title) for r in found]


_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(*])|\n+")


def _statements(text: str) -> Iterator[str]:
    """Sentences and list items, without Markdown decoration; headings are skipped."""
    for line in _SPLIT.split(text):
        if line.lstrip().startswith("#"):
            continue
        line = re.sub(r"^\s*(?:[-*+•]|\d+[.)])\s*", "", line).replace("**", "").replace("__", "")
        line = line.strip()
        if len(line.split()) >= 2:
            yield line
