"""An employee's own tickets and their status."""

from __future__ import annotations

from collections.abc import Sequence

import gradio as gr
import pandas as pd

from coach.records import Ticket
from coach.services import Services
from ui.identity import SignIn, person

COLUMNS = ["Ticket", "Route", "Status", "Summary", "Resolution", "Updated"]


def tickets_frame(rows: Sequence[Ticket]) -> pd.DataFrame:
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


class TicketHandlers:
    def __init__(self, services: Services, auth: SignIn) -> None:
        self._services = services
        self._auth = auth

    def mine(self, request: gr.Request) -> pd.DataFrame:
        """The person's own tickets, newest first."""
        page = self._services.escalations.page(
            requester=person(self._auth, request).user, limit=100
        )
        return tickets_frame(page.items)


def build_tickets_tab(services: Services, auth: SignIn) -> None:
    handlers = TicketHandlers(services, auth)
    refresh = gr.Button("Refresh", size="sm", elem_id="my-tickets-refresh")
    table = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True, elem_id="my-tickets")
    refresh.click(handlers.mine, None, table)
