"""Session plans carry the rules of whatever knowledge folder is indexed, and keep inside them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coach.flows.export import session_plan_ics, session_plan_markdown
from coach.flows.requests import parse_request
from coach.flows.rulebook import same_format
from coach.flows.session_plan import SessionPlanner, add, subtract
from coach.providers.embeddings import EmbeddingIdentity
from coach.providers.fakes import HashingEmbeddings
from coach.retrieval import Retriever
from coach.settings import Settings
from coach.store import KnowledgeStore, chroma_client
from knowledge.ingest import Ingestor
from tests.conftest import write_tree

OAKMERE = {
    "playbooks/tech-talk.md": """\
        ---
        title: Giving a tech talk
        format: tech-talk
        ---
        # Giving a tech talk

        ## Rules
        - A tech talk lasts at most 25 minutes: 20 minutes of talk and 5 minutes of questions.
        - A tech talk holds at most 20 people in the room; above 20, stream it online.
        - Book the Harbor Room at least 3 working days before the talk.
        - Announce a tech talk at least 1 week before.
        - Send the feedback form within 48 hours after the talk.
        """,
    "playbooks/hands-on-lab.md": """\
        ---
        title: Running a hands-on lab
        format: hands-on-lab
        ---
        # Running a hands-on lab

        ## Rules
        - A hands-on lab lasts between 60 and 120 minutes.
        - At most 10 participants per facilitator.
        """,
    "sessions/2026-02-04-terraform-tech-talk.md": """\
        ---
        title: Terraform modules in practice
        date: 2026-02-04
        host: Wren Castellanos
        team: Infrastructure
        format: tech-talk
        attendees: 19
        feedback_score: 4.1
        ---
        # Terraform modules in practice

        ## What happened
        Wren walked through three Terraform modules we use every day.

        ## What to repeat
        - Showing the real module registry instead of slides.

        ## What to change
        - The demo overran by 10 minutes; rehearse it with a timer.
        """,
}


SPACES = {
    "playbooks/booking-spaces.md": """\
        ---
        title: Booking spaces
        ---
        # Booking spaces

        ## Rules
        - Book a space at least 5 working days before the session.
        - Spaces hold at most: Harbor Room 24 people, Nook 12 people, Quarry Hall 80 people.
        """,
}


VISITORS = {
    "playbooks/visiting-speakers.md": """\
        ---
        title: Hosting an external visiting speaker
        ---
        # Hosting an external visiting speaker

        ## Rules
        - An external speaker needs approval from Learning Ops at least 4 weeks before the date.
        - A visiting talk lasts at most 50 minutes.
        - Register the visitor at reception at least 2 working days before the visit.
        - A fee above EUR 500 needs finance approval at least 8 weeks before the date.
        """,
}


def planner_over(
    tmp_path: Path,
    settings: Settings,
    files: dict[str, str],
    today: dt.date = dt.date(2027, 1, 4),
) -> SessionPlanner:
    embedder = HashingEmbeddings()
    store = KnowledgeStore(
        chroma_client(settings),
        "oakmere",
        embedder,
        EmbeddingIdentity(embedder.name, embedder.dimension),
    )
    Ingestor(store, max_file_bytes=100_000).ingest([write_tree(tmp_path / "oakmere", files)])
    return SessionPlanner(Retriever(store, min_relevance=0.05), store, today=lambda: today)


@pytest.fixture
def planner(tmp_path: Path, fake_settings: Settings) -> SessionPlanner:
    return planner_over(tmp_path, fake_settings, OAKMERE)


@pytest.fixture
def planner_with_rooms(tmp_path: Path, fake_settings: Settings) -> SessionPlanner:
    return planner_over(tmp_path, fake_settings, OAKMERE | SPACES)


def test_plan_is_cut_to_the_format_limit_and_says_why(planner: SessionPlanner) -> None:
    request = parse_request(
        "A 60 minute tech talk about Terraform modules for 35 people on 2027-03-10",
        planner.known_formats(),
    )
    plan = planner.plan(request)
    assert (plan.format, plan.duration_minutes, plan.audience_size) == ("tech-talk", 25, 35)
    assert [(i.minutes, i.activity) for i in plan.agenda] == [
        (20, "Talk: Terraform modules"),
        (5, "Questions and answers"),
    ]
    assert "You asked for 60 minutes" in plan.adjustments[0]
    assert "A tech talk lasts at most 25 minutes" in plan.adjustments[0]
    assert plan.hybrid  # 35 people is above the room's 20, and the rule says to stream it
    assert any("35 people is more than the in-person limit of 20" in a for a in plan.adjustments)


def test_lead_times_become_dated_deadlines_with_their_rule(planner: SessionPlanner) -> None:
    plan = planner.plan(
        parse_request("tech talk about Terraform on 2027-03-10", planner.known_formats())
    )
    assert (
        "By Fri 05 Mar 2027: Book the Harbor Room at least 3 working days before the talk."
        in plan.logistics
    )
    assert "By Wed 03 Mar 2027: Announce a tech talk at least 1 week before." in plan.logistics
    cited = {(r.text, r.source) for r in plan.rules}
    assert (
        "Send the feedback form within 48 hours after the talk.",
        "playbooks/tech-talk.md",
    ) in cited
    assert plan.follow_up == ["Send the feedback form within 48 hours after the talk."]


def test_short_request_is_raised_to_the_minimum_and_staffed(planner: SessionPlanner) -> None:
    plan = planner.plan(
        parse_request(
            "a 30 minute hands-on lab on spreadsheets for 25 people", planner.known_formats()
        )
    )
    assert plan.duration_minutes == 60
    assert sum(i.minutes for i in plan.agenda) == 60
    assert (
        "3 facilitators for 25 participants: At most 10 participants per facilitator."
        in plan.logistics
    )


def test_similar_past_sessions_bring_their_host_and_lesson(planner: SessionPlanner) -> None:
    plan = planner.plan(parse_request("tech talk about Terraform modules", planner.known_formats()))
    assert plan.similar_sessions[0].host == "Wren Castellanos"
    assert (
        plan.similar_sessions[0].lesson
        == "The demo overran by 10 minutes; rehearse it with a timer."
    )
    assert "sessions/2026-02-04-terraform-tech-talk.md" in [s.source for s in plan.sources]


def test_missing_details_are_stated_as_assumptions(planner: SessionPlanner) -> None:
    plan = planner.plan(parse_request("I'd like to give a tech talk", planner.known_formats()))
    assert plan.duration_minutes == 25
    assert plan.audience_size == 20
    assert any("No audience size given" in a for a in plan.assumptions)
    assert any("No topic given" in a for a in plan.assumptions)


def test_exports_are_markdown_and_a_calendar_invitation(planner: SessionPlanner) -> None:
    plan = planner.plan(
        parse_request("tech talk about Terraform on 2027-03-10", planner.known_formats())
    )
    markdown = session_plan_markdown(plan)
    assert markdown.startswith("# Terraform: a tech talk\n")
    assert "| **25** | **Total** |" in markdown
    ics = session_plan_ics(plan).decode()
    assert "DTSTART:20270310T120000" in ics
    assert "DTEND:20270310T122500" in ics
    undated = planner.plan(parse_request("tech talk about Terraform", planner.known_formats()))
    with pytest.raises(ValueError, match="no date"):
        session_plan_ics(undated)


@pytest.fixture
def planner_with_visitors(tmp_path: Path, fake_settings: Settings) -> SessionPlanner:
    return planner_over(tmp_path, fake_settings, OAKMERE | VISITORS)


def test_a_speaker_from_outside_brings_the_guest_playbooks_deadlines(
    planner_with_visitors: SessionPlanner,
) -> None:
    text = "a tech talk about Terraform by a speaker from another company on 2027-03-10"

    plan = planner_with_visitors.plan(parse_request(text, planner_with_visitors.known_formats()))

    assert plan.format == "tech-talk"
    assert (
        "By Wed 10 Feb 2027: An external speaker needs approval from Learning Ops at least "
        "4 weeks before the date." in plan.logistics
    )
    assert (
        "By Mon 08 Mar 2027: Register the visitor at reception at least 2 working days before "
        "the visit." in plan.logistics
    )
    # The guest playbook's length is cited; the format's own limit still sets the length.
    assert plan.duration_minutes == 25
    assert ("A visiting talk lasts at most 50 minutes.", None) in {
        (r.text, r.value) for r in plan.rules
    }
    assert "playbooks/visiting-speakers.md" in [s.source for s in plan.sources]


def test_an_internal_speaker_gets_no_guest_rules(planner_with_visitors: SessionPlanner) -> None:
    text = "a tech talk about Terraform on 2027-03-10"

    plan = planner_with_visitors.plan(parse_request(text, planner_with_visitors.known_formats()))

    assert not any("approval" in r.text for r in plan.rules)


ROOMS_RULE = "Spaces hold at most: Harbor Room 24 people, Nook 12 people, Quarry Hall 80 people."


@pytest.mark.parametrize(
    ("request_text", "room"),
    [
        ("a hands-on lab on spreadsheets for 10 people", "Nook (12 people)"),
        ("a hands-on lab on spreadsheets for 13 people", "Harbor Room (24 people)"),
        ("a hands-on lab on spreadsheets for 60 people", "Quarry Hall (80 people)"),
    ],
)
def test_the_smallest_room_that_holds_everyone_is_chosen_from_the_listing(
    planner_with_rooms: SessionPlanner, request_text: str, room: str
) -> None:
    plan = planner_with_rooms.plan(parse_request(request_text, planner_with_rooms.known_formats()))

    assert plan.logistics[0].startswith(f"Room: the {room} is the smallest that holds")
    assert plan.logistics[0].endswith(ROOMS_RULE)
    assert (ROOMS_RULE, "playbooks/booking-spaces.md") in {(r.text, r.source) for r in plan.rules}
    assert "playbooks/booking-spaces.md" in [s.source for s in plan.sources]


SITES = {
    "playbooks/rooms-by-site.md": """\
        ---
        title: Rooms on each site
        ---
        # Rooms on each site

        | Room | Site | Seats |
        |---|---|---|
        | Kestrel | Northgate | 20 |
        | Heron | Southbank | 30 |
        | Osprey | Northgate | 50 |
        """,
}


@pytest.mark.parametrize(
    ("request_text", "room"),
    [
        ("a hands-on lab on spreadsheets for 25 people", "Heron (30 people)"),
        ("a hands-on lab on spreadsheets for 25 people at Northgate", "Osprey (50 people)"),
        ("a hands-on lab on spreadsheets for 15 people at Southbank", "Heron (30 people)"),
    ],
)
def test_a_room_listed_with_a_place_the_request_names_comes_first(
    tmp_path: Path, fake_settings: Settings, request_text: str, room: str
) -> None:
    planner = planner_over(tmp_path, fake_settings, OAKMERE | SITES)
    plan = planner.plan(parse_request(request_text, planner.known_formats()))

    assert plan.logistics[0].startswith(f"Room: the {room} is the smallest that holds")


def test_a_room_is_chosen_for_those_in_person_when_the_format_caps_the_room(
    planner_with_rooms: SessionPlanner,
) -> None:
    # A tech talk holds 20 in the room and streams the rest: 35 people need a room for 20.
    plan = planner_with_rooms.plan(
        parse_request(
            "a tech talk about Terraform for 35 people", planner_with_rooms.known_formats()
        )
    )

    assert plan.hybrid
    assert plan.logistics[0].startswith(
        "Room: the Harbor Room (24 people) is the smallest that holds 20"
    )


def test_no_room_large_enough_is_an_adjustment_with_the_largest_room(
    planner_with_rooms: SessionPlanner,
) -> None:
    plan = planner_with_rooms.plan(
        parse_request(
            "a hands-on lab on spreadsheets for 95 people", planner_with_rooms.known_formats()
        )
    )

    assert not any(line.startswith("Room:") for line in plan.logistics)
    assert any(
        a.startswith("No room holds 95 people: the largest is the Quarry Hall (80 people)")
        for a in plan.adjustments
    )
    assert ROOMS_RULE in {r.text for r in plan.rules}


def test_without_a_listing_of_rooms_no_room_is_named(planner: SessionPlanner) -> None:
    plan = planner.plan(parse_request("a hands-on lab for 10 people", planner.known_formats()))

    assert not any(line.startswith("Room:") for line in plan.logistics)
    assert not any("No room holds" in a for a in plan.adjustments)


def test_deadlines_already_passed_are_named_with_the_first_date_that_meets_them(
    tmp_path: Path, fake_settings: Settings
) -> None:
    planner = planner_over(tmp_path, fake_settings, OAKMERE, today=dt.date(2027, 3, 1))

    plan = planner.plan(parse_request("tech talk about Terraform on 2027-03-04", set()))

    assert (
        "Too late: “Announce a tech talk at least 1 week before.” (Giving a tech talk) was due "
        "by Thu 25 Feb 2027." in plan.adjustments
    )
    assert not any("Harbor Room" in a for a in plan.adjustments)  # due today: still possible
    assert any(
        a.startswith("The first date that meets every lead time is Mon 08 Mar 2027")
        for a in plan.adjustments
    )


def test_a_missed_conditional_deadline_is_named_as_such_and_does_not_move_the_date(
    tmp_path: Path, fake_settings: Settings
) -> None:
    planner = planner_over(tmp_path, fake_settings, OAKMERE | VISITORS, today=dt.date(2027, 2, 1))
    text = "a tech talk about Terraform by a speaker from another company on 2027-03-10"

    plan = planner.plan(parse_request(text, planner.known_formats()))

    assert (
        "If it applies, too late: “A fee above EUR 500 needs finance approval at least 8 weeks "
        "before the date.” (Hosting an external visiting speaker) was due by Wed 13 Jan 2027."
        in plan.adjustments
    )
    # Only the unconditional 4-week approval (due Wed 10 Feb) is still ahead: no new date.
    assert not any(a.startswith("The first date") for a in plan.adjustments)
    assert not any(a.startswith("Too late") for a in plan.adjustments)


def test_a_date_in_the_past_is_named(tmp_path: Path, fake_settings: Settings) -> None:
    planner = planner_over(tmp_path, fake_settings, OAKMERE, today=dt.date(2027, 3, 20))

    plan = planner.plan(parse_request("tech talk about Terraform on 2027-03-10", set()))

    assert "Wed 10 Mar 2027 has already passed: choose a new date." in plan.adjustments
    assert not any(a.startswith("Too late") for a in plan.adjustments)


def test_a_plan_in_good_time_has_no_lateness(planner: SessionPlanner) -> None:
    plan = planner.plan(parse_request("tech talk about Terraform on 2027-03-10", set()))

    assert not any("Too late" in a or "already passed" in a for a in plan.adjustments)


def test_working_days_skip_weekends() -> None:
    assert subtract(dt.date(2027, 3, 8), 1, "working day") == dt.date(2027, 3, 5)
    assert subtract(dt.date(2027, 3, 10), 10, "working day") == dt.date(2027, 2, 24)
    assert subtract(dt.date(2027, 3, 10), 2, "week") == dt.date(2027, 2, 24)
    assert add(dt.date(2027, 3, 5), 1, "working day") == dt.date(2027, 3, 8)
    assert add(dt.date(2027, 3, 1), 1, "week") == dt.date(2027, 3, 8)


@pytest.mark.parametrize(
    ("text", "audience"),
    [
        ("a talk for the whole floor, about 70 of us in the room together", 70),
        ("a talk; we expect 40 of them to sign up", 40),
        ("a talk with 30 in person", 30),
        ("a talk for 12", 12),
        ("a talk on taxes; about 45 coworkers said they would come", 45),
    ],
)
def test_the_audience_is_read_however_it_is_counted(text: str, audience: int) -> None:
    assert parse_request(text, []).audience_size == audience


def test_an_online_only_session_books_no_room(planner_with_rooms: SessionPlanner) -> None:
    plan = planner_with_rooms.plan(
        parse_request(
            "an online-only tech talk about Terraform for 20 people",
            planner_with_rooms.known_formats(),
        )
    )
    assert plan.hybrid
    assert not any(line.startswith("Room:") for line in plan.logistics)


# A formats guide written as one section per format, with a general limit, an exception named
# by its subject, one format's budget per head and another's, and a format whose name the
# request only uses word by word.
GUIDE_BY_SECTION = {
    "playbooks/formats-guide.md": """\
        ---
        title: How our formats work
        ---
        # How our formats work

        | Format | Longest | Most in the room |
        |---|---|---|
        | Brief | 15 minutes | 30 |
        | Canal walk | 2 hours | 25 |
        | Lantern night | 100 minutes | 40 |

        Whatever the venue, at most fifty people attend on site.
        Riverside evenings may welcome up to ninety.

        ## Briefs
        - Keep it to fifteen minutes, no longer.
        - Post the slides at least 2 working days ahead.

        ## Canal walks
        - Book the guide at least 3 weeks before the walk.
        - Plan on a facilitator per eight walkers.

        ## Lantern nights
        Our open evenings for neighbours, after work.

        - Outside guests must register six working days ahead.

        ## Riverside evenings
        - They run up to two hours.
        - Food for a Riverside evening is paid at up to EUR 12 per person.
        - Food for a brief is paid at up to EUR 4 per person.
        """,
}


@pytest.fixture
def planner_by_section(tmp_path: Path, fake_settings: Settings) -> SessionPlanner:
    return planner_over(tmp_path, fake_settings, GUIDE_BY_SECTION)


def test_a_sections_rules_bind_only_the_format_its_heading_names(
    planner_by_section: SessionPlanner,
) -> None:
    plan = planner_by_section.plan(
        parse_request("Plan a brief on our new expense tool for 20 people on 2027-03-01")
    )
    texts = {r.text for r in plan.rules}

    assert plan.duration_minutes == 15
    assert "Post the slides at least 2 working days ahead." in texts
    assert "Book the guide at least 3 weeks before the walk." not in texts
    assert not any("facilitator" in line for line in plan.logistics)


def test_a_limit_whose_subject_is_a_format_wins_over_the_general_one(
    planner_by_section: SessionPlanner,
) -> None:
    plan = planner_by_section.plan(
        parse_request("Plan a riverside evening on river ecology for 70 people")
    )

    assert plan.duration_minutes == 120
    assert not any("more than the in-person limit" in a for a in plan.adjustments)
    other = planner_by_section.plan(parse_request("Plan a brief on river ecology for 70 people"))
    assert any("more than the in-person limit of 30" in a for a in other.adjustments)


def test_a_format_named_in_other_words_is_found_when_the_request_uses_all_its_words(
    planner_by_section: SessionPlanner,
) -> None:
    # "an evening by the riverside" is the "Riverside evening": both words, another order.
    plan = planner_by_section.plan(
        parse_request("Can you plan an evening by the riverside on birds for 40 people?")
    )

    assert same_format(plan.format, "Riverside evenings")
    assert plan.duration_minutes == 120


def test_another_formats_rate_per_head_is_not_budgeted(planner_by_section: SessionPlanner) -> None:
    plan = planner_by_section.plan(
        parse_request("Plan a riverside evening on river ecology for 40 people")
    )
    budgets = [line for line in plan.logistics if line.startswith("Budget:")]

    assert budgets == [
        "Budget: 40 people at EUR 12 each = EUR 480 (Food for a Riverside evening is paid at "
        "up to EUR 12 per person.)"
    ]


def test_without_a_known_format_no_formats_own_limit_applies(
    planner_by_section: SessionPlanner,
) -> None:
    plan = planner_by_section.plan(parse_request("I'd like to share what I learned about tax"))

    assert plan.duration_minutes not in (15, 120)
    assert not any(r.scoped for r in plan.rules)


def test_a_section_whose_opening_line_names_the_format_binds_it(
    planner_by_section: SessionPlanner,
) -> None:
    # The request says "open evening"; the guide's section is "Lantern nights", whose opening
    # line calls them "our open evenings".
    plan = planner_by_section.plan(parse_request("Plan an open evening on local history"))
    texts = {r.text for r in plan.rules}

    assert plan.duration_minutes == 100
    assert "Outside guests must register six working days ahead." in texts
    other = planner_by_section.plan(parse_request("Plan a brief on local history"))
    assert "Outside guests must register six working days ahead." not in {
        r.text for r in other.rules
    }


SPEAKER_FEES = {
    "playbooks/paying-visiting-speakers.md": """\
        ---
        title: Paying external visiting speakers
        ---
        # Paying external visiting speakers

        ## Rules
        - A speaker fee above EUR 300 needs approval from the finance desk.
        - Invoices from speakers are due no later than 10 working days ahead of the visit.
        """,
}


@pytest.mark.parametrize(
    "text",
    [
        "a tech talk about Terraform by a speaker from our city council on 2027-03-10",
        "a tech talk about Terraform on 2027-03-10; our guest wants EUR 400 for it",
    ],
)
def test_a_guest_brings_the_rules_of_the_guides_on_inviting_and_on_paying_them(
    tmp_path: Path, fake_settings: Settings, text: str
) -> None:
    planner = planner_over(tmp_path, fake_settings, OAKMERE | VISITORS | SPEAKER_FEES)

    plan = planner.plan(parse_request(text, planner.known_formats()))
    sources = {r.source for r in plan.rules}

    assert {"playbooks/visiting-speakers.md", "playbooks/paying-visiting-speakers.md"} <= sources


VENUES = {
    "playbooks/venues.md": """\
        ---
        title: Our venues
        ---
        # Our venues

        | Room | Seats |
        |---|---|
        | Loft | 15 |
        | Orchard Hall | 90 |

        - Orchard Hall is run by the estates team. Ask them three weeks ahead at the latest.
        """,
}


def test_a_lead_time_follows_the_room_its_list_item_names_in_another_sentence(
    tmp_path: Path, fake_settings: Settings
) -> None:
    planner = planner_over(tmp_path, fake_settings, OAKMERE | VENUES)
    lead = "Ask them three weeks ahead at the latest."

    big = planner.plan(parse_request("a hands-on lab on maps for 60 people on 2027-06-01"))
    small = planner.plan(parse_request("a hands-on lab on maps for 12 people on 2027-06-01"))

    assert big.logistics[0].startswith("Room: the Orchard Hall")
    assert lead in {r.text for r in big.rules}
    assert small.logistics[0].startswith("Room: the Loft")
    assert lead not in {r.text for r in small.rules}
