"""The Learning Ops console's community panels: the topics people want (with trends and
suggested hosts), drafted session notes to review, edit and publish, and the autonomy view
(charts, and the numbers behind them as CSV). Every handler checks the role."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import gradio as gr
import pandas as pd

from coach.community.autonomy import MONTHS, MonthAutonomy, to_csv
from coach.community.people import Caller
from coach.services import Services
from coach.services.access import caller_of
from ui.community_render import refusals_shown, team_topics_frame
from ui.files import DownloadFolder
from ui.identity import SignIn, learning_ops
from ui.render import inert

# The autonomy view's charts: a title and the figures drawn in it.
CHARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Sessions run by employees", ("sessions_by_employees", "first_time_hosts", "repeat_hosts",
                                    "attendees_who_later_hosted")),
    ("Share run without a hand-off", ("share_without_handoff",)),
    ("Hand-offs per 100 conversations; questions not answered",
     ("handoffs_per_100_conversations", "unanswered_questions")),
    ("Communities and interests", ("communities_active", "interests_became_sessions",
                                   "median_days_interest_to_session")),
)  # fmt: skip


def long_frame(rows: list[MonthAutonomy], figures: tuple[str, ...]) -> pd.DataFrame:
    """One row per month and figure (empty months left out), as a line chart wants them."""
    records = [
        {"month": row.month, "figure": name, "value": float(getattr(row, name))}
        for row in rows
        for name in figures
        if getattr(row, name) is not None
    ]
    return pd.DataFrame(records, columns=["month", "figure", "value"])


class ConsoleHandlers:
    def __init__(self, services: Services, auth: SignIn, downloads: DownloadFolder) -> None:
        self._community = services.community
        self._auth = auth
        self._downloads = downloads

    def _team(self, request: gr.Request) -> Caller:
        return caller_of(learning_ops(self._auth, request))

    def topics(self, request: gr.Request) -> pd.DataFrame:
        with refusals_shown():
            return team_topics_frame(self._community.board.for_team(self._team(request)))

    def drafts(self, request: gr.Request) -> Any:
        with refusals_shown():
            rows = self._community.debriefs.pending(self._team(request))
        return gr.update(choices=[(d.filename, d.id) for d in rows], value=None)

    def open_draft(self, draft_id: str | None, request: gr.Request) -> tuple[str, str]:
        if not draft_id:
            return "", ""
        with refusals_shown():
            draft = self._community.debriefs.get(self._team(request), draft_id)
        to_fill = ", ".join(draft.to_fill) or "nothing"
        return draft.text, f"Left for you to fill: {inert(to_fill)}"

    def save(self, draft_id: str | None, text: str, request: gr.Request) -> str:
        if not draft_id:
            raise gr.Error("Pick a drafted note.")
        with refusals_shown():
            self._community.debriefs.edit(self._team(request), draft_id, text)
        return "Saved."

    def publish(self, draft_id: str | None, text: str, request: gr.Request) -> tuple[str, Any]:
        """Save what is in the editor, then write the note into the library and index it."""
        if not draft_id:
            raise gr.Error("Pick a drafted note.")
        caller = self._team(request)
        with refusals_shown():
            self._community.debriefs.edit(caller, draft_id, text)
            published = self._community.debriefs.publish(caller, draft_id)
        message = f"Published and indexed: `{inert(published.published_source or '')}`."
        return message, self.drafts(request)

    def autonomy(self, months: float | None, request: gr.Request) -> list[Any]:
        """The charts, the table and the CSV file, over the last `months` months."""
        caller = self._team(request)
        with refusals_shown():
            demo = self._community.demo.current(caller)
            rows = self._community.autonomy.by_month(
                caller, months=int(months or MONTHS), include_demo=demo is not None
            )
        note = (
            f"Includes the demo year `{demo.tag}` (remove it with `coach demo remove`)."
            if demo else "Real activity only."
        )  # fmt: skip
        charts = [long_frame(rows, figures) for _, figures in CHARTS]
        table = pd.DataFrame([asdict(r) for r in rows])
        csv_file = self._downloads.write("autonomy.csv", to_csv(rows))
        return [note, *charts, table, gr.update(value=csv_file, visible=True)]


def _topics_panel(handlers: ConsoleHandlers) -> None:
    refresh = gr.Button("Refresh topics", elem_id="team-topics-refresh")
    table = gr.Dataframe(interactive=False, wrap=True, elem_id="team-topics")
    refresh.click(handlers.topics, None, table)


def _notes_panel(handlers: ConsoleHandlers) -> None:
    with gr.Row():
        chosen = gr.Dropdown(label="Drafted session notes", choices=[], elem_id="draft-pick")
        refresh = gr.Button("Refresh", elem_id="drafts-refresh")
    to_fill = gr.Markdown(elem_id="draft-to-fill")
    editor = gr.Textbox(label="The note (Markdown)", lines=18, elem_id="draft-text")
    with gr.Row():
        save = gr.Button("Save", elem_id="draft-save")
        publish = gr.Button("Publish to the library", variant="primary", elem_id="draft-publish")
    result = gr.Markdown(elem_id="draft-result")
    refresh.click(handlers.drafts, None, chosen)
    chosen.focus(handlers.drafts, None, chosen)
    chosen.input(handlers.open_draft, [chosen], [editor, to_fill])
    save.click(handlers.save, [chosen, editor], result)
    publish.click(handlers.publish, [chosen, editor], [result, chosen])


def _autonomy_panel(handlers: ConsoleHandlers) -> None:
    with gr.Row():
        months = gr.Number(value=MONTHS, label="Months", precision=0, minimum=1, maximum=36)
        refresh = gr.Button("Show autonomy", variant="primary", elem_id="autonomy-refresh")
    note = gr.Markdown(elem_id="autonomy-note")
    charts: list[gr.LinePlot] = []
    for pair in (CHARTS[:2], CHARTS[2:]):
        with gr.Row():
            charts += [
                gr.LinePlot(x="month", y="value", color="figure", title=title, height=300,
                            x_label_angle=-45, elem_id=f"autonomy-chart-{len(charts) + n}")
                for n, (title, _) in enumerate(pair)
            ]  # fmt: skip
    table = gr.Dataframe(interactive=False, wrap=True, elem_id="autonomy-table")
    download = gr.File(label="The numbers (CSV)", visible=False, elem_id="autonomy-csv")
    refresh.click(handlers.autonomy, [months], [note, *charts, table, download])


def build_community_console(services: Services, auth: SignIn, downloads: DownloadFolder) -> None:
    handlers = ConsoleHandlers(services, auth, downloads)
    with gr.Tab("Topics people want", id="ops-topics"):
        _topics_panel(handlers)
    with gr.Tab("Session notes", id="ops-notes"):
        _notes_panel(handlers)
    with gr.Tab("Autonomy", id="ops-autonomy"):
        _autonomy_panel(handlers)
