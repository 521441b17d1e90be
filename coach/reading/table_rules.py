"""Rules in tables, row by row: each cell is read with its column's header, and the first cell
names what the row is about (a room, a format or a part of a session)."""

from __future__ import annotations

import re
from dataclasses import replace

from coach.reading import cues
from coach.reading.quantities import find_quantities, normalise
from coach.reading.rules import Rule, RuleKind, action_of, read_sentence
from coach.reading.tables import Table


def read_table(table: Table, *, dollar: str = "USD") -> list[Rule]:
    """Rules in a table, row by row: each cell is read with its column's header, and the first
    cell names what the row is about (a room or a format)."""
    found: list[Rule] = []
    if any(_HISTORY_HEADER.search(h) for h in table.header):
        return []  # a log of what happened (dates, months), not rules
    first_header = table.header[0].lower() if table.header else ""
    rows_are_rooms = bool(re.search(r"room|venue|space|location|where|name", first_header))
    rows_are_parts = bool(cues.PART.search(first_header))
    approver_column = next((i for i, h in enumerate(table.header) if cues.APPROVAL.search(h)), None)
    for row in table.rows:
        text = table.describe(row)
        subject = row[0].strip()
        for index, (header, cell) in enumerate(
            zip(table.header[1:], row[1:], strict=False), start=1
        ):
            if index == approver_column:
                continue
            for rule in read_cell(header, cell, row_subject=subject, dollar=dollar):
                if rows_are_parts and rule.kind in ("max_duration", "min_duration"):
                    rule = replace(rule, kind="part_duration", subject=subject)
                if approver_column is not None and rule.kind in ("budget", "approval_threshold"):
                    approver = row[approver_column] if approver_column < len(row) else None
                    rule = replace(rule, kind="approval_threshold", approver=approver)
                extra = {"subject": subject, "room": True} if rows_are_rooms else {}
                found.append(
                    # A row of a table of formats binds its own format (scoped), as a sentence
                    # listing several formats' limits does.
                    replace(
                        rule,
                        text=text,
                        format=None if rows_are_rooms else subject,
                        scoped=not rows_are_rooms,
                        **extra,  # type: ignore[arg-type]
                    )
                )
    return found


_HISTORY_HEADER = re.compile(r"^\s*(?:date|when|month|year|held(?:\s+on)?|week|day)\s*$", re.I)
_CAPACITY_HEADER = re.compile(
    r"seat|capacity|people|attendees|participants|group\s*size|headcount|pax|places|holds|"
    r"fits|max(?:imum)?\s+(?:group|size|number|audience)|audience|in[\s-]person|in\s+the\s+room",
    re.IGNORECASE,
)
_LENGTH_HEADER = re.compile(
    r"length|duration|how\s+long|longest|time\s+limit|minutes|\bmins?\b|hours", re.I
)
_LEAD_HEADER = re.compile(r"notice|lead|ahead|advance|book(?:ing)?\s+by|before", re.IGNORECASE)


def read_cell(header: str, cell: str, *, row_subject: str = "", dollar: str = "USD") -> list[Rule]:
    """One table cell read with its header: "Max length" + "45 min" is a length limit."""
    text = normalise(cell)
    quantities = find_quantities(text, dollar=dollar)
    if not quantities:
        return []
    q = quantities[0]
    lowered = header.lower()
    minimum = bool(
        re.search(r"\bmin(?:imum)?\b|at\s+least", lowered)
        or re.search(r"\bminimum\b|at\s+least", text.lower())
    )
    if q.dimension in ("number", "people") and (
        cues.PER_FACILITATOR.search(f"{row_subject} {header}")
        or re.match(rf"\s*(?:per\s+)?{cues.FACILITATOR}\b", row_subject, re.IGNORECASE)
    ):
        return [Rule("per_facilitator", cell, value=q.value, unit="person")]
    if _CAPACITY_HEADER.search(header) and q.dimension in ("number", "people"):
        return [Rule("capacity", cell, value=q.value, unit="person")]
    if _LEAD_HEADER.search(header) and q.dimension == "duration":
        return [Rule("lead_time", cell, value=q.value, unit=q.unit, subject=action_of(header))]
    if _LENGTH_HEADER.search(header) and (
        q.dimension == "number" or (q.dimension == "duration" and q.unit == "minute")
    ):
        factor = 60 if q.dimension == "number" and re.search(r"hour|\bh\b", lowered) else 1
        kind: RuleKind = "min_duration" if minimum else "max_duration"
        return [Rule(kind, cell, value=q.value * factor, unit="minute")]
    # Otherwise the row, header and cell read as one sentence: "Break every" + "90 min".
    sentence = f"{row_subject}: {header} {cell}" if row_subject else f"{header} {cell}"
    return [replace(r, text=cell) for r in read_sentence(sentence, dollar=dollar)]
