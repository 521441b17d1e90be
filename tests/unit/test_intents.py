"""The turn classifier's guard on exceptions: asking what a rule is is not asking to break it."""

from __future__ import annotations

from coach.intents import TurnClassifier
from coach.providers.fakes import HashingEmbeddings

EXAMPLES = {
    "policy_exception": ["the yearly learning stipend amount for me"],
    "practice_question": ["zebra quartz violin"],
}


def _label(message: str) -> str:
    return TurnClassifier(HashingEmbeddings(), EXAMPLES).classify(message).label  # type: ignore[arg-type]


def test_a_question_about_what_a_rule_is_is_an_ordinary_question() -> None:
    assert _label("What is the yearly learning stipend amount for me?") == "practice_question"


def test_asking_for_more_than_the_rule_is_still_an_exception() -> None:
    assert _label("What if I need more than the yearly learning stipend amount for me?") == (
        "policy_exception"
    )
    assert _label("The yearly learning stipend amount for me is too small") == "policy_exception"


PERSONAL = {
    "find_people": ["who gave a talk about salary negotiation tips"],
    "hr": ["payroll salary deduction error on my payslip"],
    "practice_question": ["zebra quartz violin"],
}


def test_asking_for_a_person_about_pay_goes_to_hr_when_an_hr_example_is_near() -> None:
    classifier = TurnClassifier(HashingEmbeddings(), PERSONAL)  # type: ignore[arg-type]

    # Nearest to asking who gave a talk; an HR example is near enough to say whose matter it is.
    decision = classifier.classify(
        "I'd like to speak with someone who gave a talk about salary negotiation tips and my "
        "payslip deduction error"
    )
    assert decision.route == "hr"


def test_asking_for_a_person_with_no_hr_example_near_goes_to_the_team() -> None:
    classifier = TurnClassifier(HashingEmbeddings(), PERSONAL)  # type: ignore[arg-type]

    decision = classifier.classify("I'd like to speak with someone about the room booking tool")
    assert decision.route == "learning_ops"
