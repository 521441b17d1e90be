"""The coach's answer path as a runnable: retrieve → answer → ground.

The steps are the coach's own (`coach.extractive`, `coach.answers`), composed the way the chat
does it: the passages are retrieved; the sentence that answers is found, or the library does not
answer; with a capable model the model drafts from the passages and the draft is cut to what
they support, otherwise the documents' own sentence answers, cited.

`invoke` returns a dict: `question`, `documents` (the relevant passages), `draft` (what the model
wrote, "" without one), `answer` (what to show), `sources` and `path` (`extractive`, `model`,
`fallback` or `not_found`). `stream` yields pieces of that dict that add up to it: first the
question and documents, then the model's draft as it is written, then the grounded answer,
which may replace the draft.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from typing import Any, cast

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import (
    Runnable,
    RunnableConfig,
    RunnableGenerator,
    RunnableLambda,
)
from langchain_core.runnables.utils import AddableDict

from coach.answers import Answer, extractive, generated, nearest_topic, source_refs
from coach.domain import Passage
from coach.extractive import MIN_SIMILARITY, MIN_STANDOUT, Extraction, extract
from coach.langchain.retriever import CoachRetriever, coach_retriever, passage_from_document
from coach.messages import Wording
from coach.profile import OrganisationProfile
from coach.prompts import answer_messages
from coach.providers.deadline import with_deadlines
from coach.questions import Question, analyse
from coach.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retrieved:
    """The retrieve step's output."""

    question: str
    documents: list[Document]


@dataclass(frozen=True)
class AnswerDraft:
    """The answer step's output, streamed as pieces that add up: the first carries what was
    found; the others carry the model's draft as it is written."""

    found: Found | None = None
    text: str = ""
    failed: bool = False  # the model was down, too slow or broken

    def __add__(self, other: AnswerDraft) -> AnswerDraft:
        return AnswerDraft(
            self.found or other.found, self.text + other.text, self.failed or other.failed
        )


@dataclass(frozen=True)
class Found:
    question: Question
    documents: list[Document]
    passages: list[Passage]
    extraction: Extraction
    drafts: bool  # whether the model drafts this answer
    not_found: str = ""  # what to say when the library does not answer


def _question_of(value: str | Mapping[str, Any]) -> str:
    question = value if isinstance(value, str) else value.get("question", "")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("The question is empty.")
    return question.strip()


