"""Answers a person can act on: the answering sentence first, yes or no only when it says so,
and a model's draft cut to what the documents support."""

from __future__ import annotations

from coach.answers import extractive, generated, supported_draft
from coach.chat import _asked, _retrieval_query
from coach.domain import Passage, Turn
from coach.extractive import (
    coverage,
    extract,
    fits,
    pieces,
    pieces_in_context,
    states_rule_asked,
)
from coach.providers.fakes import HashingEmbeddings
from coach.questions import analyse, ends_asking_a_detail
from coach.retrieval import Retriever
from coach.store import KnowledgeStore
from coach.text import proper_names

EMBEDDER = HashingEmbeddings()


def _passage(text: str, title: str = "Guest speakers", kind: str = "playbook") -> Passage:
    return Passage("1", "guides/guests.md", title, kind, f"{title}\n\n{text}", 0.8)


GUESTS = _passage(
    "Outside experts never get access to internal systems; share material as PDF only.\n"
    "Fees up to USD 300 are approved by your director.\n"
    "Send the visitor form 2 working days before the visit."
)


def _answer(question: str, *passages: Passage) -> str:
    asked = analyse(question)
    return extractive(asked, extract(asked, passages, EMBEDDER, 0.2, 0.0)).text


def test_the_first_sentence_answers_and_the_citation_follows() -> None:
    text = _answer("How far ahead do I send the visitor form?", GUESTS)
    assert text == "Send the visitor form 2 working days before the visit. (Guest speakers)"


def test_no_leads_only_when_the_sentence_itself_says_no() -> None:
    text = _answer("Can outside experts log in to internal systems?", GUESTS)
    assert text.startswith("No. Outside experts never get access to internal systems")
    neutral = _answer("Does a director approve an expert fee?", GUESTS)
    assert "USD 300" in neutral
    assert not neutral.startswith(("No.", "Yes."))


def test_a_table_row_answers_with_its_header() -> None:
    rooms = _passage("| Room | Seats |\n|---|---|\n| Tamarind | 40 |\n| Corvid | 14 |", "Rooms")
    assert "Tamarind — Seats: 40" in pieces(rooms)
    assert _answer("How many seats does Tamarind have?", rooms).startswith("Tamarind — Seats: 40.")


def test_a_question_the_passages_do_not_answer_is_not_answered() -> None:
    asked = analyse("What is the wifi password?")
    assert not extract(asked, [GUESTS], EMBEDDER, 0.2, 0.0).answerable


def test_a_sentence_from_a_list_of_mistakes_does_not_answer() -> None:
    advice = Passage(
        "2", "guides/food.md", "Food", "playbook",
        "Food — Common mistakes\n\nOrdering catering 2 days before.", 0.8,
        section="Common mistakes",
    )  # fmt: skip
    rule = _passage("Order catering at least 5 working days before the session.", "Food")
    assert _answer("How far ahead do I order catering?", advice, rule).startswith(
        "Order catering at least 5 working days before"
    )


def test_a_supported_draft_is_kept_and_an_unsupported_sentence_dropped() -> None:
    draft = "Fees up to USD 300 are approved by your director. Fees need Maria Lopez to sign."
    kept, dropped = supported_draft(draft, [GUESTS], EMBEDDER)
    assert kept == ["Fees up to USD 300 are approved by your director."]
    assert dropped == 1


def test_a_draft_that_says_the_opposite_is_not_supported() -> None:
    kept, _ = supported_draft("Outside experts get access to internal systems.", [GUESTS], EMBEDDER)
    assert kept == []


def test_an_unsupported_first_sentence_falls_back_to_the_documents() -> None:
    asked = analyse("How far ahead do I send the visitor form?")
    extraction = extract(asked, [GUESTS], EMBEDDER, 0.2, 0.0)
    answer = generated("Send it 3 weeks before.", asked, extraction, [GUESTS], EMBEDDER)
    assert answer.path == "fallback"
    assert answer.text.startswith("Send the visitor form 2 working days before the visit.")
    kept = generated(
        "Send the visitor form 2 working days before the visit.",
        asked, extraction, [GUESTS], EMBEDDER,
    )  # fmt: skip
    assert kept.path == "model"


def test_the_names_a_question_asks_about_are_its_capitalised_words_inside_sentences() -> None:
    assert proper_names("How many people fit in Tamarind?") == {"Tamarind"}
    assert proper_names("Thanks. Where do I book it? I'm new, Sorry") == {"Sorry"}
    assert proper_names("Is the API team hosting?") == frozenset()


