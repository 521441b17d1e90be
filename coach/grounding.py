"""Keep answers true to the retrieved text.

The embedded model is tiny and invents figures. Every number, amount, duration or date in an
answer must appear in the passages it cites; otherwise the answer is replaced by quotes of the
passages' most relevant sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.domain import Passage

_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "twenty": "20", "thirty": "30", "forty": "40", "forty-five": "45", "fifty": "50",
    "sixty": "60", "ninety": "90", "hundred": "100",
}  # fmt: skip
_UNITS = {
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "hour": "hour", "hours": "hour", "h": "hour", "hrs": "hour",
    "day": "day", "days": "day", "week": "week", "weeks": "week",
    "month": "month", "months": "month", "year": "year", "years": "year",
    "people": "person", "person": "person", "attendees": "person", "participants": "person",
    "%": "percent", "percent": "percent",
    "eur": "eur", "euro": "eur", "euros": "eur", "€": "eur",
    "gbp": "gbp", "£": "gbp", "pounds": "gbp", "usd": "usd", "$": "usd", "dollars": "usd",
}  # fmt: skip
_CURRENCY_BEFORE = r"(?:(?P<currency>eur|gbp|usd|€|£|\$)\s?)"
_VALUE = (
    r"(?P<value>\d+(?:[.,:/-]\d+)*|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
)
# A lookahead: the unit words stay available to the next match ("EUR 500 for twelve weeks").
_UNIT_AFTER = r"(?=(?:\s?(?P<unit>%)|\s+(?P<word1>[a-z]+)(?:\s+(?P<word2>[a-z]+))?)?)"
_QUANTITY = re.compile(
    rf"(?<![\w.]){_CURRENCY_BEFORE}?{_VALUE}(?:st|nd|rd|th|(?P<clock>\s?[ap]\.?m\.?))?\b{_UNIT_AFTER}",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

Quantity = tuple[str, str | None]  # ("45", "minute"), ("1200", "eur"), ("2026-03-12", None)


def _value(raw: str) -> str:
    raw = raw.lower()
    # "1,200" and "1200" are the same amount; "4.5" keeps its point.
    return _NUMBER_WORDS.get(raw) or re.sub(r",(?=\d{3}\b)", "", raw)


def quantities(text: str) -> set[Quantity]:
    """Numbers in `text` with their unit when one is written next to them."""
    found: set[Quantity] = set()
    for match in _QUANTITY.finditer(text):
        # The unit is written before ("EUR 500"), right after ("40%", "45 minutes"), or after
        # one qualifier ("10 working days").
        written = [match.group(g) for g in ("currency", "unit", "word1", "word2")]
        units = [_UNITS[w.lower()] for w in written if w and w.lower() in _UNITS]
        if match.group("clock"):  # "10pm", "11:30 a.m.": a time of day
            units = [match.group("clock").replace(".", "").strip().lower()]
        found.add((_value(match.group("value")), units[0] if units else None))
    return found


def figures(text: str) -> set[str]:
    """The bare numbers, amounts and dates in `text`."""
    return {value for value, _ in quantities(text)}


def ungrounded_figures(answer: str, passages: Sequence[Passage]) -> set[str]:
    """Figures of `answer` that no passage states, with the same unit when one is given:
    "12 hours" is not supported by "12 months"."""
    stated: set[Quantity] = set()
    for passage in passages:
        for value, unit in quantities(passage.text):
            stated.add((value, unit))
            # Parts of compound figures count too: "30-45 minutes" supports "30 minutes".
            stated.update((part, unit) for part in re.split(r"[-/:]", value))
    values = {value for value, _ in stated}
    missing = set()
    for value, unit in quantities(answer):
        supported = (value, unit) in stated if unit else value in values
        if not supported:
            missing.add(f"{value} {unit}" if unit else value)
    return missing


def sentences(text: str) -> list[str]:
    """Sentences and list items of a passage, without Markdown decoration."""
    pieces: list[str] = []
    for line in _SENTENCE_END.split(text):
        if line.lstrip().startswith("#"):
            continue
        line = re.sub(r"^\s*(?:[-*+]|\d+\.)\s*", "", line).strip()
        line = line.replace("**", "").replace("__", "")
        if len(line.split()) >= 4:
            pieces.append(line)
    return pieces


# Codes and identifiers ("CANARY-7F3A", "TKT-2231"): like figures, they must come from the
# passages, or a user or a document could make the coach print anything.
_CODE = re.compile(
    r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)+\b|\b[A-Z]{2,}\d+\b"
)


def ungrounded_codes(answer: str, passages: Sequence[Passage]) -> set[str]:
    known = " ".join(p.text for p in passages)
    return {code for code in _CODE.findall(answer) if code not in known}


def echoes(answer: str, private_text: str, window: int = 6) -> bool:
    """Whether `answer` repeats `window` consecutive words of `private_text` (the prompt)."""
    words = re.findall(r"[a-z]+", private_text.lower())
    said = " ".join(re.findall(r"[a-z]+", answer.lower()))
    return any(" ".join(words[i : i + window]) in said for i in range(len(words) - window + 1))
