"""Turn passages and a model's draft into a cited, grounded answer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from coach.domain import Passage, SourceRef
from coach.grounding import echoes, figures, sentences, ungrounded_codes, ungrounded_figures
from coach.prompts import SYSTEM
from coach.providers.query_cache import embed_sentences
from coach.safety import echoes_flagged, is_suspicious
from coach.text import content_words, cosine

_CITATION_MARK = re.compile(r"\s*\[(?:doc(?:ument)?\s*)?\d+\]", re.IGNORECASE)


@dataclass(frozen=True)
class Answer:
    text: str
    cited: list[Passage]
    quoted: bool  # True when the draft was replaced by quotes of the passages


def source_refs(passages: Sequence[Passage]) -> list[SourceRef]:
    seen: dict[str, SourceRef] = {}
    for p in passages:
        seen.setdefault(p.source, SourceRef(p.source, p.title))
    return list(seen.values())


def _supports(passage: Passage, answer: str) -> bool:
    """A passage supports an answer that states its figures, or shares most of its words."""
    if answer_figures := figures(answer):
        return bool(answer_figures & figures(passage.text))
    words = content_words(answer)
    return bool(words) and len(words & content_words(passage.text)) / len(words) >= 0.5


MAX_DRAFT_SENTENCES = 4


def tidy(draft: str) -> str:
    """Drop citation marks and the repeated sentences small models loop on; keep it short."""
    text = _CITATION_MARK.sub("", draft).strip()
    kept: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if sentence and sentence not in kept:
            kept.append(sentence)
    return " ".join(kept[:MAX_DRAFT_SENTENCES])


def ground(
    draft: str, question: str, passages: Sequence[Passage], embeddings: Embeddings
) -> Answer:
    """Keep the model's draft if its figures are all in the passages, else quote them.

    A kept draft is followed by the passage sentence that best answers the question, so the
    reader can check the claim against the source at a glance.
    """
    text = tidy(draft)
    if (
        not text
        or echoes_flagged(text, [p.text for p in passages])
        or ungrounded_figures(text, passages)
        or ungrounded_codes(text, passages)
        or echoes(text, SYSTEM)
    ):
        return quote(question, passages, embeddings)
    cited = [p for p in passages if _supports(p, text)] or list(passages[:1])
    for sentence, _passage in best_sentences(question, cited, embeddings, limit=1):
        if sentence not in text:
            text += "\n\n" + _blockquote(sentence, _passage)
    return Answer(text=text, cited=cited, quoted=False)


def _blockquote(sentence: str, passage: Passage) -> str:
    return f"> {sentence}\n> — *{passage.title}*"


def _body(passage: Passage) -> str:
    """The passage without the title line that ingestion puts first for context."""
    head, _, body = passage.text.partition("\n")
    return body if body and head.startswith(passage.title) else passage.text


# Questions that want a figure or a person are best answered by sentences that carry one.
_ASKS_FOR_FIGURE = re.compile(
    r"\b(how (long|many|much|often|far|early|soon)|when|deadline|limit|budget|cost|capacity|"
    r"max(imum)?|min(imum)?|minutes|hours|days|weeks)\b",
    re.IGNORECASE,
)
_ASKS_FOR_PERSON = re.compile(r"\b(who|whom|someone|anyone|hosted|host)\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")


def _shape_bonus(question: str, sentence: str) -> float:
    bonus = 0.0
    if _ASKS_FOR_FIGURE.search(question) and figures(sentence):
        bonus += 0.15
    if _ASKS_FOR_PERSON.search(question) and (_NAME.search(sentence) or "hosted by" in sentence):
        bonus += 0.15
    return bonus


def best_sentences(
    question: str, passages: Sequence[Passage], embeddings: Embeddings, limit: int = 2
) -> list[tuple[str, Passage]]:
    """The sentences of `passages` closest in meaning to `question`, best first."""
    candidates = [
        (sentence, passage)
        for passage in passages
        for sentence in sentences(_body(passage))
        if not is_suspicious(sentence)  # flagged text is data: never quoted as guidance
    ]
    if not candidates:
        return []
    query = embeddings.embed_query(question)
    vectors = embed_sentences(embeddings, [s for s, _ in candidates])
    question_words = content_words(question)
    scored = []
    for (sentence, passage), vector in zip(candidates, vectors, strict=True):
        lexical = len(question_words & content_words(sentence)) / (len(question_words) or 1)
        score = cosine(query, vector) + 0.3 * lexical + _shape_bonus(question, sentence)
        scored.append((score, sentence, passage))
    scored.sort(key=lambda item: item[0], reverse=True)
    picked: list[tuple[str, Passage]] = []
    for _, sentence, passage in scored:
        if sentence not in (s for s, _ in picked):
            picked.append((sentence, passage))
        if len(picked) == limit:
            break
    return picked


def quote(question: str, passages: Sequence[Passage], embeddings: Embeddings) -> Answer:
    picked = best_sentences(question, passages, embeddings)
    if not picked:
        return Answer("", [], quoted=True)
    lines = ["Here is what the Learning Ops documents say:"]
    lines += [_blockquote(sentence, passage) for sentence, passage in picked]
    cited = list({p.chunk_id: p for _, p in picked}.values())
    return Answer("\n\n".join(lines), cited, quoted=True)
