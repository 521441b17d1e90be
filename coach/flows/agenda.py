"""Agendas whose minutes add up to the session's length and respect the playbook's rules
(a talk/questions split it states, breaks per hour, a minimum share of practice)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.flows.rules import Rule, first

_TALK_SPLIT = re.compile(
    r"(\d+)\s*minutes?\s+of\s+(talk|presentation)\D+?(\d+)\s*minutes?\s+of\s+(questions|q&a|discussion)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AgendaItem:
    minutes: int
    activity: str


def _talk_split(rules: list[Rule], duration: int) -> tuple[int, int] | None:
    """The playbook's own talk/questions split, when the session runs its full length."""
    for rule in rules:
        if rule.kind == "max_duration" and (match := _TALK_SPLIT.search(rule.text)):
            talk, questions = int(match.group(1)), int(match.group(3))
            if talk + questions == duration:
                return talk, questions
    return None


def _talk_agenda(duration: int, topic: str, rules: list[Rule], food: bool) -> list[AgendaItem]:
    if split := _talk_split(rules, duration):
        talk, questions = split
        return [AgendaItem(talk, f"Talk: {topic}"), AgendaItem(questions, "Questions and answers")]
    opening = 10 if food and duration >= 40 else 5
    closing = 5 if duration >= 30 else 0
    core = duration - opening - closing
    questions = max(5, round(core * 0.3 / 5) * 5) if core >= 15 else 0
    first_item = "Collect food, settle in, welcome" if food else "Welcome and why this matters"
    items = [
        AgendaItem(opening, first_item),
        AgendaItem(core - questions, f"Talk: {topic}"),
        AgendaItem(questions, "Questions and discussion"),
        AgendaItem(closing, "Wrap-up: one next step and the feedback form"),
    ]
    return [i for i in items if i.minutes > 0]


def _workshop_agenda(duration: int, topic: str, rules: list[Rule]) -> list[AgendaItem]:
    break_rule = first(rules, "break")
    break_minutes = int(break_rule.value) if break_rule and break_rule.value else 0
    breaks = (duration - 1) // 60 if break_minutes else 0
    # Short sessions get shorter framing, so that practice still fills most of the time.
    intro, demo, debrief = min(10, duration // 6), min(15, duration // 5), min(10, duration // 6)
    practice = duration - intro - demo - debrief - breaks * break_minutes
    share = first(rules, "practice_share")
    needed = round(duration * share.value / 100) if share and share.value else 0
    if practice < needed:  # talk less, never practise less than the playbook asks
        demo = max(5, demo - (needed - practice))
        practice = duration - intro - demo - debrief - breaks * break_minutes
    items = [
        AgendaItem(intro, "Welcome, goals and set-up check"),
        AgendaItem(demo, f"Short demo: {topic}"),
    ]
    blocks = breaks + 1
    for index in range(blocks):
        minutes = practice // blocks + (1 if index < practice % blocks else 0)
        items.append(AgendaItem(minutes, f"Hands-on practice {index + 1}: {topic}"))
        if index < breaks:
            items.append(AgendaItem(break_minutes, "Break"))
    items.append(AgendaItem(debrief, "Debrief: what worked, what to try next, feedback form"))
    return items


def _meetup_agenda(duration: int, topic: str) -> list[AgendaItem]:
    intro = 10 if duration >= 45 else 5
    close = 5
    core = duration - intro - close
    talk = round(core * 0.5)
    return [
        AgendaItem(intro, "Welcome, round of introductions, community news"),
        AgendaItem(talk, f"Short talk or demo: {topic}"),
        AgendaItem(core - talk, "Open discussion (lean coffee)"),
        AgendaItem(close, "Next meetup: topic, host, date"),
    ]


def build_agenda(
    format_name: str, duration: int, topic: str, rules: list[Rule]
) -> list[AgendaItem]:
    family = format_name.lower()
    if any(w in family for w in ("workshop", "lab", "hands-on", "training")):
        items = _workshop_agenda(duration, topic, rules)
    elif any(w in family for w in ("meetup", "community", "guild", "circle")):
        items = _meetup_agenda(duration, topic)
    else:
        items = _talk_agenda(duration, topic, rules, food="lunch" in family)
    return [i for i in items if i.minutes > 0]
