"""Routing: which intent the classifier reads in a message, and who should take over.

Only the user's words are classified (`services.core.router.classify`), so these cases need no
knowledge and no chat model. Hand-offs are scored per route (learning_ops, hr, wellbeing, and
`none` for messages that must stay with the coach), and `ticket_now` (an explicit request for a
person opens a ticket at once) separately.
"""

from __future__ import annotations

from coach.intents import Decision
from coach.ports import TurnRouter
from evals.datasets import Case
from evals.harness import Tick
from evals.metrics import accuracy, confusion, f1, mean, precision_recall
from evals.results import Failure, SectionResult

INTENTS = (
    "practice_question", "plan_learning", "organise_session", "find_people", "handoff",
    "out_of_scope",
)  # fmt: skip
ROUTES = ("learning_ops", "hr", "wellbeing", "none")


def _classify(router: TurnRouter, message: str, tick: Tick) -> Decision:
    decision = router.classify(message)
    tick()
    return decision


def evaluate_intents(router: TurnRouter, cases: list[Case], tick: Tick) -> SectionResult:
    result = SectionResult("routing", "Routing")
    pairs: list[tuple[str, str]] = []
    for case in cases:
        decision = _classify(router, case["message"], tick)
        pairs.append((case["intent"], decision.intent))
        result.cases.append(
            {"section": "intents", "id": case["id"], "message": case["message"],
             "expected": case["intent"], "got": decision.intent, "label": decision.label,
             "confidence": round(decision.confidence, 3)}
        )  # fmt: skip
        if decision.intent != case["intent"]:
            result.failures.append(
                Failure(
                    section="routing",
                    case_id=case["id"],
                    question=case["message"],
                    expected=f"intent {case['intent']}",
                    got=f"intent {decision.intent} ({decision.label}, {decision.confidence:.2f})",
                    severity=1.0 + decision.confidence,
                )
            )
    labels = [label for label in INTENTS if any(label in pair for pair in pairs)]
    labels += sorted({label for pair in pairs for label in pair} - set(labels))
    result.metrics["routing.intent.accuracy"] = accuracy(pairs)
    scores = [f1(*precision_recall(pairs, label)) for label in labels]
    result.metrics["routing.intent.macro_f1"] = mean([s or 0.0 for s in scores])
    result.metrics["routing.intent.n"] = float(len(pairs))
    result.extras["confusion"] = {"labels": labels, "matrix": confusion(labels, pairs)}
    return result


def evaluate_handoffs(
    router: TurnRouter, cases: list[Case], label: str, tick: Tick
) -> SectionResult:
    """`label` names the case file (bundled, foreign) in the metric keys."""
    result = SectionResult("routing", "Routing")
    routes: list[tuple[str, str]] = []
    tickets: list[tuple[str, str]] = []
    for case in cases:
        decision = _classify(router, case["message"], tick)
        expected_route, got_route = case["expected_route"] or "none", decision.route or "none"
        routes.append((expected_route, got_route))
        tickets.append((str(bool(case["ticket_now"])), str(decision.opens_ticket_now)))
        result.cases.append(
            {"section": "handoffs", "set": label, "id": case["id"], "message": case["message"],
             "expected_route": expected_route, "got_route": got_route,
             "expected_ticket_now": bool(case["ticket_now"]),
             "got_ticket_now": decision.opens_ticket_now}
        )  # fmt: skip
        wrong_ticket = bool(case["ticket_now"]) != decision.opens_ticket_now
        if expected_route != got_route or wrong_ticket:
            result.failures.append(
                Failure(
                    section="routing",
                    case_id=f"{label}/{case['id']}",
                    question=case["message"],
                    expected=f"route {expected_route}, ticket now: {bool(case['ticket_now'])}",
                    got=f"route {got_route}, ticket now: {decision.opens_ticket_now} "
                    f"({decision.label}, {decision.confidence:.2f})",
                    # Opening a ticket unasked, or missing a person who asked for one, is worst.
                    severity=2.5 if wrong_ticket else 1.2,
                )
            )
    prefix = f"routing.handoff.{label}"
    result.metrics[f"{prefix}.accuracy"] = accuracy(routes)
    for route in ROUTES:
        precision, recall = precision_recall(routes, route)
        if precision is not None:
            result.metrics[f"{prefix}.{route}.precision"] = precision
        if recall is not None:
            result.metrics[f"{prefix}.{route}.recall"] = recall
    result.metrics[f"{prefix}.n"] = float(len(routes))
    result.metrics[f"routing.ticket_now.{label}.accuracy"] = accuracy(tickets)
    return result
