"""The coach's hybrid retriever as a LangChain `BaseRetriever`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from coach.domain import Passage
from coach.retrieval import MAX_K, Filters, Mode, Retriever
from coach.settings import Settings

# Keys a document's metadata gets on top of its chunk's own (source, title, kind, section…).
_SCORES = ("score", "similarity")


def passage_to_document(passage: Passage) -> Document:
    """A passage as a LangChain document: its text, its chunk's metadata, and its scores."""
    metadata: dict[str, Any] = {
        **passage.metadata,
        "source": passage.source,
        "title": passage.title,
        "kind": passage.kind,
        "section": passage.section,
        "score": passage.score,
        "similarity": passage.similarity,
    }
    return Document(id=passage.chunk_id, page_content=passage.text, metadata=metadata)


def passage_from_document(document: Document) -> Passage:
    """The passage a `CoachRetriever` document came from."""
    metadata = {k: v for k, v in document.metadata.items() if k not in _SCORES}
    return Passage(
        chunk_id=str(document.id or ""),
        source=str(metadata.get("source", "")),
        title=str(metadata.get("title", "")),
        kind=str(metadata.get("kind", "document")),
        section=str(metadata.get("section", "")),
        text=document.page_content,
        score=float(document.metadata.get("score", 0.0)),
        similarity=float(document.metadata.get("similarity", 0.0)),
        metadata=metadata,
    )


class CoachRetriever(BaseRetriever):
    """The passages that answer a query, best first, as documents.

    Fields set the defaults; `invoke(query, k=3, kinds=["playbook"])` overrides them for one
    call (`k`, `kinds`, `document_tags`, `since`, `until`, `mode`, `relevant_only`).
    `relevant_only` drops passages under the coach's relevance threshold
    (`COACH_MIN_RELEVANCE`), as the coach does before it answers.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever = Field(exclude=True)
    k: int = Field(default=5, ge=1, le=MAX_K)
    kinds: tuple[str, ...] = ()
    # Front-matter tags a document must have one of (`tags` is LangChain's, for tracing).
    document_tags: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    mode: Mode = "hybrid"
    relevant_only: bool = True

    def passages(self, query: str, **overrides: Any) -> list[Passage]:
        """What `invoke` returns, as the coach's own passages."""
        options = {
            name: overrides.get(name, getattr(self, name))
            for name in ("k", "kinds", "document_tags", "since", "until", "mode", "relevant_only")
        }
        filters = Filters(
            kinds=_strings(options["kinds"]),
            tags=_strings(options["document_tags"]),
            since=options["since"],
            until=options["until"],
        )
        found = self.retriever.retrieve(
            query, int(options["k"]), filters=filters, mode=options["mode"]
        )
        return self.retriever.relevant(found, query) if options["relevant_only"] else found

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **overrides: Any
    ) -> list[Document]:
        return [passage_to_document(p) for p in self.passages(query, **overrides)]


def _strings(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def coach_retriever(settings: Settings | None = None, **fields: Any) -> CoachRetriever:
    """A `CoachRetriever` over the index `coach ingest` built (settings from `COACH_*`
    variables and `.env` unless given). It opens the store: with the embedded store, one
    process at a time."""
    from coach.core import build_retriever, open_store
    from coach.settings import prepare_offline_environment

    prepare_offline_environment()
    settings = settings or Settings()
    retriever = build_retriever(settings, open_store(settings))
    fields.setdefault("k", settings.retrieve_k)
    return CoachRetriever(retriever=retriever, **fields)
