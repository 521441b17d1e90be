"""The rules the coach reads, for Learning Ops to see and correct: per playbook, each rule with
its sentence and status, and a decision per sentence (confirm, correct with a kind, value and
unit, or ignore) that wins over what was read, in plans too."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Literal, cast, get_args

from coach.bounds import MAX_AUDIENCE, MAX_DURATION_MINUTES, MAX_HOURS_PER_WEEK, MAX_WEEKS
from coach.domain import RuleDecision
from coach.flows.rulebook import ReviewedRule, RuleBook
from coach.ports import RuleCorrections
from coach.reading.rules import RuleKind
from coach.records import PlaybookRules, RuleRow
from coach.structured.rules import RuleDisagreement

Action = Literal["confirm", "correct", "ignore"]
KINDS: tuple[str, ...] = get_args(RuleKind)
MAX_MONEY = 1_000_000_000
_CURRENCY = re.compile(r"^[A-Z]{3}$")

# The units plans read each kind in, each with the largest value that makes sense. Money kinds
# take any currency code; feedback and recording state no quantity.
_MINUTES: dict[str, float] = {"minute": MAX_DURATION_MINUTES}
_PEOPLE: dict[str, float] = {"person": MAX_AUDIENCE}
UNITS: dict[str, dict[str, float]] = {
    "max_duration": _MINUTES,
    "min_duration": _MINUTES,
    "part_duration": _MINUTES,
    "break": _MINUTES,
    "capacity": _PEOPLE,
    "per_facilitator": _PEOPLE,
    "moderator": _PEOPLE,
    "lead_time": {"day": 730, "working_day": 520, "week": 104, "month": 24},
    "practice_share": {"percent": 100},
    "protected_time": {"hour": MAX_HOURS_PER_WEEK},  # a week
    "frequency": {"week": MAX_WEEKS},  # every so many weeks
    "approval_threshold": {},
    "budget": {},
    "feedback": {},
    "recording": {},
}
MONEY = ("approval_threshold", "budget")
WITHOUT_VALUE = ("feedback", "recording")


class UnknownRuleError(LookupError):
    """No such playbook, or no such sentence in it."""


class InvalidCorrectionError(ValueError):
    """A decision that cannot be applied: an unknown kind, a missing value, a value out of
    bounds, a unit the kind is not measured in."""


def no_disagreements(source: str | None) -> Sequence[RuleDisagreement]:
    return ()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Rules:
    def __init__(
        self,
        book: RuleBook,
        corrections: RuleCorrections,
        *,
        disagreements: Callable[[str | None], Sequence[RuleDisagreement]] = no_disagreements,
        clock: Callable[[], dt.datetime] = _now,
    ) -> None:
        self._book = book
        self._corrections = corrections
        self._disagreements = disagreements
        self._clock = clock

    def playbooks(self, source: str | None = None) -> list[PlaybookRules]:
        """Every playbook (or just `source`) with the rules the coach reads in it."""
        titles = self._book.playbooks()
        if source is not None and source not in titles:
            raise UnknownRuleError(f"No playbook is indexed as {source!r}.")
        return [self._playbook(s) for s in sorted(titles) if source in (None, s)]

    def decide(
        self,
        source: str,
        sentence: str,
        action: str,
        *,
        by: str,
        kind: str | None = None,
        value: float | None = None,
        unit: str | None = None,
    ) -> PlaybookRules:
        """Record Learning Ops' decision about a sentence (it replaces any earlier one), and
        return the playbook's rules as they now stand."""
        if action not in get_args(Action):
            raise InvalidCorrectionError(f"Decide confirm, correct or ignore, not {action!r}.")
        sentence = sentence.strip()
        rows = [r for r in self.playbooks(source)[0].rules if r.sentence == sentence]
        if action == "correct":
            if not self._book.states(source, sentence):
                raise UnknownRuleError(f"{source!r} has no sentence {sentence!r}.")
            read = next((r for r in rows if r.kind == kind and r.unit), None)
            unit = unit or (read.unit if read else None)  # the unit it was read in, if not given
            decision = _correction(source, sentence, kind, value, unit)
        else:
            if not rows:
                raise UnknownRuleError(f"The coach reads no rule in {sentence!r} ({source}).")
            if (kind, value, unit) != (None, None, None):
                raise InvalidCorrectionError("Only a correction takes a kind, value or unit.")
            decision = RuleDecision(source, sentence, cast(Action, action))
        self._corrections.save(replace(decision, decided_by=by, decided_at=self._clock()))
        return self._playbook(source)

    def _playbook(self, source: str) -> PlaybookRules:
        review = self._book.review(source)
        rows = [_row(r) for r in review.rules]
        decided = {d.sentence for d in self._corrections.all() if d.source == source}
        for disagreement in self._disagreements(source):
            rows = _with_model_reading(rows, disagreement, decided)
        return PlaybookRules(source, review.title, tuple(rows), tuple(review.stale))


