"""An employee's own tickets and their status."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from api.services import Services
from ui.session import SessionAuth

COLUMNS = ["Ticket", "Route", "Status", "Summary", "Resolution", "Updated"]


def tickets_frame(rows: list) -> pd.DataFrame:  # type: ignore[type-arg]
    return pd.DataFrame(
        [
            [
                r.id,
                r.route,
                r.status,
                r.summary[:120],
                r.resolution_note or "",
                f"{r.updated_at:%Y-%m-%d %H:%M}",
            ]
            for r in rows
        ],
        columns=COLUMNS,
    )


def build_tickets_tab(services: Services, auth: SessionAuth) -> None:
    def mine(request: gr.Request) -> pd.DataFrame:
        page = services.escalations.page(requester=auth.of(request).user, limit=100)
        return tickets_frame(list(page.items))

    refresh = gr.Button("Refresh", size="sm", elem_id="my-tickets-refresh")
    table = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True, elem_id="my-tickets")
    refresh.click(mine, None, table)
