"""Agendas whose minutes add up to the session's length and respect the playbook's rules
(the parts it states, a break every so often, a minimum share of practice).

The agenda's shape follows the rules, not the format's name: a playbook that asks for practice
or sets people per facilitator gets a hands-on agenda; a community gathering a discussion; the
rest a talk with questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.reading.quantities import find_quantities, normalise
from coach.reading.rules import Rule, first

_COMMUNITY = re.compile(r"\b(meet-?ups?|community|communities|gathering)\b", re.IGNORECASE)


@dataclass(frozen=True)
class AgendaItem:
    minutes: int
    activity: str


_TALK_PART = re.compile(r"talk|present|lecture|speak|content", re.IGNORECASE)
_QUESTION_PART = re.compile(r"question|q\s*&\s*a|discussion", re.IGNORECASE)


def _activity(part: str, topic: str) -> str:
    if _TALK_PART.search(part):
        return f"Talk: {topic}"
    if _QUESTION_PART.search(part):
        return "Questions and answers"
    return part[:1].upper() + part[1:]


def _stated_parts(rules: list[Rule], duration: int, topic: str) -> list[AgendaItem] | None:
    """The parts one sentence of the playbook states ("30 minutes of talk and 15 of
    questions"), when they fill the session's whole length."""
    by_sentence: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.kind == "part_duration" and rule.value:
            by_sentence.setdefault(rule.text, []).append(rule)
    for parts in by_sentence.values():
        if len(parts) >= 2 and sum(int(p.value or 0) for p in parts) == duration:
            return [AgendaItem(int(p.value or 0), _activity(p.subject, topic)) for p in parts]
    return None


def _talk_agenda(duration: int, topic: str, rules: list[Rule], food: bool) -> list[AgendaItem]:
    if parts := _stated_parts(rules, duration, topic):
        return parts
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


def _break(rule: Rule | None) -> tuple[int, int]:
    """How often to break (the rule's value) and for how long (the other duration its sentence
    states, else 10 minutes)."""
    if rule is None or not rule.value:
        return 60, 0
    every = int(rule.value)
    lengths = [
        int(q.value)
        for q in find_quantities(normalise(rule.text))
        if q.dimension == "duration" and q.unit == "minute" and q.value < every
    ]
    return every, (min(lengths) if lengths else 10)


def _workshop_agenda(duration: int, topic: str, rules: list[Rule]) -> list[AgendaItem]:
    break_rule = first(rules, "break")
    every, break_minutes = _break(break_rule)
    breaks = (duration - 1) // every if break_minutes else 0
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
    hands_on = any(r.kind in ("practice_share", "per_facilitator") and r.value for r in rules)
    food = any(r.kind == "budget" and r.subject == "per person" for r in rules)
    if hands_on:
        items = _workshop_agenda(duration, topic, rules)
    elif _COMMUNITY.search(format_name):
        items = _meetup_agenda(duration, topic)
    else:
        items = _talk_agenda(duration, topic, rules, food=food)
    return [i for i in items if i.minutes > 0]
