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
