"""The coach's long-lived parts, built once per process from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel

from coach.flows.coaching import Coaching, dollar_of
from coach.flows.requests import RequestReader, parse_request
from coach.intents import TurnClassifier
from coach.keyword_cache import KeywordIndexCache
from coach.ports import TurnRouter
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
from coach.structured.rules import RuleReview

__all__ = ["CoachCore", "build_core", "build_retriever", "load_profile", "open_store"]


@dataclass
class CoachCore:
    store: KnowledgeStore
    retriever: Retriever
    chat_model: BaseChatModel
    router: TurnRouter
    coaching: Coaching
    profile: OrganisationProfile
    # With a capable model: the playbooks' rules read by it at ingest, against the offline reader.
    rule_review: RuleReview | None = field(default=None)

    def warm(self) -> None:
        """Build now what the first answer would otherwise wait for: the keyword index, the
        turn classifier's example embeddings and the in-process chat model's weights."""
        self.retriever.warm()
        self.router.warm()
        if isinstance(self.chat_model, LlamaCppChatModel):
            self.chat_model.load()


def build_retriever(settings: Settings, store: KnowledgeStore) -> Retriever:
    """The hybrid retriever over `store`, with its keyword index saved in the data dir."""
    return Retriever(
        store,
        min_relevance=settings.min_relevance,
        keyword_cache=KeywordIndexCache(settings.keyword_index_path),
    )


def build_core(
    settings: Settings,
    *,
    store: KnowledgeStore | None = None,
    chat_model: BaseChatModel | None = None,
    profile: OrganisationProfile | None = None,
    router: TurnRouter | None = None,
) -> CoachCore:
    store = store or open_store(settings)
    profile = profile or load_profile(settings)
    retriever = build_retriever(settings, store)
    chat_model = chat_model or build_chat_model(settings)
    read_request: RequestReader = parse_request
    router = router or TurnClassifier(store.embeddings)
    rule_review = None
    if settings.reads_with_model:
        from coach.structured.intents import ModelTurnClassifier
        from coach.structured.requests import ModelRequestReader

        method = settings.structured_output_method
        if isinstance(router, TurnClassifier):
            router = ModelTurnClassifier(
                chat_model, router, method, deadline_seconds=settings.first_token_deadline
            )
        read_request = ModelRequestReader(
            chat_model, method, deadline_seconds=settings.first_token_deadline
        )
        rule_review = build_rule_review(settings, chat_model, profile)
    return CoachCore(
        store=store,
        retriever=retriever,
        chat_model=chat_model,
        router=router,
        coaching=Coaching(retriever, store, profile, read_request=read_request),
        profile=profile,
        rule_review=rule_review,
    )


def build_rule_review(
    settings: Settings, chat_model: BaseChatModel, profile: OrganisationProfile
) -> RuleReview | None:
    """The model's reading of the playbooks' rules at ingest, when a model reads (see
    `Settings.reads_with_model`)."""
    if not settings.reads_with_model:
        return None
    return RuleReview(
        chat_model,
        settings.data_dir,
        model_name=f"openai:{settings.llm_model or 'default'}",
        method=settings.structured_output_method,
        dollar=dollar_of(profile.currency),
    )


def load_profile(settings: Settings) -> OrganisationProfile:
    """The profile the last ingest worked out, with what settings override."""
    saved = load_saved_profile(saved_profile_path(settings.data_dir))
    return with_overrides(saved, settings.profile_overrides())
