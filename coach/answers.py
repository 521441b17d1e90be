"""Turn what the documents say into an answer a person can act on.

Extractive (the embedded default): the sentence or table row that answers, first, framed only
by a "Yes." or "No." that the sentence itself states, then at most one more sentence when it
adds a condition or an exception, then the citation. No header, no second quote for its own
sake.

Generative (a capable model configured): the model drafts from the passages, and every
sentence of the draft must be supported by them (its figures, codes and names appear in them,
a passage sentence says the same thing, and not the opposite). Unsupported sentences are
dropped; if the answer's first sentence goes, the extractive answer is given instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from langchain_core.embeddings import Embeddings

from coach.domain import Passage, SourceRef
from coach.extractive import Extraction, pieces
from coach.grounding import echoes, ungrounded_codes, ungrounded_figures
from coach.prompts import SYSTEM
from coach.providers.query_cache import embed_sentences
from coach.questions import Question
from coach.reading.quantities import find_quantities, normalise
from coach.reading.rules import read_sentence
from coach.safety import echoes_flagged
from coach.text import cosine

Path = Literal["extractive", "model", "fallback"]
_CITATION_MARK = re.compile(r"\s*\[(?:doc(?:ument)?\s*)?\d+\]", re.IGNORECASE)
MAX_DRAFT_SENTENCES = 4
# A drafted sentence is supported when a passage sentence is at least this close in meaning.
SUPPORT_SIMILARITY = 0.6

_NEGATION = re.compile(
    r"\b(?:no|not|never|none|nobody|cannot|can't|don't|doesn't|isn't|aren't|won't|mustn't|"
    r"shouldn't|needn't|prohibited|forbidden|not\s+allowed|neither|nor)\b|n't\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(r"\b(?:only|unless|if|provided|except|as\s+long\s+as)\b", re.I)
_PERMISSION = re.compile(
    r"\b(?:yes|you\s+(?:can|may)|are\s+(?:welcome|allowed|free)\s+to|is\s+allowed|anyone\s+can|"
    r"everyone\s+can)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Answer:
    text: str
    cited: list[Passage]
    path: Path
    model_failed: bool = False  # the model was down or too slow; the documents answered


def source_refs(passages: Sequence[Passage]) -> list[SourceRef]:
    seen: dict[str, SourceRef] = {}
    for p in passages:
        seen.setdefault(p.source, SourceRef(p.source, p.title))
    return list(seen.values())


def _lead(question: Question, sentence: str) -> str:
    """ "No." or "Yes." only when the answering sentence itself says so."""
    if question.shape != "yesno":
        return ""
    if _NEGATION.search(sentence):
        return "No. "
    if _PERMISSION.search(sentence) and not _CONDITION.search(sentence):
        return "Yes. "
    return ""


# An FAQ answer's opening "Yes:" answers the FAQ's own question, not one about an amount.
_FAQ_YES_NO = re.compile(r"^\s*(?:yes|no)\s*[:,.\u2013\u2014-]\s*(?=\S)", re.IGNORECASE)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ")")) else f"{text}."


def cite(passages: Sequence[Passage]) -> str:
    titles = list(dict.fromkeys(p.title for p in passages))
    return f"({'; '.join(titles)})"


def extractive(question: Question, extraction: Extraction) -> Answer:
    """The answering sentence, lightly framed, with its citation."""
    best = extraction.best
    if best is None:
        return Answer("", [], "extractive")
    text, lead = best.text, _lead(question, best.text)
    if (bare := _FAQ_YES_NO.sub("", text)) != text:
        # The document's own yes or no: it leads a yes/no question, and nothing else.
        text, lead = (text, "") if question.shape == "yesno" else (bare[:1].upper() + bare[1:], "")
    lines = [worked_out(question, best.text) + lead + _sentence(text)]
    cited = [best.passage]
    if extraction.also is not None:
        lines.append(_sentence(extraction.also.text))
        if extraction.also.passage.chunk_id != best.passage.chunk_id:
            cited.append(extraction.also.passage)
    return Answer(f"{' '.join(lines)} {cite(cited)}", cited, "extractive")


def worked_out(question: Question, sentence: str) -> str:
    """What the answering rule comes to for the asker's own numbers, worked out here and never
    by a model: "one facilitator per ten" for 25 people is 3 facilitators."""
    if "per_facilitator" not in question.wants:
        return ""
    ratios = [r.value for r in read_sentence(sentence) if r.kind == "per_facilitator" and r.value]
    people = [q.value for q in find_quantities(normalise(question.text)) if q.dimension == "people"]
    if len(ratios) != 1 or len(people) != 1:
        return ""  # no single rule, or no single head count: nothing to work out
    needed = math.ceil(people[0] / ratios[0])
    # In the asker's word for them ("how many trainers…?"), else the reader's.
    named = _HOW_MANY.search(question.text)
    noun = named.group(1).lower().removesuffix("s") if named else "facilitator"
    if noun in ("people", "person", "participant", "attendee", "learner"):
        return ""  # "what is the most per facilitator?": the ratio answers
    return f"For {people[0]:g} people: {needed} {noun}{'' if needed == 1 else 's'}. "


_HOW_MANY = re.compile(r"\bhow\s+many\s+([a-z-]+)", re.IGNORECASE)


def nearest_topic(extraction: Extraction) -> str | None:
    """What the library covers nearest to an unanswered question, to show instead."""
    if extraction.best is None:
        return None
    return f"“{extraction.best.passage.title}”"


def tidy(draft: str) -> str:
    """Drop citation marks and the repeated sentences small models loop on; keep it short."""
    text = _CITATION_MARK.sub("", draft).strip()
    kept: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if sentence and sentence not in kept:
            kept.append(sentence)
    return " ".join(kept[:MAX_DRAFT_SENTENCES])


_NAMES = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")


def _supported(
    sentence: str,
    vector: list[float],
    evidence: list[tuple[str, list[float]]],
    passages: Sequence[Passage],
    known: str,
) -> bool:
    if ungrounded_figures(sentence, passages) or ungrounded_codes(sentence, passages):
        return False
    if any(name not in known for name in _NAMES.findall(sentence[1:])):
        return False  # a name or place the passages never mention
    close = [(text, cosine(vector, v)) for text, v in evidence]
    text, similarity = max(close, key=lambda item: item[1], default=("", 0.0))
    if similarity < SUPPORT_SIMILARITY:
        return False
    # "No, you don't need to sign" against "you must sign": same words, opposite meaning.
    return bool(_NEGATION.search(sentence)) == bool(_NEGATION.search(text))


def supported_draft(
    draft: str, passages: Sequence[Passage], embeddings: Embeddings
) -> tuple[list[str], int]:
    """The draft's sentences that the passages support, and how many were dropped."""
    text = tidy(draft)
    if not text or echoes(text, SYSTEM) or echoes_flagged(text, [p.text for p in passages]):
        return [], 1  # a draft repeating flagged text (coach.safety) is never shown
    drafted = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    evidence_texts = [t for p in passages for t in pieces(p)]
    vectors = embed_sentences(embeddings, drafted + evidence_texts)
    evidence = list(zip(evidence_texts, vectors[len(drafted) :], strict=True))
    known = " ".join(p.text for p in passages)
    kept = [
        s
        for s, v in zip(drafted, vectors[: len(drafted)], strict=True)
        if _supported(s, v, evidence, passages, known)
    ]
    return kept, len(drafted) - len(kept)


def generated(
    draft: str,
    question: Question,
    extraction: Extraction,
    passages: Sequence[Passage],
    embeddings: Embeddings,
) -> Answer:
    """The model's draft, cut to what the passages support; the extractive answer when the
    draft's first sentence is not supported."""
    kept, _ = supported_draft(draft, passages, embeddings)
    first = tidy(draft).split(". ")[0] if draft else ""
    if not kept or not kept[0].startswith(first[:20]):
        fallback = extractive(question, extraction)
        return Answer(fallback.text, fallback.cited, "fallback")
    cited = [extraction.best.passage] if extraction.best else list(passages[:1])
    return Answer(f"{' '.join(kept)} {cite(cited)}", cited, "model")
