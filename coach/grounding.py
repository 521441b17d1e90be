"""Keep answers true to the retrieved text.

The embedded model is tiny and invents figures. Every number, amount, duration or date in an
answer must appear in the passages it cites; otherwise the answer is replaced by quotes of the
passages' most relevant sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.domain import Passage

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,:/-]\d+)*(?:st|nd|rd|th)?", re.IGNORECASE)
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
    "ninety": "90", "hundred": "100",
}  # fmt: skip
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _normalise(figure: str) -> str:
    figure = re.sub(r"(st|nd|rd|th)$", "", figure.lower())
    # "1,200" and "1200" are the same amount; "4.5" keeps its point.
    return re.sub(r",(?=\d{3}\b)", "", figure)


def figures(text: str) -> set[str]:
    found = {_normalise(m.group()) for m in _NUMBER.finditer(text)}
    found |= {_NUMBER_WORDS[m.group().lower()] for m in _WORD_NUMBER.finditer(text)}
    return found


def ungrounded_figures(answer: str, passages: Sequence[Passage]) -> set[str]:
    """Figures in `answer` that none of `passages` contains."""
    supported: set[str] = set()
    for passage in passages:
        supported |= figures(passage.text)
        # Parts of compound figures count too: "30-45" supports "30" and "45".
        supported |= {part for f in figures(passage.text) for part in re.split(r"[-/:.]", f)}
    return {f for f in figures(answer) if f not in supported}


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
