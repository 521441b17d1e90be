"""Answers: are the coach's answers backed by what they cite, and does it admit what it
doesn't know? No LLM judge: every check is a string or figure check against the indexed text.

- citation precision: of all sources cited by answers, the fraction whose indexed text
  supports the answer, i.e. contains one of its quoted sentences, or states one of its figures
  with the same unit (coach.grounding.quantities), or, for an answer without figures, shares at
  least half of its content words;
- ungrounded-number rate: the fraction of answers that state a figure none of their cited files
  states (coach.grounding.ungrounded_figures over the cited files' whole indexed text; a score
  written "4.2/5" counts as stated when the file states 4.2 and 5, e.g. "4.2 out of 5");
- refusal or hand-off rate on unanswerable questions: the coach says it couldn't find it, or
  offers a person.

Plans (session or learning) are assembled, not drafted, and are scored in the plans section;
a question the coach answers with a plan counts as answered but is left out of the two
citation metrics.
"""

from __future__ import annotations

import re
from typing import Any

from coach.domain import Passage, Reply
from coach.grounding import figures, quantities, ungrounded_figures
from coach.text import content_words
from evals.datasets import Case
from evals.harness import Coach, Tick
from evals.metrics import rate
from evals.results import Failure, SectionResult, short

PLAN_FLOWS = ("session_plan", "learning_plan")
REFUSAL = re.compile(
    r"couldn.t find|could not find|can.t find|cannot find|unable to find|not (?:covered|"
    r"mentioned|documented|in the (?:playbooks|documents))|no information|(?:don.t|do not) know|"
    r"outside what I can help",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"^>\s?(?!—)(.+)$", re.MULTILINE)
_BOILERPLATE = re.compile(
    r"^Here is what the Learning Ops documents say:$|^The language model is unavailable.*$",
    re.MULTILINE,
)


def _flat(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).lower().split())


def quoted_sentences(answer: str) -> list[str]:
    """The sentences an answer quotes from the documents (blockquote lines, not attributions)."""
    return [m.group(1).strip() for m in _QUOTE.finditer(answer) if m.group(1).strip()]


def claim(answer: str) -> str:
    """The answer in the coach's own words: without quotes, attributions and fixed phrases."""
    lines = [line for line in answer.splitlines() if not line.lstrip().startswith(">")]
    return _BOILERPLATE.sub("", "\n".join(lines)).strip()


def supports(answer: str, source_text: str) -> bool:
    body = _flat(source_text)
    if any(_flat(sentence) in body for sentence in quoted_sentences(answer)):
        return True
    said = claim(answer)
    if stated := quantities(said):
        return bool(stated & quantities(source_text))
    words = content_words(said)
    return bool(words) and len(words & content_words(source_text)) / len(words) >= 0.5


def ungrounded(answer: str, passages: list[Passage]) -> list[str]:
    """The answer's figures that the passages don't state (see the module's docstring)."""
    stated = {value for p in passages for value in figures(p.text)}

    def ratio_stated(figure: str) -> bool:
        parts = figure.split("/")
        return " " not in figure and len(parts) > 1 and all(part in stated for part in parts)

    return sorted(f for f in ungrounded_figures(answer, passages) if not ratio_stated(f))


def is_plan(reply: Reply) -> bool:
    return bool(reply.state and reply.state.get("flow") in PLAN_FLOWS)


def refused(reply: Reply) -> bool:
    return reply.handoff is not None or bool(REFUSAL.search(reply.answer))


def _check(coach: Coach, case: Case, reply: Reply) -> dict[str, Any]:
    cited = [ref.source for ref in reply.sources]
    supported = {s: supports(reply.answer, coach.source_text(s)) for s in cited}
    passages = [p for s in cited for p in coach.source_passages(s)]
    return {
        "cited": cited,
        "supported": supported,
        "ungrounded": ungrounded(reply.answer, passages),
        "cites_expected": bool(set(cited) & set(case.get("expected_sources", []))),
    }


def evaluate(
    coach: Coach, cases: list[Case], unanswerable: list[Case], tick: Tick
) -> SectionResult:
    result = SectionResult("answers", "Answers")
    support_flags: list[bool] = []
    ungrounded_flags: list[bool] = []
    expected_flags: list[bool] = []
    answered: list[bool] = []
    samples: list[dict[str, Any]] = []
    for case in cases:
        reply = coach.services.chat.chat(case["question"]).reply
        tick()
        kind = "plan" if is_plan(reply) else "answer" if reply.sources else "no sources"
        answered.append((bool(reply.sources) and not refused(reply)) or is_plan(reply))
        record: dict[str, Any] = {"section": "answers", "id": case["id"], "kind": kind,
                                  "question": case["question"], "answer": reply.answer}  # fmt: skip
        if kind == "answer":
            check = _check(coach, case, reply)
            record |= check
            support_flags += list(check["supported"].values())
            ungrounded_flags.append(bool(check["ungrounded"]))
            expected_flags.append(check["cites_expected"])
            passages = [p.text for p in reply.passages]
            samples.append({"question": case["question"], "answer": reply.answer,
                            "contexts": passages})  # fmt: skip
            unsupported = [s for s, ok in check["supported"].items() if not ok]
            if check["ungrounded"] or unsupported:
                problems = []
                if check["ungrounded"]:
                    problems.append(f"figures not in cited text: {', '.join(check['ungrounded'])}")
                if unsupported:
                    problems.append(f"cited without support: {', '.join(unsupported)}")
                result.failures.append(
                    Failure(
                        section="answers",
                        case_id=case["id"],
                        question=case["question"],
                        expected=", ".join(case["expected_sources"]),
                        got="; ".join(problems) + f" — answer: {short(reply.answer, 400)}",
                        severity=2.0 * bool(check["ungrounded"])
                        + len(unsupported) / len(check["cited"]),
                    )
                )
        result.cases.append(record)
    declined: list[bool] = []
    for case in unanswerable:
        reply = coach.services.chat.chat(case["question"]).reply
        tick()
        declined.append(refused(reply))
        result.cases.append(
            {"section": "unanswerable", "id": case["id"], "question": case["question"],
             "answer": reply.answer, "refused": declined[-1],
             "sources": [s.source for s in reply.sources]}
        )  # fmt: skip
        if not declined[-1]:
            result.failures.append(
                Failure(
                    section="answers",
                    case_id=case["id"],
                    question=case["question"],
                    expected="“I couldn't find this” or a hand-off (" + case.get("why", "") + ")",
                    got=short(reply.answer, 400),
                    severity=1.5,
                )
            )
    if support_flags:
        result.metrics["answers.citation_precision"] = rate(support_flags)
    if ungrounded_flags:
        result.metrics["answers.ungrounded_number_rate"] = rate(ungrounded_flags)
        result.metrics["answers.cites_expected_source"] = rate(expected_flags)
    if answered:
        result.metrics["answers.answered_rate"] = rate(answered)
        result.metrics["answers.n"] = float(len(answered))
    if declined:
        result.metrics["answers.unanswerable.refusal_or_handoff_rate"] = rate(declined)
        result.metrics["answers.unanswerable.n"] = float(len(declined))
    result.extras["judge_samples"] = samples
    return result
