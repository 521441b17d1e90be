"""Group statements of interest by meaning, not by their words.

Each statement is embedded, and the part of its embedding that every way of asking shares ("I
would like to learn…", "I could give a session on…") is taken out: the vector is projected off
the mean of a few generic frames (FRAMES), which name no topic. Removing a common component
makes sentence embeddings compare by content (Arora et al. 2017; Mu & Viswanath 2018); here it
stops a learner's wish and a sharer's offer on different topics looking alike because both are
offers. Measured on the labelled set: evals/interests_eval.py.

Statements are then clustered by average linkage: two groups merge while the mean cosine
similarity between their statements is at least the threshold. Single linkage chains unrelated
topics through one ambiguous statement; complete linkage splits a group over one odd phrasing;
average linkage sits between (the evaluation compares the three).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Literal

import numpy as np
from langchain_core.embeddings import Embeddings

# Chosen on the development half of evals/data/interests (the groups at even positions in
# sorted order), the best pairwise F1 there (0.74, with all-MiniLM-L6-v2); evals/interests_eval.py
# reports the other half: precision 0.87, recall 0.83.
GROUPING_THRESHOLD = 0.21
# Ways of stating an interest that name no topic (written for this purpose, in general words).
FRAMES = (
    "I would like to learn about this",
    "I hope to improve at this",
    "Could someone teach me this?",
    "Is anyone else interested in this?",
    "Looking for people to learn this with",
    "I could share what I know about this",
    "I am happy to give a session on this",
    "I can teach people this",
    "I have experience with this and can help others",
    "Let's start a group about this",
)

Vector = tuple[float, ...]
Linkage = Literal["average", "single", "complete"]


class TopicSpace:
    """Embeds statements as topics: their embedding without the frames' common direction."""

    def __init__(self, embeddings: Embeddings, frames: Sequence[str] = FRAMES) -> None:
        self._embeddings = embeddings
        self._frames = tuple(frames)
        self._frame: np.ndarray | None = None
        self._lock = threading.Lock()

    def _frame_direction(self) -> np.ndarray:
        with self._lock:  # embedded once, however many threads ask first
            if self._frame is None:
                if not self._frames:
                    self._frame = np.zeros(0)
                else:
                    mean = np.asarray(self._embeddings.embed_documents(list(self._frames))).mean(0)
                    norm = float(np.linalg.norm(mean))
                    self._frame = mean / norm if norm else np.zeros_like(mean)
            return self._frame

    def vectors(self, texts: Sequence[str]) -> list[Vector]:
        if not texts:
            return []
        embedded = np.asarray(self._embeddings.embed_documents(list(texts)), dtype=float)
        frame = self._frame_direction()
        if frame.size:
            embedded = embedded - np.outer(embedded @ frame, frame)
        return [tuple(float(x) for x in row) for row in _unit(embedded)]

    def vector(self, text: str) -> Vector:
        return self.vectors([text])[0]


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: np.ndarray = vectors / norms
    return unit


def similarities(vectors: Sequence[Sequence[float]]) -> np.ndarray:
    """Cosine similarity of every pair."""
    unit = _unit(np.asarray(vectors, dtype=float))
    pairs: np.ndarray = unit @ unit.T
    return pairs


def cluster(
    vectors: Sequence[Sequence[float]],
    threshold: float = GROUPING_THRESHOLD,
    linkage_kind: Linkage = "average",
) -> list[list[int]]:
    """Agglomerative groups of the vectors' indices (average linkage unless told otherwise):
    each group sorted, groups in the order of their first member. Deterministic: ties merge the
    lowest indices first."""
    count = len(vectors)
    if count == 0:
        return []
    linkage = similarities(vectors)
    np.fill_diagonal(linkage, -np.inf)
    sizes = np.ones(count)
    members: list[list[int]] = [[i] for i in range(count)]
    while count > 1:
        a, b = divmod(int(np.argmax(linkage)), len(members))
        if linkage[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        merged = _merged(linkage[a], linkage[b], sizes[a], sizes[b], linkage_kind)
        linkage[a, :] = merged
        linkage[:, a] = merged
        linkage[b, :] = -np.inf
        linkage[:, b] = -np.inf
        linkage[a, a] = -np.inf
        sizes[a] += sizes[b]
        members[a] += members[b]
        members[b] = []
        count -= 1
    return sorted((sorted(m) for m in members if m), key=lambda group: group[0])


def _merged(
    row_a: np.ndarray, row_b: np.ndarray, size_a: float, size_b: float, kind: Linkage
) -> np.ndarray:
    """The merged group's similarity to every other group (Lance-Williams)."""
    merged: np.ndarray
    if kind == "single":
        merged = np.maximum(row_a, row_b)
    elif kind == "complete":
        merged = np.minimum(row_a, row_b)
    else:
        merged = (size_a * row_a + size_b * row_b) / (size_a + size_b)
    return merged


def central(vectors: Sequence[Sequence[float]], members: Sequence[int]) -> int:
    """The member most similar, on average, to the others (the group's most typical
    statement); the first one on a tie."""
    if len(members) <= 2:
        return members[0]
    block = similarities([vectors[i] for i in members])
    scores = block.sum(axis=1)
    return members[int(np.argmax(scores))]
