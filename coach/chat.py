"""The chat flow: hand-off first, then retrieval, a model draft, and the grounding check."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.language_models import BaseChatModel

from coach.answers import Answer, extractive, generated, nearest_topic, source_refs
from coach.community.conversation import CommunityTurns
from coach.community.people import Caller
from coach.domain import Handoff, NewTicket, Passage, Reply, TicketUpdate, Turn
from coach.extractive import MIN_SIMILARITY, MIN_STANDOUT, Extraction, extract
from coach.flows.coaching import Coaching, learning_request
from coach.intents import Decision, is_affirmative
from coach.messages import TICKET_UPDATE, Wording
from coach.ports import ConversationLog, TicketDesk, TurnRouter
from coach.profile import OrganisationProfile
from coach.prompts import answer_messages
from coach.providers.deadline import with_deadlines
from coach.questions import (
    Question,
    analyse,
    asks_to_make_something,
    ends_asking_a_detail,
    mentions_a_session,
    wants_to_learn,
)
from coach.retrieval import Retriever

log = logging.getLogger(__name__)
# "Who should I talk to…", "who has run…": someone to talk to, whom past hosts are; not "who
# approves…" or "who won…", which only a guide or a note's own words answer.
_ASKS_FOR_SOMEONE = re.compile(
    r"\bwho\s+(?:could|can|should|might|would)\s+(?:I|we)\s+(?:ask|talk|speak|contact|reach|"
    r"learn|go)\b|\bwho(?:'s|\s+has|\s+have|\s+had)\s+(?:already\s+|ever\s+)?(?:run|given|done|"
    r"hosted|led|presented|organi[sz]ed|taught|talked|spoken|covered)\b|"
    r"\bwho\s+(?:ran|gave|hosted|led|presented|organi[sz]ed|taught)\b|\bwho\s+knows\b|"
    r"\b(?:anyone|someone|somebody|anybody)\s+(?:who|that|to\s+(?:ask|talk))\b",
    re.IGNORECASE,
)
# Who asked, and which passages their answer was built from (OWASP LLM02/LLM08).
audit = logging.getLogger("coach.audit")

CLEARLY_RELEVANT = 0.5
MIN_FIRST_TOKEN_SECONDS = 0.5
FOLLOW_UP_WORDS = 6
MAX_FOLLOWED = 3  # earlier questions a chain of follow-ups is searched with


@dataclass(frozen=True)
class ChatOutcome:
    conversation_id: str
    message_id: str
    reply: Reply


@dataclass(frozen=True)
class Token:
    """A piece of the answer as the model writes it (streaming)."""

    text: str


class ChatService:
    def __init__(
        self,
        *,
        retriever: Retriever,
        chat_model: BaseChatModel,
        router: TurnRouter,
        coaching: Coaching,
        conversations: ConversationLog,
        tickets: TicketDesk,
        k: int = 5,
        first_token_seconds: float = 4.0,
        total_seconds: float = 60.0,
        wording: Wording | None = None,
        generate_answers: bool = True,
        min_answer_similarity: float = MIN_SIMILARITY,
        min_answer_standout: float = MIN_STANDOUT,
        community: CommunityTurns | None = None,
    ) -> None:
        self._retriever = retriever
        self._model = chat_model
        self._router = router
        self._coaching = coaching
        self._conversations = conversations
        self._tickets = tickets
        self._k = k
        self._first_token_seconds = first_token_seconds
        self._total_seconds = total_seconds
        self._wording = wording or Wording(OrganisationProfile())
        # On the embedded default the documents answer on their own: a tiny model adds
        # nothing a sentence of the documents does not say, and may say something false.
        self._generate = generate_answers
        self._min_similarity = min_answer_similarity
        self._min_standout = min_answer_standout
        self._turn = threading.local()  # when this thread's turn started
        # Interests, notices, debriefs and learning-plan check-ins in the conversation.
        self._community = community

    def chat(
        self,
        message: str,
        conversation_id: str | None = None,
        owner: str = "local",
        caller: Caller | None = None,
    ) -> ChatOutcome:
        """Answer one message; the exchange is stored before this returns. `caller` says who
        is asking (a person, or a shared key that is nobody): without it, the community's
        features treat the asker as nobody in particular."""
        for event in self.stream(message, conversation_id, owner, caller):
            if isinstance(event, ChatOutcome):
                return event
        raise RuntimeError("the chat stream ended without an outcome")  # pragma: no cover

    def stream(
        self,
        message: str,
        conversation_id: str | None = None,
        owner: str = "local",
        caller: Caller | None = None,
    ) -> Iterator[Token | ChatOutcome]:
        """The answer's tokens as the model writes them, then the stored outcome. The outcome's
        answer is final: the grounding check may have replaced what was streamed."""
        message = message.strip()
        if not message:
            raise ValueError("The message is empty.")
        updates: list[TicketUpdate] = []
        arrived = ""
        if conversation_id is None:
            conversation_id, history = self._conversations.start(owner), []
            arrived = self._community.arrival(caller) if self._community else ""
        else:
            history = self._conversations.history(conversation_id, owner)
            updates = self._tickets.updates_for(conversation_id)
        news = arrived + "".join(_update_text(u) for u in updates)
        if news:
            yield Token(news)
        reply = yield from self._respond(message, history, conversation_id, owner, caller)
        if news:
            reply = replace(reply, answer=news + reply.answer)
        message_id = self._conversations.record_exchange(conversation_id, message, reply)
        audit.info(
            "answer user=%s conversation=%s message=%s kind=%s chunks=%s",
            owner, conversation_id, message_id, reply.kind,
            ",".join(p.chunk_id for p in reply.passages) or "-",
        )  # fmt: skip
        yield ChatOutcome(conversation_id, message_id, reply)

    def _respond(
        self,
        message: str,
        history: list[Turn],
        conversation_id: str,
        owner: str,
        caller: Caller | None = None,
    ) -> Generator[Token, None, Reply]:
        # One turn's wait for the model is one budget: time a model spent reading the message
        # (a slow model server) is not waited for again before the first token.
        self._turn.started = time.monotonic()
        pending = _pending_handoff(history)
        if pending and is_affirmative(message):
            return self._open_ticket(pending, history, conversation_id, owner)
        if self._community and (
            turn := self._community.respond(caller, message, _last_state(history))
        ):
            return turn
        decision = self._router.classify(message)
        if decision.opens_ticket_now:
            handoff = Handoff("learning_ops", self._wording.reason(decision.label))
            turns = [*history, Turn("user", message)]
            return self._open_ticket(handoff, turns, conversation_id, owner)
        if decision.route in ("hr", "wellbeing"):
            return self._redirect(Handoff(decision.route, self._wording.reason(decision.label)))
        state = _last_state(history)
        # A request to draft something gets the draft; a question about one detail of it
        # gets the answer, and the draft is offered.
        wants_plan = asks_to_make_something(message)
        # A learning goal with the time to reach it is a request for a learning plan, however
        # worded, unless it is about a session to run.
        timed_goal = (
            wants_to_learn(message)
            and any(learning_request(message))
            and not mentions_a_session(message)
            and not ends_asking_a_detail(message)
        )
        if self._coaching.is_session_follow_up(message, state) or (
            decision.intent == "organise_session" and wants_plan and not timed_goal
        ):
            return self._coaching.session_plan(message, state)
        if (decision.intent == "plan_learning" and (wants_plan or wants_to_learn(message))) or (
            timed_goal and decision.route is None
        ):
            return self._learning_plan(message, caller)
        asked = _retrieval_query(message, history)
        shape = analyse(message)
        # Past sessions answer "who did…" and "what happened…", not a yes/no about a rule.
        about_people = shape.about_the_past or (
            decision.intent == "find_people" and shape.shape in ("person", "other")
        )
        # Who ran it, or whether anyone has, is answered by the people who ran it; what happened
        # at one, or what it cost, by its note's own words first (see `_answer`).
        people_first = shape.shape in ("person", "yesno") or _ASKS_FOR_SOMEONE.search(asked)
        if about_people and people_first and (found := self._coaching.past_sessions(asked)):
            return found
        # A name asked about keeps the passages that carry it, for the figure, place or person
        # it has (see coach.extractive); a yes or no is not answered on a name alone.
        named = asked if shape.shape not in ("yesno", "how", "other") else None
        passages = self._retriever.relevant(self._retriever.retrieve(asked, self._k), named)
        # A follow-up ("and if nobody replies?") is about what the conversation is about,
        # however little its own words say: whether the library answers it is for the guides
        # to decide.
        follow_up = asked != message
        if decision.intent == "out_of_scope" and not follow_up and not _clearly_relevant(passages):
            return Reply(self._wording.out_of_scope, kind="out_of_scope")
        question = _asked(message, asked, history)
        return (yield from self._answer(question, passages, history, decision))

    def _answer(
        self, question: Question, passages: list[Passage], history: list[Turn], decision: Decision
    ) -> Generator[Token, None, Reply]:
        asked = question.text
        extraction = extract(
            question, passages, self._retriever.embeddings, self._min_similarity, self._min_standout
        )
        if decision.route == "learning_ops":
            # The coach can't grant this: what the documents say (or that they don't say), then
            # the offer of a person.
            reason = self._wording.reason(decision.label)
            # Someone asking for a person gets the offer alone; anything else the guides
            # don't answer says so first.
            if not extraction.answerable and decision.label != "person":
                text = self._wording.not_in_library(nearest_topic(extraction), reason)
                return Reply(text, handoff=Handoff("learning_ops", reason), kind="not_found")
            said = extractive(question, extraction).text if extraction.answerable else ""
            text = f"{said}\n\n{reason} {self._wording.offer}".strip()
            # What the coach tried goes with the ticket, quoted or not.
            cited = [extraction.best.passage] if extraction.best else []
            return Reply(
                text,
                source_refs(cited),
                Handoff("learning_ops", reason),
                cited,
                kind="handoff_suggested",
            )
        if (
            not extraction.answerable
            and (_ASKS_FOR_SOMEONE.search(asked) or question.about_the_past)
            and (found := self._coaching.past_sessions(asked))
        ):
            # Someone to talk to about what no guide or note answers: the people who ran it.
            return found
        if not extraction.answerable:
            handoff = Handoff("learning_ops", "The guides and past sessions don't cover this.")
            text = self._wording.not_in_library(nearest_topic(extraction))
            return Reply(text, handoff=handoff, kind="not_found")
        answer = (
            (yield from self._generated(question, extraction, passages, history))
            if self._generate
            else extractive(question, extraction)
        )
        if answer.path == "extractive":
            yield Token(answer.text)
        if answer.model_failed:
            handoff = Handoff("learning_ops", "The coach could not draft an answer just now.")
            text = f"{answer.text}\n\n{self._wording.offer}"
            return Reply(
                text, source_refs(answer.cited), handoff, answer.cited,
                kind="model_unavailable", path=answer.path,
            )  # fmt: skip
        text = answer.text + self._offer(decision)
        return Reply(text, source_refs(answer.cited), passages=answer.cited, path=answer.path)

    def _learning_plan(self, message: str, caller: Caller | None) -> Reply:
        """A plan still under way on the same goal is picked up where it stands; otherwise a
        new plan, with the offer to be counted among the people who want the same."""
        if self._community is None:
            return self._coaching.learning_plan(message)
        if resumed := self._community.resume_learning(caller, message):
            return resumed
        plan = self._coaching.learning_plan(message)
        return self._community.offer_interest(plan, message)

    def _offer(self, decision: Decision) -> str:
        if decision.intent == "organise_session":
            return "\n\n" + self._wording.offer_plan("session")
        if decision.intent == "plan_learning":
            return "\n\n" + self._wording.offer_learning_plan
        return ""

    def _first_token_budget(self) -> float:
        spent = time.monotonic() - getattr(self._turn, "started", time.monotonic())
        return max(MIN_FIRST_TOKEN_SECONDS, self._first_token_seconds - spent)

    def _generated(
        self,
        question: Question,
        extraction: Extraction,
        passages: list[Passage],
        history: list[Turn],
    ) -> Generator[Token, None, Answer]:
        pieces: list[str] = []
        prompt = answer_messages(question.text, passages, history)
        stream = with_deadlines(
            lambda: (chunk.text for chunk in self._model.stream(prompt)),
            first_token_seconds=self._first_token_budget(),
            total_seconds=self._total_seconds,
        )
        try:
            # Closed however this ends (a caller who stops reading included): that cancels
            # the generation.
            with closing(stream):
                for piece in stream:
                    if piece:
                        pieces.append(piece)
                        yield Token(piece)
        except Exception as error:  # down, too slow or broken: the documents still answer
            log.warning("chat model failed (%s); answering from the documents", error)
            fallback = extractive(question, extraction)
            text = f"{self._wording.model_unavailable}\n\n{fallback.text}"
            return Answer(text, fallback.cited, "fallback", model_failed=True)
        return generated(
            "".join(pieces), question, extraction, passages, self._retriever.embeddings
        )

    def _redirect(self, handoff: Handoff) -> Reply:
        text = self._wording.redirect(handoff.route, handoff.reason)
        query = self._wording.redirect_query(handoff.route)
        passages = self._retriever.relevant(self._retriever.retrieve(query, 3, kinds=["playbook"]))
        extraction = extract(
            analyse(query), passages, self._retriever.embeddings, self._min_similarity
        )
        best = extraction.best
        if best is not None and best.similarity >= self._min_similarity:
            return Reply(
                f"{text}\n\n{best.text} {cite_one(best.passage)}",
                source_refs([best.passage]),
                handoff,
                [best.passage],
                kind="redirect",
            )
        return Reply(text, handoff=handoff, kind="redirect")

    def _open_ticket(
        self, handoff: Handoff, history: Sequence[Turn], conversation_id: str, owner: str
    ) -> Reply:
        tried = tuple(sorted({s for t in history for s in t.sources}))
        ticket = NewTicket(
            handoff.route, summarise(history), handoff.reason, conversation_id, owner, tried
        )
        # The ticket commits before the exchange is stored: if that second write fails, the
        # same "yes" again must find this ticket, not open another. Same history, same key.
        seen = "\n".join(f"{t.role}:{t.content}" for t in history)
        key = "chat-" + hashlib.sha256(f"{conversation_id}\n{seen}".encode()).hexdigest()
        ticket_id = self._tickets.open_ticket(ticket, idempotency_key=key)
        return Reply(
            self._wording.ticket_opened(ticket_id),
            handoff=replace(handoff, ticket_id=ticket_id),
            kind="ticket",
        )


def cite_one(passage: Passage) -> str:
    return f"({passage.title})"


def _update_text(update: TicketUpdate) -> str:
    text = TICKET_UPDATE.format(ticket_id=update.ticket_id, status=update.status)
    return f"{text} {update.note}\n\n" if update.note else f"{text}\n\n"


def _last_state(history: Sequence[Turn]) -> Mapping[str, Any] | None:
    last = next((t for t in reversed(history) if t.role == "assistant"), None)
    return last.state if last else None


def _clearly_relevant(passages: Sequence[Passage]) -> bool:
    """The classifier may call a real question out of scope; a close passage overrules it."""
    return any(p.similarity >= CLEARLY_RELEVANT for p in passages)


def _pending_handoff(history: Sequence[Turn]) -> Handoff | None:
    last = history[-1] if history else None
    if last and last.role == "assistant" and last.handoff and last.handoff.ticket_id is None:
        return last.handoff if last.handoff.route == "learning_ops" else None
    return None


def _asked(message: str, asked: str, history: Sequence[Turn]) -> Question:
    """The question to answer: a follow-up ("who hosted it?", "and the room?") asks for what
    its own words ask for, about what the earlier questions were about, and for something the
    coach has not just said."""
    if asked == message:
        return analyse(asked)
    earlier = asked[: len(asked) - len(message)].strip()
    own, whole = analyse(message), analyse(asked)
    said = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    if own.shape == "other" and not own.wants:
        before = analyse(earlier)
        return replace(whole, shape=before.shape, wants=before.wants, focus=message,
                       said_before=said)  # fmt: skip
    return replace(whole, shape=own.shape, wants=own.wants, focus=message, said_before=said)


# "And if…", "what about…", "but…": a message that carries on from the one before.
_CARRIES_ON = re.compile(r"^\s*(?:and|but|also|so|then|or|what\s+(?:about|if)|how\s+about)\b", re.I)
# "it", "they", "there": a message that points back at what was said.
_POINTS_BACK = re.compile(r"\b(?:it|its|they|them|their|there|that\s+one|those|these)\b", re.I)


def _follows_on(message: str) -> bool:
    """A short message, or one that carries on from or points back at the one before."""
    words = len(message.split())
    return words <= FOLLOW_UP_WORDS or (
        words <= 2 * FOLLOW_UP_WORDS
        and bool(_CARRIES_ON.search(message) or _POINTS_BACK.search(message))
    )


def _retrieval_query(message: str, history: Sequence[Turn]) -> str:
    """Short follow-ups ("and for 40 people?") are searched together with the questions they
    follow: back to the last one that stood on its own ("Did anyone teach Rust last year?" /
    "who was it?" / "and the turnout?")."""
    if not _follows_on(message):
        return message
    earlier: list[str] = []
    for turn in reversed(history):
        if turn.role != "user":
            continue
        earlier.insert(0, turn.content)
        if len(turn.content.split()) > FOLLOW_UP_WORDS or len(earlier) == MAX_FOLLOWED:
            break
    return " ".join([*earlier, message]).strip()


def summarise(history: Sequence[Turn], limit: int = 800) -> str:
    """What the person asked, and which documents the coach tried, for the ticket."""
    asked = [t.content for t in history if t.role == "user"][-3:]
    tried = sorted({s for t in history for s in t.sources})
    summary = "The employee asked: " + " / ".join(asked) if asked else "No question recorded."
    if tried:
        summary += "\nDocuments the coach tried: " + ", ".join(tried)
    return summary[:limit]
