"""Plans: are session and learning plans complete, consistent, and true to the playbooks?

Session plans come from the real planner (`coaching.sessions.plan(parse_request(...))`). A plan
is complete when every required field is present and non-empty; its agenda must add up to its
length; every constraint the case lists must be carried in `plan.rules`, from the same file and
with the same number; and the plan must keep the limits it can be checked against (length,
in-person capacity, people per facilitator, share of practice, an online moderator).
Learning plans must be complete and draw on the playbooks the case expects.
"""

from __future__ import annotations

import math
import re
from typing import Any

from coach.flows.requests import parse_request
from coach.flows.session_plan import SessionPlan
from coach.grounding import figures
from coach.reading.rules import Rule
from evals.datasets import Case
from evals.harness import Coach, Tick
from evals.metrics import mean, rate
from evals.results import Failure, SectionResult, short

SESSION_FIELDS = (
    "title", "format", "topic", "audience", "duration_minutes", "objectives", "agenda",
    "logistics", "rules", "promotion",
)  # fmt: skip
LEARNING_FIELDS = (
    "goal", "done_when", "hours_per_week", "weeks", "mix", "milestones", "time_blocks",
    "check_in_weeks", "resources", "buddy",
)  # fmt: skip
# "at least once a month" states 1 without a digit.
_WORDS_FOR = {1: ("once",), 2: ("twice",)}


def missing_fields(data: dict[str, Any], required: tuple[str, ...]) -> list[str]:
    return [name for name in required if data.get(name) in (None, "", [], {})]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def carries(rule: Rule, constraint: Case) -> bool:
    """The rule states the constraint: same source file, and the constraint's number (or, for
    a yes/no constraint such as `captions_required`, its subject) in the rule's sentence."""
    if rule.source != constraint["source"]:
        return False
    value = constraint["value"]
    if isinstance(value, bool):
        subject = constraint["rule"].split("_")[0].rstrip("s")
        return subject in rule.text.lower()
    if _number(value) in figures(rule.text):
        return True
    words = _WORDS_FOR.get(value, ()) if float(value).is_integer() else ()
    return any(re.search(rf"\b{w}\b", rule.text, re.IGNORECASE) for w in words)


