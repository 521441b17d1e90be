"""The console's "Rules the coach reads": per playbook, each rule with its sentence, kind, value
and status, and a confirm / correct / ignore action on a sentence (coach.services.rules)."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from coach.records import PlaybookRules
from coach.services import Services
from coach.services.rules import KINDS, InvalidCorrectionError, UnknownRuleError
from ui.identity import SignIn, learning_ops

COLUMNS = ["Sentence", "Kind", "Value", "Unit", "About", "Status", "Note", "Decided by"]
WIDTHS: list[str | int] = ["34%", "12%", "6%", "9%", "9%", "10%", "12%", "8%"]  # the status in view
ACTIONS = ["confirm", "correct", "ignore"]


def rules_frame(playbook: PlaybookRules | None) -> pd.DataFrame:
    rows = playbook.rules if playbook else ()
    return pd.DataFrame(
        [[r.sentence, r.kind, "" if r.value is None else f"{r.value:g}", r.unit or "", r.subject,
          r.status.replace("_", " "), r.note or "", r.decided_by or ""] for r in rows],
        columns=COLUMNS,
    )  # fmt: skip


def set_aside_markdown(playbook: PlaybookRules | None) -> str:
    """Decisions whose sentence the playbook no longer has: they stopped applying."""
    if not playbook or not playbook.set_aside:
        return ""
    lines = ["**Set aside: the playbook no longer has these sentences.**"]
    lines += [f"- {d.action} by {d.decided_by or '?'}: {d.sentence}" for d in playbook.set_aside]
    return "\n".join(lines)


class RuleHandlers:
    def __init__(self, services: Services, auth: SignIn) -> None:
        self._services = services
        self._auth = auth

    def playbooks(self, request: gr.Request) -> Any:
        learning_ops(self._auth, request)
        found = self._services.rules.playbooks()
        return gr.update(choices=[(f"{p.title} ({p.source})", p.source) for p in found])

    def _one(self, source: str | None) -> PlaybookRules | None:
        try:
            return self._services.rules.playbooks(source)[0] if source else None
        except UnknownRuleError as error:
            raise gr.Error(str(error)) from None

    def show(self, source: str | None, request: gr.Request) -> tuple[pd.DataFrame, Any, str]:
        learning_ops(self._auth, request)
        playbook = self._one(source)
        sentences = list(dict.fromkeys(r.sentence for r in playbook.rules)) if playbook else []
        return (
            rules_frame(playbook),
            gr.update(choices=sentences, value=None),
            set_aside_markdown(playbook),
        )

    def pick(
        self, source: str | None, sentence: str | None, request: gr.Request
    ) -> tuple[str | None, float | None, str]:
        """The kind, value and unit read from the sentence, as a starting point to correct."""
        learning_ops(self._auth, request)
        rows = playbook.rules if (playbook := self._one(source)) else ()
        row = next((r for r in rows if r.sentence == sentence), None)
        return (row.kind, row.value, row.unit or "") if row else (None, None, "")

    def decide(
        self,
        source: str | None,
        sentence: str | None,
        action: str,
        kind: str | None,
        value: float | None,
        unit: str,
        request: gr.Request,
    ) -> tuple[str, pd.DataFrame, Any, str]:
        user = learning_ops(self._auth, request)
        if not source or not sentence:
            raise gr.Error("Pick a playbook and a sentence first.")
        if action != "correct":  # the kind, value and unit fields only matter to a correction
            kind, value, unit = None, None, ""
        try:
            self._services.rules.decide(
                source, sentence, action, by=user.user, kind=kind, value=value, unit=unit or None
            )
        except (UnknownRuleError, InvalidCorrectionError) as error:
            raise gr.Error(str(error)) from None
        return (f"Saved: {action} · {sentence}", *self.show(source, request))


def rules_panel(handlers: RuleHandlers) -> None:
    gr.Markdown(
        "#### Rules the coach reads\nEach rule with the sentence it comes from. Confirm what is "
        "right, correct what is misread, ignore what is not a rule: your decision wins in plans "
        "while the sentence is unchanged; when it changes, the rule comes back for review."
    )
    with gr.Row():
        playbook = gr.Dropdown(label="Playbook", choices=[], elem_id="rules-playbook")
        load = gr.Button("List playbooks", elem_id="rules-refresh")
    table = gr.Dataframe(
        headers=COLUMNS, interactive=False, wrap=True, elem_id="rules", column_widths=WIDTHS
    )
    set_aside = gr.Markdown(elem_id="rules-set-aside")
    sentence = gr.Dropdown(label="Sentence", choices=[], elem_id="rules-sentence")
    with gr.Row():
        action = gr.Radio(ACTIONS, value="confirm", label="Decision", elem_id="rules-action")
        kind = gr.Dropdown(list(KINDS), label="Kind (to correct)", elem_id="rules-kind")
        value = gr.Number(label="Value", elem_id="rules-value")
        unit = gr.Textbox(label="Unit", placeholder="minute, person, working_day, EUR…")
    save = gr.Button("Save decision", variant="primary", elem_id="rules-save")
    saved = gr.Markdown(elem_id="rules-saved")
    load.click(handlers.playbooks, None, playbook)
    playbook.input(handlers.show, playbook, [table, sentence, set_aside])
    sentence.input(handlers.pick, [playbook, sentence], [kind, value, unit])
    save.click(
        handlers.decide,
        [playbook, sentence, action, kind, value, unit],
        [saved, table, sentence, set_aside],
    )
