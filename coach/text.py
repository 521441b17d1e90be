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
