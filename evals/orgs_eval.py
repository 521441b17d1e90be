"""Organisations the coach has never seen: each folder in evals/orgs/ (and the development
organisation in ../shared/orgs/, when it is there) indexed on its own, and its cases run
through the real chat service and planners.

Every check reads only what a user would see (the answer's text, the hand-off, the plan) and
the case's expectations, written by someone who never read the coach's code; none reuses the
code that builds or checks answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.chat import ChatOutcome
from coach.flows.requests import parse_request
from evals.datasets import EVALS_DIR
from evals.harness import Coach, Tick
from evals.metrics import mean
from evals.results import Failure, SectionResult, short
from knowledge.ingest import Root

ORGS_DIR = EVALS_DIR / "orgs"
DEVELOPMENT_ORGS = EVALS_DIR.parent.parent / "shared" / "orgs"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Organisation:
    name: str
    knowledge: Path
    cases: dict[str, Any]
    development: bool  # looked at while building the coach; the others are held out


def organisations() -> list[Organisation]:
    found = [
        Organisation(d.name, d / "knowledge", _cases(d / "cases.json"), development=False)
        for d in sorted(ORGS_DIR.iterdir())
        if (d / "cases.json").is_file()
    ]
    if DEVELOPMENT_ORGS.is_dir():
        found += [
            Organisation(d.name, d, _cases(d / "cases.json"), development=True)
            for d in sorted(DEVELOPMENT_ORGS.iterdir())
            if (d / "cases.json").is_file()
        ]
    return found


def _cases(path: Path) -> dict[str, Any]:
    cases: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    # The development organisation states single cases where the others list them.
    for single, plural in (
        ("session_plan", "session_plans"),
        ("learning_plan", "learning_plans"),
        ("wellbeing", "wellbeing"),
        ("hr", "hr"),
    ):
        value = cases.get(single)
        if isinstance(value, dict | str):
            cases[plural] = [value]
    return cases


def bundled_answer_cases() -> dict[str, Any]:
    """The answer set over the bundled knowledge (evals/data/answers), as organisation cases."""
    path = EVALS_DIR / "data" / "answers" / "bundled.jsonl"
    cases: dict[str, Any] = {"answers": [], "unanswerable": [], "conversations": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        if "turns" in case:
            cases["conversations"].append(case)
        elif case.get("unanswerable"):
            cases["unanswerable"].append({"q": case["question"], "why": case.get("why", "")})
        else:
            cases["answers"].append({**case, "q": case["question"]})
    return cases


def roots(org: Organisation) -> list[Root]:
    return [Root(org.knowledge)]


def _says(text: str, phrases: list[str]) -> bool:
    lowered = text.lower()
    return any(p.lower() in lowered for p in phrases)


def _ask(coach: Coach, question: str) -> ChatOutcome:
    return coach.services.chat.chat(question, owner="evaluation")


def _refused(outcome: ChatOutcome) -> bool:
    """The coach declined to answer from the library: it said the library doesn't cover it, that
    it is outside what the coach does, or whose matter it is instead (HR, wellbeing)."""
    return outcome.reply.kind in ("not_found", "out_of_scope", "redirect")


class _Scores:
    def __init__(self, org: str, result: SectionResult) -> None:
        self.prefix = f"orgs.{org}"
        self.result = result
        self.flags: dict[str, list[bool]] = {}

    def add(self, metric: str, ok: bool, case: str = "", expected: str = "", got: str = "") -> None:
        self.flags.setdefault(metric, []).append(ok)
        if not ok and case:
            self.result.failures.append(
                Failure(f"orgs.{metric}", self.prefix.split(".")[-1], case, expected, short(got))
            )

    def finish(self) -> None:
        for metric, flags in self.flags.items():
            self.result.metrics[f"{self.prefix}.{metric}"] = mean([float(f) for f in flags])
            self.result.metrics[f"{self.prefix}.{metric}.n"] = float(len(flags))


def subset(cases: dict[str, Any], stride: int) -> dict[str, Any]:
    """Every `stride`-th case of the long lists (answers, unanswerable, retrieval)."""
    long = ("answers", "unanswerable", "retrieval", "conversations")
    return {k: (v[::stride] if k in long and isinstance(v, list) else v) for k, v in cases.items()}


def evaluate(coach: Coach, name: str, cases: dict[str, Any], tick: Tick) -> SectionResult:
    result = SectionResult("orgs", "Organisations the coach has never seen")
    scores = _Scores(name, result)
    steps = (_retrieval, _answers, _conversations, _unanswerable, _routing, _people, _plans,
             _learning)  # fmt: skip
    for step in steps:
        for _ in step(coach, cases, scores):
            tick()
    scores.finish()
    _not_in_library(scores, result)
    return result


def _retrieval(coach: Coach, cases: dict[str, Any], scores: _Scores) -> Iterator[None]:
    for case in cases.get("retrieval", []):
        found = [p.source for p in coach.retriever.retrieve(case["q"], 5)]
        scores.add(
            "retrieval.recall@5",
            case["source"] in found,
            case["q"],
            case["source"],
            ", ".join(found),
        )
        yield


def _answers(coach: Coach, cases: dict[str, Any], scores: _Scores) -> Iterator[None]:
    for case in cases.get("answers", []):
        outcome = _ask(coach, case["q"])
        text = outcome.reply.answer
        right = _says(text, case["must_state_any"])
        wrong = _says(text, case.get("must_not_state", [])) or (
            not right and _conflicting_figure(coach, case, text)
        )
        scores.add("answers.key_fact_accuracy", right, case["q"], str(case["must_state_any"]), text)
        scores.add("answers.wrong_fact_free", not wrong, case["q"], "no conflicting fact", text)
        scores.add("answers.answered", not _refused(outcome))
        scores.add(f"answers.path.{outcome.reply.path or outcome.reply.kind}", True)
        scores.add("answers.short", len(text.split()) <= 80, case["q"], "≤ 80 words", text)
        if case.get("detail"):
            planned = outcome.reply.kind == "session_plan"
            scores.add(
                "answers.detail_answered_not_planned", not planned, case["q"], "an answer", text
            )
        yield


def _conversations(coach: Coach, cases: dict[str, Any], scores: _Scores) -> Iterator[None]:
    """Follow-ups ("and for 50 people?") answered against the conversation."""
    for case in cases.get("conversations", []):
        conversation: str | None = None
        for turn in case["turns"]:
            outcome = coach.services.chat.chat(turn, conversation, owner="evaluation")
            conversation = outcome.conversation_id
        text = outcome.reply.answer
        scores.add(
            "follow_ups.key_fact_accuracy",
            _says(text, case["must_state_any"]),
            " / ".join(case["turns"]),
            str(case["must_state_any"]),
            text,
        )
        yield


def _conflicting_figure(coach: Coach, case: dict[str, Any], text: str) -> bool:
    """The answer states a figure its expected source does not have."""
    source = case.get("source")
    if not source:
        return False
    stated = set(_NUMBER.findall(coach.source_text(source)))
    said = set(_NUMBER.findall(re.sub(r"\([^)]*\)\s*$", "", text)))
    return bool(said - stated)


def _unanswerable(coach: Coach, cases: dict[str, Any], scores: _Scores) -> Iterator[None]:
    for case in cases.get("unanswerable", []):
        outcome = _ask(coach, case["q"])
        scores.add(
            "unanswerable.refused",
            _refused(outcome),
            case["q"],
            "not in the library",
            outcome.reply.answer,
        )
        yield


def _not_in_library(scores: _Scores, result: SectionResult) -> None:
    """Precision and recall of "not in the library" over answerable and unanswerable cases."""
    refused_unanswerable = scores.flags.get("unanswerable.refused", [])
    answered = scores.flags.get("answers.answered", [])
    true_refusals = sum(refused_unanswerable)
    false_refusals = sum(not a for a in answered)
    if refused_unanswerable:
        result.metrics[f"{scores.prefix}.not_in_library.recall"] = true_refusals / len(
            refused_unanswerable
        )
    if true_refusals + false_refusals:
        result.metrics[f"{scores.prefix}.not_in_library.precision"] = true_refusals / (
            true_refusals + false_refusals
        )


def _routing(coach: Coach, cases: dict[str, Any], scores: _Scores) -> Iterator[None]:
    team = cases.get("team_name", "")
    for message in cases.get("escalate", []):
        reply = _ask(coach, message).reply
        routed = reply.handoff is not None and reply.handoff.route == "learning_ops"
        scores.add("handoff.escalate", routed, message, "a hand-off to the team", reply.answer)
        if routed and team:
            scores.add(
                "handoff.names_team",
                team.lower() in reply.answer.lower(),
                message,
                team,
                reply.answer,
            )
        yield
    for message in cases.get("no_escalate", []):
        reply = _ask(coach, message).reply
        scores.add(
            "handoff.stays_with_coach",
            reply.handoff is None or reply.kind == "not_found",
            message,
            "an answer",
            reply.answer,
        )
        yield
    for message in cases.get("hr", []):
        reply = _ask(coach, message).reply
        routed = reply.handoff is not None and reply.handoff.route == "hr"
        scores.add("handoff.hr", routed, message, "HR", reply.answer)
        if routed and cases.get("hr_name"):
            scores.add(
                "handoff.names_hr",
                _says(reply.answer, [cases["hr_name"]]),
                message,
                cases["hr_name"],
                reply.answer,
            )
        yield
    for case in cases.get("wellbeing", []):
        message = case["q"] if isinstance(case, dict) else case
        reply = _ask(coach, message).reply
        routed = reply.handoff is not None and reply.handoff.route == "wellbeing"
        scores.add("handoff.wellbeing", routed, message, "wellbeing", reply.answer)
        name = case.get("must_mention") if isinstance(case, dict) else None
        if name:
            scores.add(
                "handoff.names_wellbeing", _says(reply.answer, [name]), message, name, reply.answer
            )
        yield


def _people(coach: Coach, cases: dict[str, Any], scores: _Scores) -> Iterator[None]:
    for case in cases.get("people", []):
        reply = _ask(coach, case["q"]).reply
        scores.add(
            "people.names_host",
            _says(reply.answer, [case["must_mention"]]),
            case["q"],
            case["must_mention"],
            reply.answer,
        )
        yield


def _plans(coach: Coach, cases: dict[str, Any], scores: _Scores) -> Iterator[None]:
    planner = coach.services.core.coaching.sessions
    for case in cases.get("session_plans", []):
        plan = planner.plan(parse_request(case["request"], planner.known_formats()))
        markdown = "\n".join([*plan.logistics, *plan.adjustments, *(r.text for r in plan.rules)])
        within = True
        if case.get("max_minutes"):
            within &= plan.duration_minutes <= case["max_minutes"]
        if case.get("min_minutes"):
            within &= plan.duration_minutes >= case["min_minutes"]
        if case.get("max_in_person") and plan.audience_size > case["max_in_person"]:
            within &= plan.hybrid or any(str(case["max_in_person"]) in a for a in plan.adjustments)
        scores.add(
            "plans.within_limits",
            within,
            case["request"],
            json.dumps(case)[:200],
            f"{plan.duration_minutes} min, {plan.audience_size} people, hybrid={plan.hybrid}",
        )
        if case.get("facilitators"):
            staffed = any(
                re.match(rf"{case['facilitators']} facilitators?\b", line)
                for line in plan.logistics
            )
            scores.add(
                "plans.facilitators",
                staffed,
                case["request"],
                f"{case['facilitators']} facilitators",
                markdown,
            )
        for group in case.get("must_state_any", []):
            scores.add(
                "plans.states_rules", _says(markdown, group), case["request"], str(group), markdown
            )
        if case.get("room"):
            named = any(
                line.startswith("Room:") and case["room"].lower() in line.lower()
                for line in plan.logistics
            )
            scores.add("plans.room", named, case["request"], case["room"], markdown)
        yield


def _learning(coach: Coach, cases: dict[str, Any], scores: _Scores) -> Iterator[None]:
    for case in cases.get("learning_plans", []):
        outcome = _ask(coach, case["goal"])
        text = outcome.reply.answer
        scores.add(
            "learning.planned",
            outcome.reply.kind == "learning_plan",
            case["goal"],
            "a learning plan",
            text,
        )
        time_ok = f"{case['hours_per_week']:g} hours a week for {case['weeks']} weeks" in text
        scores.add(
            "learning.time_as_asked",
            time_ok,
            case["goal"],
            f"{case['hours_per_week']} h x {case['weeks']} weeks",
            text,
        )
        for group in case.get("must_state_any", []):
            scores.add("learning.practices", _says(text, group), case["goal"], str(group), text)
        yield


def count(cases: dict[str, Any]) -> int:
    keys = (
        "conversations",
        "retrieval",
        "answers",
        "unanswerable",
        "escalate",
        "no_escalate",
        "hr",
        "wellbeing",
        "people",
        "session_plans",
        "learning_plans",
    )
    return sum(len(cases.get(k, [])) for k in keys)