def answer_chain(
    retriever: CoachRetriever,
    chat_model: BaseChatModel | None = None,
    *,
    wording: Wording | None = None,
    min_similarity: float = MIN_SIMILARITY,
    min_standout: float = MIN_STANDOUT,
    first_token_seconds: float = 30.0,
    total_seconds: float = 60.0,
) -> Runnable[str | Mapping[str, Any], dict[str, Any]]:
    """retrieve → answer → ground, over `retriever`. With `chat_model`, the model drafts and the
    draft is grounded; without, the answer is the documents' own sentence (the coach's
    default on its bundled model). Input: a question, or a dict with `question`."""
    wording = wording or Wording(OrganisationProfile())
    embeddings = retriever.retriever.embeddings

    def retrieve(value: str | Mapping[str, Any], config: RunnableConfig) -> Retrieved:
        """The relevant passages for the question, through the retriever (a child run)."""
        question = _question_of(value)
        return Retrieved(question, retriever.invoke(question, config))

    def answer(inputs: Iterator[Retrieved], config: RunnableConfig) -> Iterator[AnswerDraft]:
        """The sentence that answers, or not; and with a model, its draft as it is written."""
        for retrieved in inputs:
            passages = [passage_from_document(d) for d in retrieved.documents]
            question = analyse(retrieved.question)
            extraction = extract(question, passages, embeddings, min_similarity, min_standout)
            drafts = chat_model is not None and extraction.answerable
            not_found = (
                "" if extraction.answerable else wording.not_in_library(nearest_topic(extraction))
            )
            found = Found(question, retrieved.documents, passages, extraction, drafts, not_found)
            yield AnswerDraft(found)
            if drafts and chat_model is not None:
                yield from _draft(chat_model, found, config, first_token_seconds, total_seconds)

    def ground(inputs: Iterator[AnswerDraft]) -> Iterator[AddableDict]:
        """The draft as it comes, then the answer: the draft cut to what the passages support,
        or the documents' own sentence."""
        draft = AnswerDraft()
        for piece in inputs:
            if piece.found is not None and draft.found is None:
                yield AddableDict(
                    question=piece.found.question.text, documents=piece.found.documents, draft=""
                )
            if piece.text:
                yield AddableDict(draft=piece.text)
            draft = draft + piece
        found = draft.found
        if found is None:  # pragma: no cover - the answer step always says what it found
            raise RuntimeError("the answer step found nothing to ground")
        final = _grounded(found, draft, embeddings, wording)
        yield AddableDict(
            answer=final.text,
            sources=[{"source": s.source, "title": s.title} for s in source_refs(final.cited)],
            path=final.path if found.extraction.answerable else "not_found",
        )

    # RunnableGenerator passes the run's config to a function that takes one; its type hints
    # don't say so.
    answering = cast("Callable[[Iterator[Retrieved]], Iterator[AnswerDraft]]", answer)
    chain: Runnable[str | Mapping[str, Any], dict[str, Any]] = (
        RunnableLambda(retrieve, name="retrieve")
        | RunnableGenerator(answering, name="answer")
        | RunnableGenerator(ground, name="ground")
    )
    return chain.with_config(run_name="coach_answer")


def _draft(
    model: BaseChatModel,
    found: Found,
    config: RunnableConfig,
    first_token_seconds: float,
    total_seconds: float,
) -> Iterator[AnswerDraft]:
    prompt = answer_messages(found.question.text, found.passages, [])
    stream = with_deadlines(
        lambda: (chunk.text for chunk in model.stream(prompt, config)),
        first_token_seconds=first_token_seconds,
        total_seconds=total_seconds,
    )
    try:
        with closing(stream):  # closing it cancels the generation
            for piece in stream:
                if piece:
                    yield AnswerDraft(text=piece)
    except Exception as error:  # down, too slow or broken: the documents still answer
        log.warning("chat model failed (%s); answering from the documents", error)
        yield AnswerDraft(failed=True)


def _grounded(found: Found, draft: AnswerDraft, embeddings: Any, wording: Wording) -> Answer:
    if not found.extraction.answerable:
        return Answer(found.not_found, [], "extractive")
    if not found.drafts:
        return extractive(found.question, found.extraction)
    if draft.failed:
        fallback = extractive(found.question, found.extraction)
        text = f"{wording.model_unavailable}\n\n{fallback.text}"
        return Answer(text, fallback.cited, "fallback", model_failed=True)
    return generated(draft.text, found.question, found.extraction, found.passages, embeddings)


def coach_answer_chain(
    settings: Settings | None = None, *, retriever: CoachRetriever | None = None
) -> Runnable[str | Mapping[str, Any], dict[str, Any]]:
    """`answer_chain` as the coach is configured (`COACH_*` variables and `.env` unless given):
    with a model that drafts (`COACH_ANSWER_MODE`, see `Settings.generates_answers`) or without."""
    from coach.core import load_profile
    from coach.providers.chat import build_chat_model

    settings = settings or Settings()
    retriever = retriever or coach_retriever(settings)
    return answer_chain(
        retriever,
        build_chat_model(settings) if settings.generates_answers else None,
        wording=Wording(load_profile(settings)),
        min_similarity=settings.min_answer_similarity,
        min_standout=settings.min_answer_standout,
        first_token_seconds=settings.first_token_deadline,
        total_seconds=settings.llm_timeout_seconds,
    )
