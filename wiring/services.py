"""`build_services(settings)`: every use case, wired once per process over its adapters."""

from __future__ import annotations

from functools import partial

from anyio import CapacityLimiter
from pydantic import SecretStr

from coach.adapters.sql.conversations import SqlConversationLog, SqlFeedback
from coach.adapters.sql.db import make_session_factory, open_database
from coach.adapters.sql.keys import SqlKeys
from coach.adapters.sql.outbox import OutboxDeliverer, SqlOutbox
from coach.adapters.sql.plans import SqlPlans
from coach.adapters.sql.rule_corrections import SqlRuleCorrections
from coach.adapters.sql.tickets import SqlTickets
from coach.adapters.sql.usage import SqlUsage
from coach.adapters.sql.web_sessions import SqlSignIns
from coach.chat import ChatService
from coach.core import CoachCore, build_core
from coach.messages import Wording
from coach.ports import Database
from coach.services import Services
from coach.services.access import KeyRing, WebSessions, parse_key_list
from coach.services.analytics import AnalyticsService
from coach.services.conversations import Conversations
from coach.services.feedback import Feedback
from coach.services.library import Library
from coach.services.notifications import Notifications
from coach.services.plans import Plans
from coach.services.rules import Rules
from coach.services.search import Search
from coach.services.tickets import Tickets, ticket_notification
from coach.settings import Settings
from coach.structured.rules import rule_disagreements
from knowledge.library import KnowledgeLibrary
from wiring.community import build_community_services, build_scheduler


def database(settings: Settings) -> Database:
    """The configured database, migrated to the current schema (for `coach db upgrade`)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return open_database(settings.sqlalchemy_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)


def open_keyring(settings: Settings) -> KeyRing:
    """The stored API keys alone (for `coach keys`)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = open_database(settings.sqlalchemy_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    return KeyRing({}, SqlKeys(make_session_factory(engine)))


def _webhook(settings: Settings) -> str | None:
    configured = settings.escalation_webhook_url
    return configured.get_secret_value() if isinstance(configured, SecretStr) else configured


def _rules(settings: Settings, core: CoachCore, corrections: SqlRuleCorrections) -> Rules:
    """Learning Ops' corrections, stored in the database, over the rule book every plan reads:
    from here on, a correction wins over what was read, in every plan."""
    book = core.coaching.rulebook
    book.corrections = corrections
    return Rules(book, corrections, disagreements=partial(rule_disagreements, settings.data_dir))


def build_services(settings: Settings, core: CoachCore | None = None) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    configured_keys = parse_key_list(
        settings.api_keys.get_secret_value() if settings.api_keys else ""
    )
    core = core or build_core(settings)
    engine = open_database(settings.sqlalchemy_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    sessions = make_session_factory(engine)
    webhook = _webhook(settings)
    conversations = Conversations(SqlConversationLog(sessions))
    tickets = Tickets(
        SqlTickets(sessions, notification=ticket_notification if webhook is not None else None)
    )
    keys = KeyRing(configured_keys, SqlKeys(sessions))
    documents = KnowledgeLibrary(
        core.store,
        settings.data_dir,
        max_file_bytes=settings.max_file_bytes,
        rule_review=core.rule_review,
    )
    community = build_community_services(settings, core, sessions, documents, keys)
    chat = ChatService(
        retriever=core.retriever,
        chat_model=core.chat_model,
        router=core.router,
        coaching=core.coaching,
        conversations=conversations,
        tickets=tickets,
        k=settings.retrieve_k,
        first_token_seconds=settings.first_token_deadline,
        total_seconds=settings.llm_timeout_seconds,
        wording=Wording(core.profile),
        generate_answers=settings.generates_answers,
        min_answer_similarity=settings.min_answer_similarity,
        min_answer_standout=settings.min_answer_standout,
        community=community.turns,
    )
    rules = _rules(settings, core, SqlRuleCorrections(sessions))
    return Services(
        settings=settings,
        core=core,
        chat=chat,
        conversations=conversations,
        escalations=tickets,
        plans=Plans(SqlPlans(sessions), core.coaching, community.sessions),
        rules=rules,
        feedback=Feedback(SqlFeedback(sessions)),
        library=Library(documents, core.store),
        search=Search(core.retriever, core.store),
        analytics=AnalyticsService(SqlUsage(sessions), core),
        notifications=Notifications(SqlOutbox(sessions)),
        keys=keys,
        web_sessions=WebSessions(SqlSignIns(sessions), keys, hours=settings.session_hours),
        outbox=OutboxDeliverer(sessions, webhook, timeout=settings.webhook_timeout_seconds)
        if webhook
        else None,
        engine=engine,
        searches=CapacityLimiter(settings.concurrent_searches),
        chats=CapacityLimiter(settings.concurrent_chats),
        community=community,
        scheduler=build_scheduler(settings, community, engine) if settings.scheduler else None,
    )