def violations(plan: SessionPlan, constraints: list[Case]) -> list[str]:
    """The limits the plan breaks, among those a plan can be checked against."""
    broken: list[str] = []
    duration, audience = plan.duration_minutes, plan.audience_size
    logistics = " ".join(plan.logistics).lower()
    for constraint in constraints:
        rule, value = constraint["rule"], constraint["value"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if rule == "max_duration_minutes" and duration > value:
            broken.append(f"{duration} minutes, above the {_number(value)}-minute maximum")
        elif rule == "min_duration_minutes" and duration < value:
            broken.append(f"{duration} minutes, below the {_number(value)}-minute minimum")
        elif rule == "max_in_person" and audience > value:
            named = any(_number(value) in figures(a) for a in plan.adjustments)
            if not (plan.hybrid or named):
                broken.append(f"{audience} in person, above {_number(value)}, not addressed")
        elif rule == "max_per_facilitator" and audience > value:
            needed = math.ceil(audience / value)
            if not re.search(rf"\b{needed} facilitators?\b", logistics):
                broken.append(f"{audience} people need {needed} facilitators; not planned")
        elif rule == "min_practice_percent":
            practice = sum(i.minutes for i in plan.agenda if "practice" in i.activity.lower())
            if practice * 100 < value * duration:
                broken.append(f"{practice} of {duration} minutes practice, under {value}%")
        elif (
            rule == "online_moderator_above_attendees"
            and plan.hybrid
            and audience > value
            and "moderator" not in logistics
        ):
            broken.append(f"hybrid for {audience} without an online moderator")
    return broken


def evaluate_sessions(coach: Coach, cases: list[Case], label: str, tick: Tick) -> SectionResult:
    """`label` names the knowledge set (bundled, foreign) in the metric keys."""
    result = SectionResult("plans", "Plans")
    planner = coach.services.core.coaching.sessions
    formats = planner.known_formats()
    complete, sums, kept, matched, carried_flags = [], [], [], [], []
    for case in cases:
        plan = planner.plan(parse_request(case["request"], formats))
        tick()
        missing = missing_fields(plan.to_json(), SESSION_FIELDS)
        total = sum(item.minutes for item in plan.agenda)
        absent = [
            f"{c['rule']}={c['value']} ({c['source']})"
            for c in case["constraints"]
            if not any(carries(r, c) for r in plan.rules)
        ]
        broken = violations(plan, case["constraints"])
        sources = {r.source for r in plan.rules}
        complete.append(not missing)
        sums.append(total == plan.duration_minutes)
        kept.append(not broken)
        matched.append(case["expected_playbook"] in sources)
        carried_flags += [True] * (len(case["constraints"]) - len(absent)) + [False] * len(absent)
        result.cases.append(
            {"section": "session_plans", "set": label, "id": case["id"],
             "request": case["request"], "format": plan.format,
             "duration": plan.duration_minutes, "agenda_total": total,
             "audience": plan.audience_size, "hybrid": plan.hybrid, "missing_fields": missing,
             "missing_constraints": absent, "violations": broken, "rule_sources": sorted(sources)}
        )  # fmt: skip
        problems = [f"missing fields: {', '.join(missing)}"] if missing else []
        if total != plan.duration_minutes:
            problems.append(f"agenda adds up to {total}, not {plan.duration_minutes} minutes")
        problems += [f"violates: {v}" for v in broken]
        problems += [f"not carried: {a}" for a in absent]
        if problems:
            result.failures.append(
                Failure(
                    section="plans",
                    case_id=f"{label}/{case['id']}",
                    question=case["request"],
                    expected=short(
                        case.get("violation") or f"a plan from {case['expected_playbook']}"
                    ),
                    got=f"{plan.format}, {plan.duration_minutes} min, {plan.audience_size} people"
                    f"{', hybrid' if plan.hybrid else ''}: " + "; ".join(problems),
                    severity=len(broken) * 2 + len(absent) * 0.5 + bool(missing) + (not sums[-1]),
                )
            )
    prefix = f"plans.session.{label}"
    result.metrics[f"{prefix}.schema_complete"] = rate(complete)
    result.metrics[f"{prefix}.agenda_sums"] = rate(sums)
    result.metrics[f"{prefix}.constraints_carried"] = rate(carried_flags)
    result.metrics[f"{prefix}.no_violation"] = rate(kept)
    result.metrics[f"{prefix}.playbook_match"] = rate(matched)
    result.metrics[f"{prefix}.n"] = float(len(cases))
    return result


def evaluate_learning(coach: Coach, cases: list[Case], tick: Tick) -> SectionResult:
    result = SectionResult("plans", "Plans")
    planner = coach.services.core.coaching.learning
    complete, coverage, adds_up = [], [], []
    for case in cases:
        plan = planner.plan(case["goal"], case.get("hours_per_week"), case.get("weeks"))
        tick()
        data = plan.to_json()
        missing = missing_fields(data, LEARNING_FIELDS)
        if len(plan.milestones) != plan.weeks:
            missing.append(f"milestones ({len(plan.milestones)} for {plan.weeks} weeks)")
        cited = {r.source for r in plan.resources} | {q.source for q in plan.guidance}
        cited |= {p.source for p in plan.people}
        expected = case["expected_sources"]
        found = [s for s in expected if s in cited]
        minutes = sum(int(m["minutes_per_week"]) for m in plan.mix)
        complete.append(not missing)
        coverage.append(len(found) / len(expected))
        adds_up.append(abs(minutes - round(plan.hours_per_week * 60)) <= len(plan.mix))
        result.cases.append(
            {"section": "learning_plans", "id": case["id"], "goal": case["goal"],
             "missing_fields": missing, "expected_sources": expected, "sources": sorted(cited)}
        )  # fmt: skip
        if missing or len(found) < len(expected):
            absent = [s for s in expected if s not in cited]
            result.failures.append(
                Failure(
                    section="plans",
                    case_id=case["id"],
                    question=case["goal"],
                    expected=f"draws on {', '.join(expected)}",
                    got=(f"missing fields: {', '.join(missing)}; " if missing else "")
                    + f"not drawn on: {', '.join(absent) or 'none'}; drew on: "
                    + (", ".join(sorted(cited)) or "nothing"),
                    severity=(1 - coverage[-1]) + bool(missing),
                )
            )
    result.metrics["plans.learning.schema_complete"] = rate(complete)
    result.metrics["plans.learning.source_coverage"] = mean(coverage)
    result.metrics["plans.learning.hours_add_up"] = rate(adds_up)
    result.metrics["plans.learning.n"] = float(len(cases))
    return result