def test_a_row_naming_what_was_asked_answers_however_little_it_resembles_the_question() -> None:
    rooms = _passage(
        "| Room | Seats |\n|---|---|\n| Tamarind | 40 |\n| Corvid | 14 |", "Where to meet"
    )
    asked = analyse("How many people fit in Tamarind?")
    strict = extract(asked, [rooms, GUESTS], EMBEDDER, min_similarity=0.99, min_standout=0.99)
    assert strict.answerable
    assert strict.best is not None
    assert strict.best.text == "Tamarind — Seats: 40"


def test_a_name_that_most_sentences_carry_singles_nothing_out() -> None:
    everywhere = _passage(
        "Tamarind staff book rooms 2 days ahead.\nTamarind staff get 40 seats.\n"
        "Tamarind staff host 3 talks.\nTamarind staff pay 10 euros."
    )
    asked = analyse("How many people fit in a Tamarind meeting room?")
    assert not extract(asked, [everywhere], EMBEDDER, 0.99, 0.99).answerable


def test_passages_that_name_what_the_query_names_are_relevant_however_far(
    store: KnowledgeStore,
) -> None:
    retriever = Retriever(store, min_relevance=0.99)
    far = Passage("9", "guides/rooms.md", "Rooms", "playbook", "Tamarind seats 40.", 0.1)
    near = Passage("8", "guides/rooms.md", "Rooms", "playbook", "Seats vary.", 0.1)
    assert retriever.relevant([far, near], "How many fit in Tamarind?") == [far]
    assert retriever.relevant([far, near]) == []


def test_a_past_session_named_like_the_question_does_not_answer_a_question_about_now() -> None:
    note = _passage(
        "Tamarind Fair 2024 was hosted by Ada Quill on 2024-03-28, with 40 attendees.",
        "Tamarind Fair 2024",
        kind="session_note",
    )
    asked = analyse("When do Tamarind Fair sign-ups close?")
    assert not extract(asked, [note, GUESTS], EMBEDDER, 0.99, 0.99).answerable


def test_the_askers_own_figure_is_not_a_word_the_answer_must_repeat() -> None:
    experts = _passage("Honoraria up to 300 USD are approved by your director.", "Experts")
    with_figure = coverage("Who approves a 250 dollar honorarium?", experts, {})
    assert with_figure == coverage("Who approves a dollar honorarium?", experts, {})
    assert with_figure > 0


def test_time_spent_is_not_money() -> None:
    assert analyse("Is the time I spend at a meetup counted as overtime?").shape == "yesno"
    assert analyse("How much reading time is there each week?").shape == "duration"
    assert analyse("How much notice must the kitchen get?").shape == "duration"


def test_the_question_word_and_form_decide_before_the_topic() -> None:
    assert analyse("Can I carry unused budget over to next year?").shape == "yesno"
    assert analyse("How many questions can the feedback form have?").shape == "count"
    assert analyse("Do we cover travel? Up to how much?").shape == "money"
    assert analyse("The deadline to claim a course fee?").shape == "duration"


def test_a_yes_no_about_a_sum_is_settled_by_a_sentence_with_one() -> None:
    asked = analyse("Can I spend more than 500 euros?")
    assert asked.shape == "yesno"
    assert fits(asked, "Spending above EUR 300 needs your director's approval.")
    assert not fits(asked, "Ask your director before you book anything.")


def test_a_goal_followed_by_a_question_about_one_detail_asks_the_detail() -> None:
    assert ends_asking_a_detail("I hope to start a course in May. How early must I apply?")
    assert not ends_asking_a_detail("I want to learn Go in six weeks. How should I start?")
    assert not ends_asking_a_detail("I want to learn Go in six weeks, can you help?")


def test_an_faqs_own_yes_leads_a_yes_no_question_once_and_no_other() -> None:
    faq = _passage("Yes: the team pays up to USD 9 per guest for snacks.", "Snacks (FAQ)")
    assert _answer("How much snack money per guest?", faq).startswith(
        "The team pays up to USD 9 per guest for snacks."
    )
    assert _answer("Can guests get snacks?", faq).startswith("Yes: the team")


def test_a_redirect_to_hr_says_whose_matter_it_is_once() -> None:
    from coach.messages import Wording
    from coach.profile import OrganisationProfile

    wording = Wording(OrganisationProfile())
    text = wording.redirect("hr", wording.reason("hr"))
    assert text.count(wording.profile.hr.name) == 1
    assert wording.redirect("hr", "Pay questions go to payroll.").endswith(
        "Pay questions go to payroll."
    )


