"""The Learning Ops console: the escalation queue, the knowledge library, the rules the coach
reads (ui.rules_panel), undelivered notifications and analytics. Each panel has its handlers;
every handler checks the role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from coach.ports import UploadRejectedError
from coach.records import StoredMessage, Ticket
from coach.services import Services
from coach.services.tickets import InvalidTransitionError
from ui.identity import SignIn, learning_ops
from ui.render import inert
from ui.rules_panel import RuleHandlers, rules_panel
from ui.tickets_tab import COLUMNS, tickets_frame

STATUSES = ["open", "in_progress", "resolved", "closed"]
ROUTES = ["learning_ops", "hr", "wellbeing"]


def ticket_markdown(ticket: Ticket, conversation: list[StoredMessage] | None) -> str:
    """A ticket as Learning Ops read it: who, why, what the coach tried, and the last of the
    conversation it came from."""
    tried = ", ".join(f"`{s}`" for s in ticket.sources) or "none"
    lines = [
        f"### Ticket {ticket.id} · {ticket.route} · {ticket.status}",
        f"**Requester:** {ticket.requester} · **Assignee:** {ticket.assignee or '—'}",
        f"**Why:** {ticket.reason}", "", f"**Summary:** {ticket.summary}", "",
        f"**Documents the coach tried:** {tried}",
    ]  # fmt: skip
    if conversation is not None:
        lines += ["", "**Conversation:**"]
    for m in (conversation or [])[-8:]:
        speaker = "Employee" if m.role == "user" else "Coach"
        quoted = m.content[:600].replace("\n", "\n> ")
        lines += ["", f"**{speaker}:**", "", f"> {quoted}"]
    return inert("\n".join(lines))


class QueueHandlers:
    def __init__(self, services: Services, auth: SignIn) -> None:
        self._services = services
        self._auth = auth

    def queue(
        self, status: str | None, route: str | None, request: gr.Request
    ) -> tuple[pd.DataFrame, Any]:
        learning_ops(self._auth, request)
        page = self._services.escalations.page(
            requester=None, status=status or None, route=route or None, limit=200
        )
        return tickets_frame(page.items), gr.update(choices=[r.id for r in page.items])

    def details(self, ticket_id: str | None, request: gr.Request) -> tuple[str, Any, str, str]:
        learning_ops(self._auth, request)
        ticket = self._services.escalations.get(ticket_id or "")
        if ticket is None:
            return "", gr.update(value=None), "", ""
        conversation = self._services.conversations.of_ticket(ticket)
        return (
            ticket_markdown(ticket, conversation),
            gr.update(value=ticket.status),
            ticket.assignee or "",
            ticket.resolution_note or "",
        )

    def save(
        self, ticket_id: str | None, status: str, assignee: str, note: str, request: gr.Request
    ) -> str:
        learning_ops(self._auth, request)
        if not ticket_id:
            raise gr.Error("Pick a ticket first.")
        try:
            ticket = self._services.escalations.update(
                ticket_id, status=status, assignee=assignee, resolution_note=note or None
            )
        except InvalidTransitionError as error:
            raise gr.Error(str(error)) from None
        gr.Info(f"Ticket {ticket_id} is now {ticket.status if ticket else '?'}.")
        return f"Saved: ticket {ticket_id} is {ticket.status if ticket else '?'}."


def _queue_panel(handlers: QueueHandlers) -> None:
    with gr.Row():
        status = gr.Dropdown(STATUSES, label="Status", value=None)
        route = gr.Dropdown(ROUTES, label="Route", value=None)
        refresh = gr.Button("Refresh queue", elem_id="queue-refresh")
    table = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True, elem_id="queue")
    ticket = gr.Dropdown(label="Open ticket", choices=[], elem_id="queue-ticket")
    detail = gr.Markdown(elem_id="ticket-detail")
    with gr.Row():
        new_status = gr.Dropdown(STATUSES, label="Status", elem_id="ticket-status")
        assignee = gr.Textbox(label="Assignee")
    note = gr.Textbox(
        label="Resolution note (shown to the requester)", lines=2, elem_id="ticket-note"
    )
    save_button = gr.Button("Save", variant="primary", elem_id="ticket-save")
    saved = gr.Markdown()
    refresh.click(handlers.queue, [status, route], [table, ticket])
    ticket.input(handlers.details, [ticket], [detail, new_status, assignee, note])
    save_button.click(handlers.save, [ticket, new_status, assignee, note], saved).then(
        handlers.queue, [status, route], [table, ticket]
    )


class LibraryHandlers:
    def __init__(self, services: Services, auth: SignIn) -> None:
        self._services = services
        self._auth = auth

    def documents(self, request: gr.Request) -> pd.DataFrame:
        learning_ops(self._auth, request)
        rows = self._services.library.documents()
        return pd.DataFrame(
            [[d.source, d.title, d.kind, d.chunks, d.indexed_at] for d in rows],
            columns=["Source", "Title", "Kind", "Chunks", "Last indexed"],
        )

    def upload(
        self, files: list[str] | None, kind: str, request: gr.Request
    ) -> tuple[str, pd.DataFrame]:
        learning_ops(self._auth, request)
        lines = []
        for path in files or []:
            name = Path(path).name
            data = Path(path).read_bytes()
            Path(path).unlink(missing_ok=True)  # indexed from memory; no copy left behind
            try:
                source, report = self._services.library.upload(name, data, kind)
                lines.append(f"- Indexed `{source}`.")
                lines += [f"- Failed `{s}`: {why}" for s, why in report.failed.items()]
            except UploadRejectedError as error:
                lines.append(f"- Not indexed: {error}")
        return "\n".join(lines) or "Choose files first.", self.documents(request)

    def reindex(self, request: gr.Request) -> tuple[str, pd.DataFrame]:
        learning_ops(self._auth, request)
        report = self._services.library.sync()
        counts = ", ".join(f"{n} {label}" for label, n in report.counts().items())
        errors = "".join(f"\n- Failed `{s}`: {why}" for s, why in report.failed.items())
        return f"Re-indexed: {counts}.{errors}", self.documents(request)

    def flagged(self, request: gr.Request) -> pd.DataFrame:
        learning_ops(self._auth, request)
        rows = self._services.library.flagged()
        return pd.DataFrame(
            [[f.source, f.title, f.sentence] for f in rows],
            columns=["Source", "Title", "Flagged sentence (kept; treated as data)"],
        )


def _library_panel(handlers: LibraryHandlers) -> None:
    files = gr.File(label="Upload documents", file_count="multiple", elem_id="upload-files")
    kind = gr.Dropdown(["playbook", "session_note", "document"], value="document", label="Kind")
    with gr.Row():
        upload_button = gr.Button("Upload and index", variant="primary", elem_id="upload-button")
        reindex_button = gr.Button("Re-index the library", elem_id="reindex-button")
    report = gr.Markdown(elem_id="ingest-report")
    library = gr.Dataframe(interactive=False, wrap=True, elem_id="library")
    upload_button.click(handlers.upload, [files, kind], [report, library])
    reindex_button.click(handlers.reindex, None, [report, library])
    gr.Markdown(
        "#### Flagged for review\nSentences that read as addressed to an assistant. They "
        "stay searchable and citable; the coach treats them as data and never follows them."
    )
    review_button = gr.Button("Show flagged sentences", elem_id="flagged-refresh")
    review_table = gr.Dataframe(interactive=False, wrap=True, elem_id="flagged")
    review_button.click(handlers.flagged, None, review_table)


class NotificationHandlers:
    def __init__(self, services: Services, auth: SignIn) -> None:
        self._services = services
        self._auth = auth

    def undelivered(self, request: gr.Request) -> pd.DataFrame:
        learning_ops(self._auth, request)
        rows = self._services.notifications.dead_letters()
        return pd.DataFrame(
            [[r.id, r.escalation_id, r.attempts, r.last_error or "", f"{r.dead_at:%Y-%m-%d %H:%M}"]
             for r in rows],
            columns=["Notification", "Ticket", "Attempts", "Last error", "Given up"],
        )  # fmt: skip


def _notifications_panel(handlers: NotificationHandlers) -> None:
    gr.Markdown(
        "#### Undelivered ticket notifications\nThe webhook refused these until the coach "
        "gave up; the tickets themselves are safe in the queue."
    )
    dead_button = gr.Button("Show dead letters", elem_id="dead-letters-refresh")
    dead_table = gr.Dataframe(interactive=False, wrap=True, elem_id="dead-letters")
    dead_button.click(handlers.undelivered, None, dead_table)


class AnalyticsHandlers:
    def __init__(self, services: Services, auth: SignIn) -> None:
        self._services = services
        self._auth = auth

    def analytics(
        self, request: gr.Request
    ) -> tuple[pd.DataFrame, pd.DataFrame, str, pd.DataFrame]:
        learning_ops(self._auth, request)
        data = self._services.analytics.compute()
        per_day = pd.DataFrame(data.conversations_per_day or [], columns=["day", "conversations"])
        topics = pd.DataFrame(data.top_topics or [], columns=["topic", "questions"])
        summary = (
            f"**{data.conversations}** conversations · **{data.questions}** questions · "
            f"hand-off rate **{data.handoff_rate:.0%}** · "
            f"thumbs-down rate **{data.thumbs_down_rate:.0%}** of {data.feedback_count} ratings"
        )
        gaps = pd.DataFrame(
            [[g.topic, len(g.questions), ", ".join(f"{k} {v}" for k, v in g.reasons.items()),
              " / ".join(g.questions[:3]), "; ".join(g.hosts)] for g in data.content_gaps],
            columns=["Topic", "Questions", "Why", "Examples", "Hosts who could speak to it"],
        )  # fmt: skip
        return per_day, topics, summary, gaps


def _analytics_panel(handlers: AnalyticsHandlers) -> None:
    refresh_stats = gr.Button("Refresh analytics", elem_id="analytics-refresh")
    summary = gr.Markdown(elem_id="analytics-summary")
    with gr.Row():
        per_day = gr.BarPlot(
            x="day", y="conversations", title="Conversations per day", y_lim=[0, None]
        )
        topics = gr.BarPlot(
            x="topic", y="questions", title="Top topics (by first source cited)",
            x_label_angle=-35, sort="-y", y_lim=[0, None], height=380,
        )  # fmt: skip
    gr.Markdown("#### Content gaps: questions the library could not answer well")
    gaps = gr.Dataframe(interactive=False, wrap=True, elem_id="content-gaps")
    refresh_stats.click(handlers.analytics, None, [per_day, topics, summary, gaps])


def build_ops_tab(services: Services, auth: SignIn) -> None:
    with gr.Tab("Escalation queue"):
        _queue_panel(QueueHandlers(services, auth))
    with gr.Tab("Knowledge"):
        _library_panel(LibraryHandlers(services, auth))
    with gr.Tab("Rules the coach reads"):
        rules_panel(RuleHandlers(services, auth))
    with gr.Tab("Notifications"):
        _notifications_panel(NotificationHandlers(services, auth))
    with gr.Tab("Analytics"):
        _analytics_panel(AnalyticsHandlers(services, auth))
