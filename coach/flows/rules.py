"""Read the constraints a playbook states ("lasts at most 45 minutes", "book 10 working days
before", "at most 16 participants per facilitator") so plans carry and respect them.

The rules come from the indexed text, never from code: a knowledge folder with other numbers
gives plans with other numbers. Each rule keeps the sentence it came from, for citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from coach.grounding import sentences
from coach.store import Chunk

RuleKind = Literal[
    "max_duration", "min_duration", "capacity", "per_facilitator", "lead_time", "approval",
    "budget", "moderator", "feedback", "recording", "break", "practice_share", "other",
]  # fmt: skip


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    text: str
    source: str
    title: str
    value: float | None = None
    unit: str | None = None  # minute, day, working day, week, person, eur, ...

    def cite(self) -> str:
        return f"{self.text} ({self.title}, `{self.source}`)"


_NUM = r"(\d+(?:[.,]\d+)?)"
_MINUTES = re.compile(rf"{_NUM}\s*(minutes?|mins?|hours?|h)\b", re.IGNORECASE)
_BETWEEN = re.compile(
    rf"between\s+{_NUM}\s+and\s+{_NUM}\s*(minutes?|hours?)"
    rf"|{_NUM}\s*[\u2013-]\s*{_NUM}\s*(minutes?|hours?)",  # 90-180 or 90\u2013180 minutes
    re.IGNORECASE,
)
_AT_MOST = re.compile(r"\b(at most|maximum|max\.?|no (longer|more) than|up to|within)\b", re.I)
_AT_LEAST = re.compile(r"\b(at least|minimum|no (shorter|less) than)\b", re.IGNORECASE)
_PEOPLE = re.compile(
    rf"{_NUM}\s+(?:[\w-]+\s+)?(people|participants|attendees|persons|seats|viewers|guests|mentees)\b",
    re.I,
)
_PER_FACILITATOR = re.compile(rf"{_NUM}\s+\w+\s+per\s+(facilitator|trainer|host)", re.I)
_LEAD = re.compile(
    rf"{_NUM}\s+(working\s+days?|business\s+days?|days?|weeks?|months?)\s+"
    r"(before|ahead|in advance|prior)",
    re.IGNORECASE,
)
_MONEY = re.compile(
    rf"(?:(EUR|GBP|USD|€|£|\$)\s?{_NUM}|{_NUM}\s?(euros?|pounds?|dollars?))", re.IGNORECASE
)
_SESSION_LENGTH = re.compile(r"\b(lasts?|runs? for|duration|long)\b", re.IGNORECASE)
_BREAK = re.compile(rf"break of (?:at least )?{_NUM}\s*minutes?.*?every\s+{_NUM}\s*minutes", re.I)
_PRACTICE = re.compile(rf"{_NUM}\s*%\s+of\s+\w+\s+time\s+practi", re.IGNORECASE)
_MODERATOR = re.compile(r"\b(moderator|co-?host|chat host|second facilitator)\b", re.I)
_FEEDBACK = re.compile(r"\b(feedback|survey|response rate)\b", re.IGNORECASE)
_RECORDING = re.compile(r"\b(record(ing|ed)?|consent)\b", re.IGNORECASE)
_APPROVAL = re.compile(r"\b(approv(al|ed|e)|sign[- ]off)\b", re.IGNORECASE)


def _number(raw: str) -> float:
    return float(raw.replace(",", ""))


def _minutes(value: float, unit: str) -> float:
    return value * 60 if unit.lower().startswith("h") else value


def classify(sentence: str, source: str, title: str) -> list[Rule]:
    """The rules one sentence states: a range gives two, and a catering rule can carry both
    a budget and a lead time."""

    def rule(kind: RuleKind, value: float | None = None, unit: str | None = None) -> Rule:
        return Rule(kind, sentence, source, title, value, unit)

    found: list[Rule] = []
    if (between := _BETWEEN.search(sentence)) and not _LEAD.search(sentence):
        low, high, unit = (g for g in between.groups() if g is not None)
        found.append(rule("min_duration", _minutes(_number(low), unit), "minute"))
        found.append(rule("max_duration", _minutes(_number(high), unit), "minute"))
    elif match := _BREAK.search(sentence):
        found.append(rule("break", _number(match.group(1)), f"minute per {match.group(2)}"))
    elif match := _PRACTICE.search(sentence):
        found.append(rule("practice_share", _number(match.group(1)), "percent"))
    elif (minutes := _MINUTES.search(sentence)) and _SESSION_LENGTH.search(sentence):
        # Only the session's own length: "talks for at most 15 minutes" is not one.
        value = _minutes(_number(minutes.group(1)), minutes.group(2))
        if _AT_MOST.search(sentence) or re.search(r"\blasts\b", sentence):
            found.append(rule("max_duration", value, "minute"))
        elif _AT_LEAST.search(sentence):
            found.append(rule("min_duration", value, "minute"))
    if match := _PER_FACILITATOR.search(sentence):
        found.append(rule("per_facilitator", _number(match.group(1)), "person"))
    elif _MODERATOR.search(sentence):
        people = _PEOPLE.search(sentence) or re.search(rf"more than {_NUM}", sentence)
        found.append(rule("moderator", _number(people.group(1)) if people else None, "person"))
    elif (match := _PEOPLE.search(sentence)) and _AT_MOST.search(sentence + " holds at most"):
        found.append(rule("capacity", _number(match.group(1)), "person"))
    if match := _LEAD.search(sentence):
        unit = re.sub(r"\s+", " ", match.group(2).lower()).rstrip("s")
        kind: RuleKind = "approval" if _APPROVAL.search(sentence) else "lead_time"
        found.append(rule(kind, _number(match.group(1)), unit))
    if match := _MONEY.search(sentence):
        amount = match.group(2) or match.group(3)
        currency = (match.group(1) or match.group(4) or "").upper().rstrip("S")
        found.append(rule("budget", _number(amount), currency))
    if not found and _FEEDBACK.search(sentence):
        found.append(rule("feedback"))
    elif not found and _RECORDING.search(sentence):
        found.append(rule("recording"))
    return found or [rule("other")]


_ROOM = re.compile(
    r"((?:[A-Z][\w'&-]*\s+)*[A-Z][\w'&-]*)\s+\(?(\d+)\s+(?:people|persons|seats|participants)\b"
)


def room_capacities(sentence: str) -> dict[str, int]:
    """The rooms a sentence lists with their capacity ("Atrium 60 people, Loft 30 people"); a
    sentence naming fewer than two is not a list of rooms."""
    rooms = {name: int(people) for name, people in _ROOM.findall(sentence)}
    return rooms if len(rooms) >= 2 else {}


def rules_in(chunks: list[Chunk]) -> list[Rule]:
    """The rules of a document: sentences of its Rules section, or, when it has none, every
    sentence that states a figure."""
    ruled = [c for c in chunks if "rule" in str(c.metadata.get("section", "")).lower()]
    pool = ruled or chunks
    found: list[Rule] = []
    seen: set[str] = set()
    for chunk in pool:
        title = str(chunk.metadata.get("title", ""))
        source = str(chunk.metadata.get("source", ""))
        body = chunk.text.split("\n\n", 1)[-1]
        for sentence in sentences(body):
            if sentence in seen or (not ruled and not re.search(r"\d", sentence)):
                continue
            seen.add(sentence)
            found.extend(classify(sentence, source, title))
    return found


def first(rules: list[Rule], kind: RuleKind) -> Rule | None:
    return next((r for r in rules if r.kind == kind and r.value is not None), None)
