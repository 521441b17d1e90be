"""A key shared by many people is nobody to the community; a person's key is that person."""

from __future__ import annotations

from coach.services.access import EMPLOYEE, LEARNING_OPS, WIDGET, Principal, caller_of


def test_a_widget_key_is_not_a_person() -> None:
    caller = caller_of(Principal("intranet-widget", frozenset({WIDGET})))

    assert (caller.is_person, caller.is_learning_ops) == (False, False)


def test_an_employee_and_a_learning_ops_member_are_people() -> None:
    employee = caller_of(Principal("alice", frozenset({EMPLOYEE})))
    team = caller_of(Principal("olivia", frozenset({EMPLOYEE, LEARNING_OPS})))

    assert (employee.id, employee.is_person, employee.is_learning_ops) == ("alice", True, False)
    assert (team.id, team.is_person, team.is_learning_ops) == ("olivia", True, True)
