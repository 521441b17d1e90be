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
        led: list[tuple[Rule, str]] = []
        for index, (sentence, lead, item) in enumerate(pieces):
            following = pieces[index + 1][0] if index + 1 < len(pieces) else ""
            for rule in read_sentence(sentence, following=following, dollar=dollar):
                rule = replace(rule, heading=lead or None, item=item or None)
                found.append(rule)
                if lead and rule.format is None:
                    led.append((rule, lead))
        found = _scoped_by_lead_ins(found, led)
    return [replace(r, source=source, title=title) for r in found]


# Limits that differ from one format to the next.
_PER_FORMAT = ("max_duration", "min_duration", "capacity")


def _scoped_by_lead_ins(found: list[Rule], led: list[tuple[Rule, str]]) -> list[Rule]:
    """A list whose items open with a bold name ("**Quick one**: … Max 10 minutes.") and state
    the same kind of limit for two or more names gives one limit per name, as a sentence
    listing several formats does; a single item's limit stays general."""
    scoped: dict[int, Rule] = {}
    for kind in _PER_FORMAT:
        items = [(rule, lead) for rule, lead in led if rule.kind == kind]
        if len({lead.lower() for _, lead in items}) >= 2:
            scoped |= {id(rule): replace(rule, format=lead, scoped=True) for rule, lead in items}
    return [scoped.get(id(rule), rule) for rule in found]


_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s*")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(*])")
_LEAD_IN = re.compile(r"^(?:\*\*|__)(?P<lead>[^*_\n]{2,60}?)[:.]?(?:\*\*|__)\s*[:—–-]?\s*")


def _statements(text: str) -> Iterator[tuple[str, str, str]]:
    """Sentences and list items, without Markdown decoration, each with the bold name its line
    opens with (a list item's "**Name**:"), if any, and the whole list item when it has more
    than one sentence; headings are skipped."""
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        bullet = _BULLET.match(line)
        line = line[bullet.end() :] if bullet else line
        lead = m.group("lead").strip() if (m := _LEAD_IN.match(line)) else ""
        sentences = [s.replace("**", "").replace("__", "").strip() for s in _SPLIT.split(line)]
        item = " ".join(sentences) if bullet and len(sentences) > 1 else ""
        for sentence in sentences:
            if len(sentence.split()) >= 2:
                yield sentence, lead, item
