"""The coach's long-lived parts, built once per process from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel

from coach.flows.coaching import Coaching
from coach.intents import TurnClassifier
from coach.keyword_cache import KeywordIndexCache
from coach.profile import (
    OrganisationProfile,
    load_saved_profile,
    saved_profile_path,
    with_overrides,
)
from coach.providers.chat import build_chat_model
from coach.providers.llama_cpp_chat import LlamaCppChatModel
from coach.retrieval import Retriever
from coach.settings import Settings
from coach.store import KnowledgeStore, open_store

__all__ = ["CoachCore", "build_core", "load_profile", "open_store"]


@dataclass
class CoachCore:
    store: KnowledgeStore
    retriever: Retriever
    chat_model: BaseChatModel
    router: TurnClassifier
    coaching: Coaching
    profile: OrganisationProfile

    def warm(self) -> None:
        """Build now what the first answer would otherwise wait for: the keyword index, the
        turn classifier's example embeddings and the in-process chat model's weights."""
        self.retriever.warm()
        self.router.warm()
        if isinstance(self.chat_model, LlamaCppChatModel):
            self.chat_model.load()


def build_core(
    settings: Settings,
    *,
    store: KnowledgeStore | None = None,
    chat_model: BaseChatModel | None = None,
    profile: OrganisationProfile | None = None,
    router: TurnClassifier | None = None,
) -> CoachCore:
    store = store or open_store(settings)
    profile = profile or load_profile(settings)
    retriever = Retriever(
        store,
        min_relevance=settings.min_relevance,
        keyword_cache=KeywordIndexCache(settings.keyword_index_path),
    )
    return CoachCore(
        store=store,
        retriever=retriever,
        chat_model=chat_model or build_chat_model(settings),
        router=router or TurnClassifier(store.embeddings),
        coaching=Coaching(retriever, store, profile),
        profile=profile,
    )


def load_profile(settings: Settings) -> OrganisationProfile:
    """The profile the last ingest worked out, with what settings override."""
    saved = load_saved_profile(saved_profile_path(settings.data_dir))
    return with_overrides(saved, settings.profile_overrides())
