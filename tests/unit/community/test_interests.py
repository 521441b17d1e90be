"""Interests: registered explicitly by a person, grouped by meaning, private unless named,
and gone everywhere when withdrawn."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.community.errors import InvalidInputError, NotAllowedError, NotAPersonError
from coach.community.records import NoteFacts
from tests.unit.community.conftest import ALICE, BRUNO, CHIDI, DARIA, OLGA, WIDGET, World


def test_three_people_saying_it_in_different_words_form_one_topic(world: World) -> None:
    world.registry.register(ALICE, "I'd like to learn pottery", "learn")
    world.registry.register(BRUNO, "ceramics for beginners?", "learn")
    world.registry.register(CHIDI, "could teach wheel and glazing", "share")
    world.registry.register(DARIA, "birdwatching walks at lunch", "learn")

    topics = world.board.topics()

    assert [(t.size, t.count("learn"), t.count("share")) for t in topics] == [(3, 2, 1), (1, 1, 0)]
    assert {i.person for i in topics[0].interests} == {"alice", "bruno", "chidi"}


def test_a_shared_key_cannot_register_see_or_read_interests(world: World) -> None:
    with pytest.raises(NotAPersonError):
        world.registry.register(WIDGET, "pottery", "learn")
    with pytest.raises(NotAPersonError):
        world.registry.mine(WIDGET)
    with pytest.raises(NotAPersonError):
        world.board.for_employee(WIDGET)
    with pytest.raises(NotAPersonError):
        world.inbox.notices(WIDGET)
    assert world.inbox.on_arrival(WIDGET) == []
    assert world.interests.all() == []


def test_a_lone_anonymous_interest_is_seen_only_by_its_owner(world: World) -> None:
    interest, _ = world.registry.register(ALICE, "ornithology", "learn")

    assert [v.label for v in world.board.for_employee(ALICE)] == ["ornithology"]
    assert world.board.for_employee(BRUNO) == []
    assert world.board.for_team(OLGA) == []
    assert world.board.for_employee(ALICE)[0].yours == (interest.id,)


def test_anonymous_people_are_counted_and_never_named(world: World) -> None:
    world.registry.register(ALICE, "pottery", "learn", "named")
    world.registry.register(BRUNO, "ceramics", "learn")
    world.registry.register(CHIDI, "clay", "share")

    seen_by_daria = world.board.for_employee(DARIA)
    seen_by_team = world.board.for_team(OLGA)

    for view in (seen_by_daria[0], seen_by_team[0]):
        assert (view.label, view.people, view.named) == ("pottery", 3, (("Alice Moreau", "learn"),))
    everything = repr(seen_by_daria) + repr(seen_by_team) + repr(world.notices.items)
    assert "Bruno" not in everything
    assert "Chidi" not in everything


def test_a_topic_without_named_members_shows_its_words_from_the_minimum_on(world: World) -> None:
    world.registry.register(ALICE, "pottery", "learn")
    world.registry.register(BRUNO, "ceramics", "learn")
    assert world.board.for_employee(DARIA) == []

    world.registry.register(CHIDI, "clay", "learn")

    assert [(v.people, v.named) for v in world.board.for_employee(DARIA)] == [(3, ())]


def test_each_member_is_told_once_when_the_topic_reaches_the_minimum(world: World) -> None:
    world.registry.register(ALICE, "pottery", "learn", "named")
    _, first = world.registry.register(BRUNO, "ceramics", "learn")
    assert first == []

    _, sent = world.registry.register(CHIDI, "clay glazing", "learn")
    _, again = world.registry.register(ALICE, "ceramics wheel", "learn", "named")

    assert sorted(n.recipient for n in sent) == ["alice", "bruno", "chidi"]
    assert [n.recipient for n in again] == ["alice"]  # her second interest, once
    to_bruno = world.notices.texts("bruno")
    assert to_bruno == [
        "2 other people want to learn or share about what you registered: “ceramics”. "
        "Among them: Alice Moreau (wants to learn). You can turn this into a session plan in "
        "one step."
    ]
    assert world.board.announce() == []


def test_a_named_colleague_who_offered_to_share_is_the_suggested_host(world: World) -> None:
    world.registry.register(ALICE, "pottery", "learn")
    world.registry.register(BRUNO, "ceramics", "learn")
    world.registry.register(CHIDI, "I can teach clay", "share", "named")

    hosts = world.board.suggested_hosts(world.board.topics()[0])

    assert [(h.name, h.reason) for h in hosts] == [("Chidi Obi", "offered to share")]
    assert "Suggested host: Chidi Obi, offered to share." in world.notices.texts("alice")[0]
    assert "Suggested host" not in world.notices.texts("chidi")[0]  # not told to host himself


def test_without_an_offer_a_past_host_of_the_topic_is_suggested(world: World) -> None:
    world.notes.notes.append(
        NoteFacts("sessions/n.md", "Pottery evening", "Rita Vale", date="2026-10-01")
    )
    world.registry.register(ALICE, "pottery", "learn")
    world.registry.register(BRUNO, "ceramics", "learn")
    world.registry.register(CHIDI, "clay", "learn")

    view = world.board.for_team(OLGA)[0]

    assert [(h.name, h.source) for h in view.hosts] == [("Rita Vale", "sessions/n.md")]
    assert view.hosts[0].reason == "who hosted “Pottery evening” (2026-10-01)"


def test_an_anonymous_sharer_is_asked_privately_whether_to_host(world: World) -> None:
    world.registry.register(ALICE, "pottery", "learn")
    world.registry.register(BRUNO, "ceramics", "learn")
    world.registry.register(CHIDI, "I can teach clay", "share")

    kinds = {(n.recipient, n.kind) for n in world.notices.items}

    assert ("chidi", "host_request") in kinds
    assert not any(n.kind == "host_request" and n.recipient != "chidi" for n in world.notices.items)
    assert world.board.suggested_hosts(world.board.topics()[0]) == []


def test_withdrawing_removes_the_interest_everywhere(world: World) -> None:
    world.registry.register(ALICE, "pottery", "learn")
    bruno, _ = world.registry.register(BRUNO, "ceramics", "learn", "named")
    world.registry.register(CHIDI, "clay", "learn")
    world.registry.register(DARIA, "glazing", "learn")
    session = world.planning.draft_from_topic(OLGA, world.board.topics()[0].id)
    assert world.planning.invitation(session).named == ("Bruno Tamura",)

    world.registry.withdraw(BRUNO, bruno.id)

    session = world.planning.view(OLGA, session.id).session
    assert world.interests.get(bruno.id) is None
    assert bruno.id not in session.interest_ids
    assert world.planning.invitation(session).named == ()
    assert world.planning.invitation(session).others == 3
    assert world.notices.texts("bruno") == []
    assert not any("Bruno" in n.text for n in world.notices.items)


def test_withdrawing_before_a_session_tells_the_others_again_without_the_name(
    world: World,
) -> None:
    world.registry.register(ALICE, "pottery", "learn")
    bruno, _ = world.registry.register(BRUNO, "ceramics", "learn", "named")
    world.registry.register(CHIDI, "clay", "learn")
    world.registry.register(DARIA, "glazing", "learn")
    assert "Bruno Tamura" in world.notices.texts("alice")[0]

    world.registry.withdraw(BRUNO, bruno.id)

    assert world.board.topics()[0].size == 3
    assert world.notices.texts("alice") == [
        "2 other people want to learn or share about what you registered: “pottery”. You can "
        "turn this into a session plan in one step."
    ]


def test_choosing_anonymity_later_rewrites_notices_that_named_you(world: World) -> None:
    alice, _ = world.registry.register(ALICE, "pottery", "learn", "named")
    world.registry.register(BRUNO, "ceramics", "learn")
    world.registry.register(CHIDI, "clay", "learn")
    assert "Alice Moreau" in world.notices.texts("bruno")[0]

    world.registry.set_visibility(ALICE, alice.id, "anonymous")

    assert not any("Alice" in n.text for n in world.notices.items)
    assert world.board.for_employee(DARIA)[0].named == ()


def test_the_same_statement_again_is_the_same_interest(world: World) -> None:
    first, _ = world.registry.register(ALICE, "Pottery.", "learn")
    again, _ = world.registry.register(ALICE, "pottery", "learn")
    shared, _ = world.registry.register(ALICE, "pottery", "share")

    assert again == first
    assert shared.id != first.id
    assert [i.text for i in world.registry.mine(ALICE)] == ["Pottery", "pottery"]


@pytest.mark.parametrize("text", ["", " . ", "x" * 301])
def test_an_empty_or_rambling_statement_is_refused(world: World, text: str) -> None:
    with pytest.raises(InvalidInputError):
        world.registry.register(ALICE, text, "learn")


def test_only_the_owner_changes_or_withdraws_an_interest(world: World) -> None:
    alice, _ = world.registry.register(ALICE, "pottery", "learn")

    with pytest.raises(LookupError):
        world.registry.withdraw(BRUNO, alice.id)
    with pytest.raises(LookupError):
        world.registry.set_visibility(BRUNO, alice.id, "named")
    assert world.interests.get(alice.id) == alice


def test_the_team_view_is_for_learning_ops_and_shows_how_topics_grow(world: World) -> None:
    world.registry.register(ALICE, "pottery", "learn")
    world.clock.advance(days=40)
    world.registry.register(BRUNO, "ceramics", "learn")
    world.registry.register(CHIDI, "clay", "learn")

    view = world.board.for_team(OLGA)[0]

    assert (view.new_recently, view.new_before) == (2, 1)
    with pytest.raises(NotAllowedError):
        world.board.for_team(ALICE)
    assert world.clock.now().date() == dt.date(2027, 4, 10)
