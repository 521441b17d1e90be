"""What a question asks for: a figure, a person, a place, a time, a yes or no, or a how-to.

The shape of the answer decides which sentence answers it (one with a figure for "how long",
a name for "who") and which documents to prefer: policy and how-to questions are answered by
playbooks, "who ran / what happened" questions by past-session notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

AnswerShape = Literal["duration", "count", "money", "figure", "person", "place", "time", "contact",
                      "yesno", "how", "other"]  # fmt: skip

# Where a sentence of the message starts: "who", "where" and "when" ask only there.
_OPENS = r"(?:^|[.?!]\s+)\s*"
# The question word says what is asked for, wherever it stands ("… up to how much?").
_ASKED_FOR: list[tuple[AnswerShape, re.Pattern[str]]] = [
    # A number to call or an address to write to: only a sentence that has one answers.
    (
        "contact",
        re.compile(
            r"\b(?:phone|telephone|mobile|contact)\s+(?:number|details)|"
            r"\be-?mail\s+address|\bextension\b|\bwho\s+(?:do|should|can)\s+"
            r"(?:i|we)\s+(?:call|ring|phone|email)\b|\bwhat\s+number\b",
            re.I,
        ),
    ),
    (
        "person",
        re.compile(
            _OPENS + r"(?:who|whom|whose)\b|\b(?:who\s+(?:should|do|can|to)|"
            r"which\s+(?:team|person|people)|someone\s+who|anyone\s+who)\b",
            re.I,
        ),
    ),
    # "How much notice" and "how much time" ask for a duration, not a sum.
    (
        "duration",
        re.compile(
            r"\bhow\s+(?:long|far\s+(?:ahead|in\s+advance)|early|soon|late|often|"
            r"many\s+(?:minutes|hours|days|weeks|months)|much\s+(?:\w+\s+){0,2}?"
            r"(?:time|notice|warning|lead))\b",
            re.I,
        ),
    ),
    ("money", re.compile(r"\bhow\s+much\b", re.I)),
    ("count", re.compile(r"\bhow\s+many\b", re.I)),
    (
        "place",
        re.compile(
            _OPENS + r"where\b|\bwhich\s+(?:room|venue|space|place|floor|"
            r"building)\b",
            re.I,
        ),
    ),
    ("time", re.compile(_OPENS + r"(?:when|what\s+time|what\s+day|which\s+day)\b", re.I)),
]
# Without one, a message opening like a yes/no question is one, whatever it is about: "can I
# carry my budget over?" is answered by a yes or a no, not by a sum.
_YES_NO = re.compile(
    r"^\s*(?:can|could|may|might|do|does|did|is|are|am|was|were|will|would|"
    r"should|shall|must|have|has|need)\b",
    re.I,
)
# Failing both, a noun that names a kind of value ("the deadline to claim?", "max budget?").
_NAMED_VALUE: list[tuple[AnswerShape, re.Pattern[str]]] = [
    ("duration", re.compile(r"\b(?:deadline|lead\s+time|notice|length)\b", re.I)),
    (
        "money",
        re.compile(
            r"\b(?:budget|cost|price|fees?\b|honorari|stipend|allowance|pay|paid|"
            r"money|reimburs|"
            # "the time I spend" is time, not money
            r"(?<!time i )(?<!time we )(?<!time you )spend(?!\s+(?:time|hours|days)))",
            re.I,
        ),
    ),
    (
        "count",
        re.compile(
            r"\b(?:capacity|max(?:imum)?\s+(?:number|size|audience|group)|fit|"
            r"seats?|holds?)\b",
            re.I,
        ),
    ),
]
_HOW = re.compile(r"^\s*(?:how\s+(?:do|can|should|to|would)|what\s+(?:should|do)\s+i|steps?\b|"
                  r"tips?\b)", re.I)  # fmt: skip
_ABOUT_PAST = re.compile(
    # "who has to approve…" asks about a rule, not the past
    r"\b(?:who\s+(?:(?:has|have)(?!\s+to\b)|hosted|ran|run|gave|presented|led|talked|spoke|did)|"
    r"has\s+anyone|"
    r"have\s+we|did\s+(?:anyone|we|someone)|last\s+time|previous|past\s+sessions?|before\s+us|"
    r"what\s+(?:went|happened|worked)|lessons?\s+(?:learned|learnt|from)|how\s+did\b|"
    r"who\s+ran|already\s+(?:run|hosted|done)|(?:was|were)\s+there\s+(?:ever\s+)?(?:an?|any)\b)",
    re.IGNORECASE,
)


# Which kinds of rule (see coach.reading.rules) answer which way of asking.
_WANTS: list[tuple[re.Pattern[str], frozenset[str]]] = [
    (re.compile(r"\bhow\s+(?:far\s+(?:ahead|in\s+advance|out)|early|soon|late|much\s+notice|"
                r"many\s+(?:days|weeks|months)\s+(?:before|ahead|in\s+advance))|\b(?:deadline|"
                r"lead\s+time|notice|in\s+advance|ahead\s+of|by\s+when|last\s+(?:possible\s+)?day)",
                re.I), frozenset({"lead_time"})),
    (re.compile(r"\bhow\s+long\b.*\b(?:q\s*&\s*a|questions|intro\w*|opening|break|demo|talk\s+part|"
                r"discussion|round)\b", re.I), frozenset({"part_duration"})),
    (re.compile(r"\bhow\s+long\b|\b(?:length|duration|max(?:imum)?\s+length|minutes?\s+long)\b",
                re.I), frozenset({"max_duration", "min_duration"})),
    (re.compile(r"\bhow\s+often\b|\bfrequen|\bevery\s+how", re.I), frozenset({"frequency"})),
    (re.compile(r"\bhow\s+many\b.*\b(?:people|attendees|participants|seats|fit|join|come)\b|"
                r"\b(?:capacity|fit|seats?|holds?)\b", re.I),
     frozenset({"capacity", "per_facilitator"})),
    (re.compile(r"\bfacilitators?\b|\btrainers?\b", re.I), frozenset({"per_facilitator"})),
    (re.compile(r"\bhow\s+much\b(?!\s+(?:\w+\s+){0,2}?time\b)|"
                r"\b(?:budget|cost|price|fees?\b|honorari|stipend|allowance)", re.I),
     frozenset({"budget", "approval_threshold"})),
]  # fmt: skip


@dataclass(frozen=True)
class Question:
    text: str
    shape: AnswerShape
    about_the_past: bool  # answered by past-session notes rather than playbooks
    wants: frozenset[str] = frozenset()  # kinds of rule that answer it, when it asks for one
    # A follow-up's own words ("and the room?"): what it asks beyond the earlier question, whose
    # words `text` also carries.
    focus: str = ""
    # What the coach has just said: a follow-up asks for something else.
    said_before: str = ""

    @property
    def wants_figure(self) -> bool:
        return self.shape in ("duration", "count", "money", "figure")


def _shape(text: str) -> AnswerShape:
    if asked := next((name for name, p in _ASKED_FOR if p.search(text)), None):
        return asked
    if _YES_NO.search(text):
        return "yesno"
    if named := next((name for name, p in _NAMED_VALUE if p.search(text)), None):
        return named
    return "how" if _HOW.search(text) else "other"


def analyse(text: str) -> Question:
    shape = _shape(text)
    wants = next((kinds for pattern, kinds in _WANTS if pattern.search(text)), frozenset())
    return Question(text, shape, bool(_ABOUT_PAST.search(text)), wants)


_REQUEST = re.compile(
    r"^\s*(?:please\s+)?(?:help\s+me|give\s+me|write\s+me|get\s+me|can\s+you|could\s+you|"
    r"would\s+you|will\s+you|i\s+(?:want|"
    r"need|would\s+like|'d\s+like|am\s+(?:planning|going|hoping|thinking))|i'd\s+like|"
    r"i'm\s+(?:planning|going|hoping|thinking|organi[sz]ing|running|hosting)|we\s+(?:want|"
    r"need|are\s+planning)|let's|let\s+me|plan|draft|organi[sz]e|set\s+up|prepare|put\s+"
    r"together|make|create|build|design|write)\b",
    re.IGNORECASE,
)
_MAKE = re.compile(
    r"\b(?:plan|draft|organi[sz]e|set\s+up|prepare|put\s+together|run|host|arrange|design|"
    r"schedule|hold|do|give|make|create|build|write)\b",
    re.IGNORECASE,
)


def asks_to_make_something(text: str) -> bool:
    """A request to draft or organise ("help me plan…", "I want to run…"), as opposed to a
    question about one detail ("how early must the room be booked?")."""
    return bool(_REQUEST.search(text) and _MAKE.search(text))


def is_question(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith("?") or bool(
        re.match(r"(?:what|which|who|whom|whose|when|where|why|how|is|are|can|could|do|does|"
                 r"did|may|should|must|will|would|have|has)\b", stripped, re.IGNORECASE)
    )  # fmt: skip


_WISH = re.compile(
    r"\b(?:i\s+(?:really\s+)?(?:want|wanna|would\s+(?:like|love)|'d\s+(?:like|love)|need|hope|"
    r"plan|aim|intend|wish)|i'd\s+(?:like|love)|i(?:'m|\s+am)\s+(?:trying|hoping|planning|aiming|"
    r"keen|looking|eager|determined|working\s+towards?|preparing\s+for|studying\s+for)|"
    r"my\s+(?:goal|aim|plan)|help\s+me|i\s+have\s+\d+|i've\s+got\s+\d+|give\s+me|"
    r"how\s+(?:do|can|should)\s+i\s+(?:get|become|learn))",
    re.IGNORECASE,
)
_LEARN = re.compile(
    r"\b(?:learn\w*|get\s+(?:good|better|up\s+to\s+speed|comfortable|confident|fluent)|"
    r"improve|grow|develop|become|master|upskill|study|skill\s+up|pick\s+up|get\s+into|"
    r"level\s+up|brush\s+up|certif\w*|be\s+able\s+to|ramp\s+up|move\s+into|switch\s+to|"
    r"understand|fluent|proficient|get\s+across|exam)\b",
    re.IGNORECASE,
)


_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def ends_asking_a_detail(text: str) -> bool:
    """Whether the message ends with a question about one detail ("… By when must the
    form be in?"): the goal before it is context; no plan is asked for."""
    last = _SENTENCES.split(text.strip())[-1]
    return last.endswith("?") and analyse(last).shape not in ("yesno", "how", "other")


def wants_to_learn(text: str) -> bool:
    """A personal learning goal ("I want to become fluent in X by spring")."""
    return bool(_WISH.search(text) and _LEARN.search(text))


_SESSION_NOUNS = re.compile(
    r"\b(?:sessions?|talks?|workshops?|meet-?ups?|events?|gatherings?|presentations?|"
    r"webinars?|lectures?|demos?|speakers?|audience)\b",
    re.IGNORECASE,
)


def mentions_a_session(text: str) -> bool:
    """Whether a message is about a session to run (as opposed to one's own learning)."""
    return bool(_SESSION_NOUNS.search(text))