def test_a_rule_of_another_kind_still_answers_with_the_value_asked_for() -> None:
    # Read as a rule about recordings, not a maximum length: the duration still answers.
    kept = "A recording stays on the wiki for 12 months."
    asked = analyse("How long is a recording kept on the wiki?")
    assert asked.wants
    assert not states_rule_asked(asked, kept)
    assert fits(asked, kept)
    assert not fits(asked, "Ask the speaker before you record anything.")


def test_a_follow_up_asks_for_what_its_own_words_name_and_not_what_was_just_said() -> None:
    lead_times = _passage(
        "Order the food 5 working days ahead.\nBook the hall 10 working days ahead.", "Lead times"
    )
    history = [
        Turn("user", "How early must the food be ordered?"),
        Turn("assistant", "Order the food 5 working days ahead. (Lead times)"),
    ]
    message = "and the hall?"
    asked = _asked(message, _retrieval_query(message, history), history)
    best = extract(asked, [lead_times], EMBEDDER, 0.2, 0.0).best
    assert best is not None
    assert best.text == "Book the hall 10 working days ahead."


def test_a_chain_of_follow_ups_is_searched_with_the_question_it_started_from() -> None:
    history = [
        Turn("user", "Was there a talk about caching at some point last spring?"),
        Turn("assistant", "Yes."),
        Turn("user", "who gave it?"),
        Turn("assistant", "Ada."),
    ]
    query = _retrieval_query("and what was the turnout for it in the end?", history)
    assert query.startswith("Was there a talk about caching")
    assert "who gave it?" in query
    standalone = "What should the agenda of a long hands-on workshop look like?"
    assert _retrieval_query(standalone, history) == standalone


def test_a_faq_question_of_several_sentences_is_the_question_not_an_answer() -> None:
    faq = _passage(
        "**Q: Forty people want to come in person. What do I do?**\n"
        "A: Split it into two sittings of twenty each.",
        "Venue FAQ",
    )
    assert pieces_in_context(faq) == [
        (
            "Split it into two sittings of twenty each.",
            "Q: Forty people want to come in person.; What do I do?",
        )
    ]


def test_an_illustration_does_not_answer_a_question_about_the_limit() -> None:
    length = _passage(
        "A typical meetup can run 40 minutes.\nA meetup can run 60 minutes at most.", "Meetups"
    )
    assert _answer("How long can a meetup run?", length).startswith(
        "A meetup can run 60 minutes at most."
    )


def test_a_ratio_is_worked_out_for_the_askers_head_count() -> None:
    ratio = _passage("Plan one trainer for every six learners, or part of six.", "Labs")
    assert _answer("How many trainers for a lab of 14 people?", ratio).startswith(
        "For 14 people: 3 trainers. Plan one trainer for every six learners"
    )
    assert _answer("How many trainers does a lab need?", ratio).startswith("Plan one trainer")
    assert _answer("How many people may each trainer look after in a lab of 14?", ratio).startswith(
        "Plan one trainer"
    )


def test_who_has_to_approve_asks_a_rule_and_who_has_run_asks_the_past() -> None:
    assert not analyse("Who has to approve a fee above the limit?").about_the_past
    assert analyse("Who has run a session on caching?").about_the_past


def test_a_number_to_call_is_answered_only_by_a_sentence_that_has_one() -> None:
    asked = analyse("What is the print room's phone number?")
    assert asked.shape == "contact"
    assert analyse("The projector is broken, who do I call?").shape == "contact"
    assert fits(asked, "The print room is on extension 2210.")
    assert fits(asked, "Write to print@example.org for large jobs.")
    assert not fits(asked, "The print room is open from 9 to 5 on the second floor.")
    assert analyse("Was there ever a talk on caching?").about_the_past
    assert not analyse("Is there any money for caching talks?").about_the_past


def test_a_comparative_condition_follows_the_rule_it_qualifies() -> None:
    fees = _passage(
        "Your director signs off fees of up to EUR 200.\n"
        "Any higher fee is signed off by the events desk.",
        "Fees",
    )
    text = _answer("Who signs off a fee of 350 euros?", fees)
    assert text.startswith("Your director signs off fees of up to EUR 200.")
    assert "Any higher fee is signed off by the events desk." in text
