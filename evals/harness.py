"""The coach under evaluation, built in-process exactly as the app builds it.

Each knowledge folder gets its own data dir (Chroma store and SQLite database) under one work
folder; the embedding and chat models are loaded once and shared. Every setting that could
reach outside the work folder (a database URL, a Chroma server, an escalation webhook) is
pinned off, so an evaluation never touches a real deployment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from coach.core import build_core
from coach.domain import Passage
from coach.providers.chat import build_chat_model
from coach.providers.embeddings import EmbeddingIdentity, build_embeddings
from coach.retrieval import Retriever
from coach.services import Services
from coach.settings import Settings, prepare_offline_environment
from coach.store import KnowledgeStore, chroma_client, passage_from
from knowledge.ingest import IngestReport, Root
from knowledge.library import KnowledgeLibrary
from wiring.services import build_services

Provider = Literal["local", "openai"]
Tick = Callable[[], None]
# Pinned off whatever the environment says: the evaluation stays inside its work folder.
_ISOLATED: dict[str, Any] = {
    "database_url": None,
    "chroma_url": None,
    "escalation_webhook_url": None,
}


def make_settings(provider: Provider, data_dir: Path) -> Settings:
    """Embedded models and no .env for `local`; the usual COACH_* settings for `openai`
    (embeddings follow COACH_EMBEDDINGS when it is set, else the OpenAI-compatible server)."""
    pinned = {k: v for k, v in _ISOLATED.items() if k in Settings.model_fields}
    if provider == "local":
        return Settings(
            _env_file=None,
            data_dir=data_dir,
            llm="local",
            embeddings="local",
            **pinned,
        )
    embeddings = os.environ.get("COACH_EMBEDDINGS", "openai")
    return Settings(data_dir=data_dir, llm="openai", embeddings=embeddings, **pinned)


@dataclass
class Models:
    settings: Settings
    embeddings: Embeddings
    identity: EmbeddingIdentity
    chat_model: BaseChatModel

    @classmethod
    def load(cls, settings: Settings) -> Models:
        prepare_offline_environment()
        embeddings, identity = build_embeddings(settings)
        return cls(settings, embeddings, identity, build_chat_model(settings))


@dataclass
class Coach:
    """One knowledge folder, indexed in its own data dir, with the real services on top."""

    name: str
    services: Services
    report: IngestReport
    _texts: dict[str, list[Passage]] = field(default_factory=dict)

    @property
    def store(self) -> KnowledgeStore:
        return self.services.core.store

    @property
    def retriever(self) -> Retriever:
        return self.services.core.retriever

    def source_passages(self, source: str) -> list[Passage]:
        """Every chunk of an indexed file, as passages (the whole file's indexed text)."""
        if source not in self._texts:
            self._texts[source] = [
                passage_from(c.id, c.text, c.metadata, 1.0) for c in self.store.chunks_of(source)
            ]
        return self._texts[source]

    def source_text(self, source: str) -> str:
        return "\n\n".join(p.text for p in self.source_passages(source))

    def tickets(self) -> int:
        return len(self.services.escalations.list())

    def close(self) -> None:
        self.services.engine.dispose()


def _as_root(root: Root | Path) -> Root:
    return root if isinstance(root, Root) else Root(Path(root))


class Harness:
    def __init__(self, provider: Provider, workdir: Path) -> None:
        self.provider = provider
        self.workdir = workdir
        self.models = Models.load(make_settings(provider, workdir / "models"))
        self.coaches: list[Coach] = []

    def coach(
        self,
        name: str,
        roots: Sequence[Root | Path],
        *,
        seed: Coach | None = None,
        on_file: Callable[[str], None] | None = None,
    ) -> Coach:
        """Index `roots` into a fresh data dir and build the services over it. A `seed` coach's
        chunks and vectors are copied in first, so its unchanged files are not embedded again."""
        settings = make_settings(self.provider, self.workdir / name)
        store = KnowledgeStore(
            chroma_client(settings),
            settings.collection,
            self.models.embeddings,
            self.models.identity,
        )
        if seed is not None:
            chunks = seed.store.all_chunks()
            vectors = seed.store.embeddings_of([c.id for c in chunks])
            store.add(chunks, [vectors[c.id] for c in chunks])
        # Through the library, as `coach ingest` does: the organisation's profile (its
        # coach.toml, or the names its guides use) is worked out and saved with the index.
        library = KnowledgeLibrary(store, settings.data_dir, max_file_bytes=settings.max_file_bytes)
        report = library.sync([_as_root(r) for r in roots], on_file=on_file)
        if not report.ok:
            raise RuntimeError(f"{name}: files could not be indexed: {report.failed}")
        core = build_core(settings, store=store, chat_model=self.models.chat_model)
        coach = Coach(name, build_services(settings, core=core), report)
        self.coaches.append(coach)
        return coach

    def close(self) -> None:
        for coach in self.coaches:
            coach.close()
