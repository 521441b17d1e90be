"""Who a sentence says approves ("signed off by the budget holder", "larger sums go to X")."""

from __future__ import annotations

import re

# fmt: off
_APPROVER = [
    re.compile(r"(?:approved|signed[\s-]off|authori[sz]ed|okayed|cleared|agreed)\s+by\s+"
               r"(?P<who>[^,.;()]+)", re.I),
    re.compile(r"(?:sign[\s-]?off|approval|ok|okay|green[\s-]light|permission|say[\s-]so|"
               r"blessing)\s+(?:from|of)\s+(?P<who>[^,.;()]+)", re.I),
    re.compile(r"(?:needs?|requires?|go(?:es)?\s+to|ask|check\s+with|escalate\s+(?:it\s+)?to|"
               r"clear\s+(?:it\s+)?with|talk\s+to|contact|email|via)\s+(?P<who>[^,.;()]+)", re.I),
    re.compile(r"(?P<who>\b(?:your|the|a)\s+[\w' &-]+?|\b[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*)*)\s+"
               r"(?:must\s+|has\s+to\s+|needs\s+to\s+|will\s+|should\s+)?"
               r"(?:approves?|signs?[\s-]off|authori[sz]es?|decides?)\b"),
]
# fmt: on
_APPROVER_TAIL = re.compile(
    r"(?:['’]s)?\s*(?:approval|sign[\s-]?off|ok|okay|say[\s-]so|blessing|permission|"
    r"green[\s-]light|first|too|as\s+well|in\s+advance|at\s+least.*|before.*|because.*|"
    r"so\s+.*|and\s+.*|for\s+.*|who\s+.*)$",
    re.IGNORECASE,
)


def approver_in(text: str) -> str | None:
    """Who a sentence says approves: "approved by your director" → "your director"."""
    for pattern in _APPROVER:
        if m := pattern.search(text):
            who = m.group("who").strip()
            for _ in range(3):
                who = _APPROVER_TAIL.sub("", who).strip()
            who = re.sub(r"^(?:an?\s+|the\s+approval\s+of\s+)", "", who, flags=re.I)
            if who and len(who.split()) <= 6 and not re.search(r"\d", who):
                return who
    return None