def _correction(
    source: str, sentence: str, kind: str | None, value: float | None, unit: str | None
) -> RuleDecision:
    """A correction, checked: a known kind, and a value within its bounds in a unit plans read
    that kind in."""
    if kind not in KINDS:
        raise InvalidCorrectionError(f"Unknown kind {kind!r}; the kinds are {', '.join(KINDS)}.")
    if kind in WITHOUT_VALUE:
        if value is not None:
            raise InvalidCorrectionError(f"A {kind} rule states no value.")
        return RuleDecision(source, sentence, "correct", kind)
    units = UNITS[kind]
    unit = unit or (next(iter(units)) if len(units) == 1 else None)
    if kind in MONEY:
        unit = unit.upper() if unit else None
        if unit is None or not _CURRENCY.match(unit):
            raise InvalidCorrectionError(f"A {kind} needs a currency code (EUR, USD…) as unit.")
        units = {unit: MAX_MONEY}
    if unit not in units:
        raise InvalidCorrectionError(f"A {kind} is in {' or '.join(units)}, not {unit!r}.")
    if value is None and kind != "moderator":  # "a moderator for hybrid sessions": no number
        raise InvalidCorrectionError(f"A {kind} correction needs a value.")
    if value is not None and not (math.isfinite(value) and 0 < value <= units[unit]):
        raise InvalidCorrectionError(
            f"A {kind} must be above 0 and at most {units[unit]:g} {unit}; got {value:g}."
        )
    return RuleDecision(source, sentence, "correct", kind, value, unit)


def _row(reviewed: ReviewedRule) -> RuleRow:
    rule, decision = reviewed.rule, reviewed.decision
    row = RuleRow(rule.text, rule.kind, rule.value, rule.unit, rule.subject, reviewed.status)
    if decision is None:
        return row
    if reviewed.status == "needs_review":
        return replace(row, note=f"It replaced a sentence decided on: {decision.sentence}")
    return replace(row, decided_by=decision.decided_by, decided_at=decision.decided_at)


def _with_model_reading(
    rows: list[RuleRow], disagreement: RuleDisagreement, decided: set[str]
) -> list[RuleRow]:
    """The rows of a sentence nobody has decided on, marked where the model reads it otherwise;
    a rule only the model reads gets a row of its own, with no value in use."""
    sentences = {disagreement.text, disagreement.model_text}
    if sentences & decided:
        return rows  # Learning Ops have had their say on this sentence
    note = _model_note(disagreement)
    if not any(r.sentence in sentences and r.kind == disagreement.kind for r in rows):
        kind = disagreement.kind
        return [
            *rows,
            RuleRow(disagreement.text, kind, None, None, "session", "model_disagrees", note),
        ]
    return [
        replace(r, status="model_disagrees", note=note)
        if r.sentence in sentences and r.kind == disagreement.kind and r.status == "read"
        else r
        for r in rows
    ]


def _model_note(disagreement: RuleDisagreement) -> str:
    if disagreement.what == "only_reader":
        return f"The model reads no {disagreement.kind} here."
    if disagreement.model_value is None:
        return f"The model reads a {disagreement.kind} here."
    model = f"{disagreement.model_value:g} {disagreement.model_unit or ''}".strip()
    return f"The model reads a {disagreement.kind} of {model}."
