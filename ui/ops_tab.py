"""The Learning Ops console: the escalation queue, the knowledge library, analytics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from api.escalations import InvalidTransitionError
from api.outbox import dead_letters
from api.review import flagged_sentences
from api.services import Services
from knowledge.library import UploadRejectedError
from ui.render import inert
from ui.session import SessionAuth
from ui.tickets_tab import COLUMNS, tickets_frame

STATUSES = ["open", "in_progress", "resolved", "closed"]
ROUTES = ["learning_ops", "hr", "wellbeing"]


def build_ops_tab(services: Services, auth: SessionAuth) -> None:
    def require_ops(request: gr.Request) -> None:
        if not auth.of(request).is_learning_ops:
            raise gr.Error("This needs the learning_ops role.")

    def queue(
        status: str | None, route: str | None, request: gr.Request
    ) -> tuple[pd.DataFrame, Any]:
        require_ops(request)
        page = services.escalations.page(
            requester=None, status=status or None, route=route or None, limit=200
        )
        rows = list(page.items)
        return tickets_frame(rows), gr.update(choices=[r.id for r in rows])

    def details(ticket_id: str | None, request: gr.Request) -> tuple[str, Any, str, str]:
        require_ops(request)
        row = services.escalations.get(ticket_id or "")
        if row is None:
            return "", gr.update(value=None), "", ""
        tried = ", ".join(f"`{s}`" for s in row.sources.get("items", [])) or "none"
        lines = [
            f"### Ticket {row.id} · {row.route} · {row.status}",
            f"**Requester:** {row.requester} · **Assignee:** {row.assignee or '—'}",
            f"**Why:** {row.reason}", "", f"**Summary:** {row.summary}", "",
            f"**Documents the coach tried:** {tried}",
        ]  # fmt: skip
        if row.conversation_id:
            from api.models import Conversation

            with services.escalations._sessions() as session:
                owner = session.get(Conversation, row.conversation_id)
            if owner is not None:
                messages = services.conversations.messages(row.conversation_id, owner.owner)
                lines += ["", "**Conversation:**"]
                for m in messages[-8:]:
                    speaker = "Employee" if m.role == "user" else "Coach"
                    quoted = m.content[:600].replace("\n", "\n> ")
                    lines += ["", f"**{speaker}:**", "", f"> {quoted}"]
        return (
            inert("\n".join(lines)),
            gr.update(value=row.status),
            row.assignee or "",
            row.resolution_note or "",
        )

    def save(
        ticket_id: str | None, status: str, assignee: str, note: str, request: gr.Request
    ) -> str:
        require_ops(request)
        if not ticket_id:
            raise gr.Error("Pick a ticket first.")
        try:
            row = services.escalations.update(
                ticket_id, status=status, assignee=assignee, resolution_note=note or None
            )
        except InvalidTransitionError as error:
            raise gr.Error(str(error)) from None
        gr.Info(f"Ticket {ticket_id} is now {row.status if row else '?'}.")
        return f"Saved: ticket {ticket_id} is {row.status if row else '?'}."

    def documents(request: gr.Request) -> pd.DataFrame:
        require_ops(request)
        rows = services.library.documents()
        return pd.DataFrame(
            [[d.source, d.title, d.kind, d.chunks, d.indexed_at] for d in rows],
            columns=["Source", "Title", "Kind", "Chunks", "Last indexed"],
        )

    def upload(files: list[str] | None, kind: str, request: gr.Request) -> tuple[str, pd.DataFrame]:
        require_ops(request)
        lines = []
        for path in files or []:
            name = Path(path).name
            data = Path(path).read_bytes()
            Path(path).unlink(missing_ok=True)  # indexed from memory; no copy left behind
            try:
                source, report = services.library.upload(name, data, kind)
                lines.append(f"- Indexed `{source}`.")
                lines += [f"- Failed `{s}`: {why}" for s, why in report.failed.items()]
            except UploadRejectedError as error:
                lines.append(f"- Not indexed: {error}")
        return "\n".join(lines) or "Choose files first.", documents(request)

    def flagged(request: gr.Request) -> pd.DataFrame:
        require_ops(request)
        rows = flagged_sentences(services.core.store)
        return pd.DataFrame(
            [[f.source, f.title, f.sentence] for f in rows],
            columns=["Source", "Title", "Flagged sentence (kept; treated as data)"],
        )

    def undelivered(request: gr.Request) -> pd.DataFrame:
        require_ops(request)
        rows = dead_letters(services.escalations._sessions)
        return pd.DataFrame(
            [[r.id, r.escalation_id, r.attempts, r.last_error or "", f"{r.dead_at:%Y-%m-%d %H:%M}"]
             for r in rows],
            columns=["Notification", "Ticket", "Attempts", "Last error", "Given up"],
        )  # fmt: skip

    def reindex(request: gr.Request) -> tuple[str, pd.DataFrame]:
        require_ops(request)
        report = services.library.sync()
        counts = ", ".join(f"{n} {label}" for label, n in report.counts().items())
        errors = "".join(f"\n- Failed `{s}`: {why}" for s, why in report.failed.items())
        return f"Re-indexed: {counts}.{errors}", documents(request)

    def analytics(request: gr.Request) -> tuple[pd.DataFrame, pd.DataFrame, str, pd.DataFrame]:
        require_ops(request)
        data = services.analytics.compute()
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

    with gr.Tab("Escalation queue"):
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
        refresh.click(queue, [status, route], [table, ticket])
        ticket.input(details, [ticket], [detail, new_status, assignee, note])
        save_button.click(save, [ticket, new_status, assignee, note], saved).then(
            queue, [status, route], [table, ticket]
        )
    with gr.Tab("Knowledge"):
        files = gr.File(label="Upload documents", file_count="multiple", elem_id="upload-files")
        kind = gr.Dropdown(["playbook", "session_note", "document"], value="document", label="Kind")
        with gr.Row():
            upload_button = gr.Button(
                "Upload and index", variant="primary", elem_id="upload-button"
            )
            reindex_button = gr.Button("Re-index the library", elem_id="reindex-button")
        report = gr.Markdown(elem_id="ingest-report")
        library = gr.Dataframe(interactive=False, wrap=True, elem_id="library")
        upload_button.click(upload, [files, kind], [report, library])
        reindex_button.click(reindex, None, [report, library])
        gr.Markdown(
            "#### Flagged for review\nSentences that read as addressed to an assistant. They "
            "stay searchable and citable; the coach treats them as data and never follows them."
        )
        review_button = gr.Button("Show flagged sentences", elem_id="flagged-refresh")
        review_table = gr.Dataframe(interactive=False, wrap=True, elem_id="flagged")
        review_button.click(flagged, None, review_table)
    with gr.Tab("Notifications"):
        gr.Markdown(
            "#### Undelivered ticket notifications\nThe webhook refused these until the coach "
            "gave up; the tickets themselves are safe in the queue."
        )
        dead_button = gr.Button("Show dead letters", elem_id="dead-letters-refresh")
        dead_table = gr.Dataframe(interactive=False, wrap=True, elem_id="dead-letters")
        dead_button.click(undelivered, None, dead_table)
    with gr.Tab("Analytics"):
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
        refresh_stats.click(analytics, None, [per_day, topics, summary, gaps])
