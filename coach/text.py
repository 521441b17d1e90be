"""Word-level helpers shared by grounding, quoting and the fake embedder."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from typing import Any

WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    {
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "at", "by", "with", "from",
        "is", "are", "was", "be", "it", "this", "that", "as", "you", "your", "can", "should",
        "will", "what", "how", "who", "when", "do", "does", "i", "my", "me", "we", "our", "if",
        "not", "no",
    }
)  # fmt: skip


def content_words(text: str) -> set[str]:
    """Lower-cased words that carry meaning (no stopwords, no one- or two-letter words)."""
    return {w for w in WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 2}


_TOKEN = re.compile(r"[\w'-]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+)[\w'-]+")


def proper_names(text: str) -> frozenset[str]:
    """Capitalised words that don't open a sentence ("Tamarind" in "How many fit in Tamarind?"): the
    names a question asks about, as written. Acronyms and short words are left out."""
    openers = {m.group().split()[-1].lstrip(".!?:;") for m in _SENTENCE_START.finditer(text)}
    return frozenset(
        w
        for w in _TOKEN.findall(text)
        if w[:1].isupper()
        and not w.isupper()
        and len(w) > 2
        and w not in openers
        and not w.startswith("I'")
    )


def words(text: str) -> list[str]:
    """The words of a text as written (with inner apostrophes and hyphens)."""
    return _TOKEN.findall(text)


def names_all(names: frozenset[str], text: str) -> bool:
    """Whether the text contains every one of the names (as whole words)."""
    return bool(names) and names <= set(words(text))


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


@functools.cache
def _stemmer() -> Any:
    import Stemmer  # PyStemmer: the Snowball stemmer the keyword index uses

    return Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The word's stem ("booking", "booked" → "book"), lower-cased."""
    return str(_stemmer().stemWord(word.lower()))
