"""The community in the conversation: registering an interest in so many words ("add me to the
people interested in X", "I could share about X"), the offer after a learning plan, the notices
waiting when someone comes back, the debrief as four questions, and picking a learning plan up
where it stands. `coach.chat.ChatService` asks this first, when it has one.

Only explicit words register an interest: asking for a learning plan is not registering one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from coach.community.checkins import CheckInService, standing_markdown
from coach.community.debriefs import DebriefExchange, DebriefService
from coach.community.errors import CommunityError, NotAPersonError
from coach.community.inbox import InboxService
from coach.community.interests import InterestService
from coach.community.people import Caller
from coach.community.records import Direction, Visibility
from coach.domain import Reply
from coach.intents import is_affirmative
from coach.text import content_words

_LEARN = re.compile(
    r"\b(?:add|put|sign)\s+me\s+(?:up\s+)?(?:to|on|for|among|with)\s+(?:the\s+)?(?:list\s+of\s+)?"
    r"(?:people|those|others|colleagues|folks|everyone|list)\s+(?:who\s+(?:are|want|would\s+like)"
    r"\s+)?(?:interested\s+in|to\s+learn(?:\s+about)?|learning\s+about|for)\s+(?P<topic>.+)"
    r"|\bregister\s+(?:my\s+)?interest\s+in\s+(?P<topic2>.+)",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"\b(?:add|put)\s+me\s+(?:down\s+)?as\s+(?:someone|a\s+person|one)\s+who\s+(?:could|can)\s+"
    r"(?:share|teach)\s+(?:about\s+|on\s+)?(?P<topic>.+)"
    r"|\bI\s*(?:could|can|would\s+be\s+happy\s+to|'d\s+be\s+happy\s+to|am\s+happy\s+to|"
    r"'m\s+happy\s+to)\s+share\s+(?:what\s+I\s+know\s+)?(?:about|on)\s+(?P<topic2>.+)",
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"[,;]?\s*(?:and\s+)?(?:please\s+)?(?:you\s+can\s+)?(?:show|use|give)\s+my\s+name\b.*$"
    r"|[,;]?\s*(?:and\s+)?(?:you\s+can\s+)?name\s+me\b.*$|\s+with\s+my\s+name\b.*$",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"[\s,;]*(?:,\s*)?(?:please|thanks|thank\s+you)?[\s.!?]*$", re.IGNORECASE)
_DEBRIEF = re.compile(
    r"^\s*(?:let'?s\s+)?debrief\b|\b(?:tell\s+you\s+)?how\s+(?:it|the\s+session|my\s+session)"
    r"\s+went\b",
    re.IGNORECASE,
)
_GOAL = re.compile(
    r"\b(?:(?:learning\s+)?plan\s+for|learn(?:ing)?|get(?:ting)?\s+better\s+at|"
    r"improv(?:e|ing)(?:\s+at)?|understand(?:ing)?|study(?:ing)?|pick(?:ing)?\s+up)\s+"
    r"(?:about\s+|more\s+about\s+)?"
    r"(?P<topic>.+?)(?=\s+(?:in|over|within|for|by|during|with|this|next)\b|[,.;?!]|$)",
    re.IGNORECASE,
)
_STOP = re.compile(r"^\s*(?:stop|cancel|never\s*mind|later)\s*[.!]?\s*$", re.IGNORECASE)


def explicit_interest(message: str) -> tuple[str, Direction, Visibility] | None:
    """The topic, direction and visibility an explicit request to register states, if it is
    one ("add me to the people interested in X, and show my name")."""
    patterns: tuple[tuple[re.Pattern[str], Direction], ...] = ((_SHARE, "share"), (_LEARN, "learn"))
    for pattern, direction in patterns:
        if match := pattern.search(message):
            raw = match.group("topic") or match.group("topic2") or ""
            visibility: Visibility = "named" if _NAMED.search(raw) else "anonymous"
            topic = _TRAILING.sub("", _NAMED.sub("", raw)).strip(" '\"“”")
            if topic:
                return topic, direction, visibility
    return None


def goal_topic(goal: str) -> str:
    """What a learning goal is about ("I want to learn pottery in six weeks" → "pottery"), for
    the offer to be counted among the people who want it; the goal itself when unclear."""
    found = _GOAL.search(goal)
    topic = found.group("topic").strip() if found else ""
    return topic if len(topic) >= 2 else goal.strip().rstrip(".?!")


class CommunityTurns:
    def __init__(
        self,
        interests: InterestService,
        inbox: InboxService,
        debriefs: DebriefService,
        check_ins: CheckInService,
    ) -> None:
        self._interests = interests
        self._inbox = inbox
        self._debriefs = debriefs
        self._check_ins = check_ins

    def arrival(self, caller: Caller | None) -> str:
        """What is new for someone starting a conversation (their unread notices), or ""."""
        if caller is None:
            return ""
        notices = self._inbox.on_arrival(caller)
        return "".join(f"> {n.text}\n" for n in notices) + ("\n" if notices else "")

    def respond(
        self, caller: Caller | None, message: str, state: Mapping[str, Any] | None
    ) -> Reply | None:
        """This turn's reply, when it is the community's to give."""
        if state and state.get("flow") == "debrief" and caller is not None:
            return self._debrief_turn(caller, message, DebriefExchange.from_state(state))
        offered = state.get("interest_offer") if state else None
        if offered and is_affirmative(message):
            return self._register(caller, str(offered), "learn", "anonymous")
        if found := explicit_interest(message):
            return self._register(caller, *found)
        if _DEBRIEF.search(message) and caller is not None and caller.is_person:
            session = self._debriefs.session_to_debrief(caller)
            if session is not None:
                exchange = DebriefExchange(session.id)
                intro = f"Let's write up “{session.title}”. "
                return Reply(
                    intro + str(exchange.question), state=exchange.to_state(), kind="debrief"
                )
        return None

    def offer_interest(self, reply: Reply, goal: str) -> Reply:
        """A learning plan's reply, ending with the offer to be counted among the people who
        want the same (a "yes" registers it, anonymously)."""
        goal = goal_topic(goal)
        offer = (
            f"\n\nWould you like me to add you to the people interested in “{goal}”? When "
            "enough colleagues want the same, you will all hear about it and a session can be "
            "planned. You stay anonymous unless you ask me to show your name."
        )
        state = {**(reply.state or {}), "interest_offer": goal}
        return Reply(reply.answer + offer, reply.sources, reply.handoff, reply.passages, state,
                     reply.kind, reply.path)  # fmt: skip

    def resume_learning(self, caller: Caller | None, message: str) -> Reply | None:
        """Where the caller's plan stands, when they ask for a plan about the same goal as
        one still under way (not a fresh plan)."""
        if caller is None or not caller.is_person:
            return None
        current = self._check_ins.resume(caller)
        if current is None or not content_words(current.goal) & content_words(message):
            return None
        return Reply(
            standing_markdown(current),
            state={"flow": "learning_plan", "plan_id": current.plan_id},
            kind="learning_plan",
        )

    def _register(
        self, caller: Caller | None, topic: str, direction: Direction, visibility: Visibility
    ) -> Reply:
        try:
            if caller is None:
                raise NotAPersonError()
            interest, _ = self._interests.register(caller, topic, direction, visibility)
        except CommunityError as error:
            return Reply(str(error), kind="interest")
        verb = "want to learn about" if direction == "learn" else "could share about"
        shown = (
            "Others see your name with it."
            if interest.named
            else "You are counted, never named: say “show my name” if you'd like to be."
        )
        return Reply(
            f"Done: I've noted that you {verb} “{interest.text}”. When enough colleagues want "
            f"the same, you'll all hear about it here. {shown} You can withdraw it at any time.",
            kind="interest",
        )

    def _debrief_turn(self, caller: Caller, message: str, exchange: DebriefExchange) -> Reply:
        if _STOP.match(message):
            return Reply("Fine: we can do it later (say “debrief”).", kind="debrief")
        exchange = exchange.answer(message)
        if exchange.question is not None:
            return Reply(exchange.question, state=exchange.to_state(), kind="debrief")
        try:
            draft = self._debriefs.submit(caller, exchange.session_id, exchange.debrief())
        except CommunityError as error:
            return Reply(str(error), kind="debrief")
        return Reply(
            "Thank you. I've drafted the session note; Learning Ops will review it before it "
            f"goes into the library.\n\n```markdown\n{draft.text}```",
            kind="debrief",
        )
