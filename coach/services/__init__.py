"""The use cases, in one place every door calls: the HTTP API (`api/`), the web UI (`ui/`) and
the MCP server (`mcp_server/`) get the same `Services` from the composition root (`wiring`)
and never reach past it.

Each use case is a plain class over the ports (coach.ports): no HTTP, no Gradio, no MCP, no
SQL. They return typed records (coach.records) and raise domain errors (coach.ports, and the
workflow's own, e.g. tickets.InvalidTransitionError) that each door turns into its own kind
of answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from anyio import CapacityLimiter

from coach.chat import ChatService
from coach.community.build import Community
from coach.community.scheduler import Scheduler
from coach.core import CoachCore
from coach.ports import BackgroundWorker, Database
from coach.services.access import KeyRing, WebSessions
from coach.services.analytics import AnalyticsService
from coach.services.conversations import Conversations
from coach.services.feedback import Feedback
from coach.services.library import Library
from coach.services.notifications import Notifications
from coach.services.plans import Plans
from coach.services.rules import Rules
from coach.services.search import Search
from coach.services.tickets import Tickets
from coach.settings import Settings


@dataclass
class Services:
    settings: Settings
    core: CoachCore
    chat: ChatService
    conversations: Conversations
    escalations: Tickets  # the hand-off tickets (/v1/escalations)
    plans: Plans
    rules: Rules  # the rules the coach reads, and Learning Ops' corrections (/v1/rules)
    feedback: Feedback
    library: Library
    search: Search  # passages and past sessions, as they are
    analytics: AnalyticsService
    notifications: Notifications
    keys: KeyRing
    web_sessions: WebSessions
    outbox: BackgroundWorker | None  # delivers ticket notifications, when there is a webhook
    engine: Database  # closed at shutdown
    searches: CapacityLimiter  # see Settings.concurrent_searches
    chats: CapacityLimiter  # see Settings.concurrent_chats
    community: Community  # interests, topics, inboxes, sessions, notes, autonomy
    scheduler: Scheduler | None  # sends reminders and debrief prompts (one leader)
