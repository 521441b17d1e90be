"""Everything a request handler needs, wired once per app from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from anyio import CapacityLimiter
from pydantic import SecretStr
from sqlalchemy import Engine

from api.analytics import AnalyticsService
from api.auth import KeyRing, parse_key_list
from api.db import make_engine, make_session_factory, upgrade_database
from api.escalations import SqlEscalations
from api.outbox import OutboxDeliverer
from api.persistence import SqlConversationLog, SqlFeedback
from api.plans import SqlPlans
from api.web_sessions import WebSessions
from coach.chat import ChatService
from coach.core import CoachCore, build_core
from coach.messages import Wording
from coach.settings import Settings
from knowledge.library import KnowledgeLibrary


@dataclass
class Services:
    settings: Settings
    core: CoachCore
    engine: Engine
    conversations: SqlConversationLog
    escalations: SqlEscalations
    chat: ChatService
    library: KnowledgeLibrary
    plans: SqlPlans
    feedback: SqlFeedback
    keys: KeyRing
    outbox: OutboxDeliverer | None
    analytics: AnalyticsService
    web_sessions: WebSessions
    searches: CapacityLimiter  # see Settings.concurrent_searches
    chats: CapacityLimiter  # see Settings.concurrent_chats


def build_services(settings: Settings, core: CoachCore | None = None) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    configured_keys = parse_key_list(
        settings.api_keys.get_secret_value() if settings.api_keys else ""
    )
    core = core or build_core(settings)
    library = KnowledgeLibrary(
        core.store, settings.data_dir, max_file_bytes=settings.max_file_bytes
    )
    wording = Wording(core.profile)
    engine = make_engine(settings.sqlalchemy_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    upgrade_database(engine)
    sessions = make_session_factory(engine)
    conversations = SqlConversationLog(sessions)
    configured_hook = settings.escalation_webhook_url
    webhook = (
        configured_hook.get_secret_value()
        if isinstance(configured_hook, SecretStr)
        else configured_hook
    )
    escalations = SqlEscalations(sessions, notify=webhook is not None)
    chat = ChatService(
        retriever=core.retriever,
        chat_model=core.chat_model,
        router=core.router,
        coaching=core.coaching,
        conversations=conversations,
        tickets=escalations,
        k=settings.retrieve_k,
        first_token_seconds=settings.first_token_deadline,
        total_seconds=settings.llm_timeout_seconds,
        wording=wording,
        generate_answers=settings.generates_answers,
        min_answer_similarity=settings.min_answer_similarity,
        min_answer_standout=settings.min_answer_standout,
    )
    keys = KeyRing(configured_keys, sessions)
    return Services(
        settings=settings,
        core=core,
        engine=engine,
        conversations=conversations,
        escalations=escalations,
        chat=chat,
        library=library,
        plans=SqlPlans(sessions),
        feedback=SqlFeedback(sessions, conversations),
        keys=keys,
        outbox=OutboxDeliverer(sessions, webhook, timeout=settings.webhook_timeout_seconds)
        if webhook
        else None,
        analytics=AnalyticsService(sessions, core),
        web_sessions=WebSessions(sessions, keys, hours=settings.session_hours),
        searches=CapacityLimiter(settings.concurrent_searches),
        chats=CapacityLimiter(settings.concurrent_chats),
    )
