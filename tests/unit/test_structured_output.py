"""With a capable model configured, intents, session requests and the playbooks' rules are also
read through LangChain's structured output, into the offline readers' types; the offline
readers answer when the model can't, and stay the only readers without a model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from coach.core import build_core
from coach.flows.requests import SessionRequest, parse_request
from coach.intents import Decision, TurnClassifier
from coach.reading.reader import read_text
from coach.settings import Settings
from coach.store import KnowledgeStore
from coach.structured.intents import ModelTurnClassifier
from coach.structured.requests import ModelRequestReader
from coach.structured.rules import (
    CACHE_FILE,
    RuleDisagreement,
    RuleReview,
    body_of,
    rule_disagreements,
)
from knowledge.ingest import Root
from knowledge.library import KnowledgeLibrary
from tests.conftest import write_tree
from tests.fakes import TEST_EXAMPLES, ScriptedDataModel


@pytest.fixture
def offline(indexed_store: KnowledgeStore) -> TurnClassifier:
    return TurnClassifier(indexed_store.embeddings, TEST_EXAMPLES)


def test_the_models_intent_is_the_offline_classifiers_decision(offline: TurnClassifier) -> None:
    model = ScriptedDataModel().enqueue({"label": "plan_learning", "confidence": 0.9})
    decision = ModelTurnClassifier(model, offline).classify("Help me get better at SQL")
    assert decision == Decision("plan_learning", 0.9)
    assert decision.intent == "plan_learning"
    assert "Message:\n<<<\nHelp me get better at SQL\n>>>" in model.prompts[0][-1].text


def test_an_explicit_request_for_a_person_never_waits_for_the_model(
    offline: TurnClassifier,
) -> None:
    model = ScriptedDataModel()
    decision = ModelTurnClassifier(model, offline).classify("Can I talk to a human?")
    assert decision == Decision("person", 1.0)
    assert model.prompts == []


@pytest.mark.parametrize(
    "reply",
    [ConnectionError("down"), {"label": "weather", "confidence": 0.9}, {"confidence": 2}],
    ids=["model down", "unknown label", "out of schema"],
)
def test_the_offline_classifier_answers_when_the_model_cannot(
    offline: TurnClassifier, reply: Any
) -> None:
    message = "How much notice do I need before a brown-bag?"
    model = ScriptedDataModel().enqueue(reply)
    assert ModelTurnClassifier(model, offline).classify(message) == offline.classify(message)


def test_the_models_session_request_keeps_the_offline_bounds() -> None:
    model = ScriptedDataModel().enqueue(
        {"topic": " Kubernetes ", "format": "Brown-Bag", "audience_size": 50_000,
         "duration_minutes": 45, "date": "1999-01-01", "hybrid": True}
    )  # fmt: skip
    text = "A brown-bag on Kubernetes for fifty thousand people, 45 minutes, streamed"
    request = ModelRequestReader(model)(text, ["brown-bag", "workshop"])
    assert request == SessionRequest(
        request=text, topic="Kubernetes", format="brown-bag", audience_size=10_000,
        duration_minutes=45, date=None, hybrid=True,
    )  # fmt: skip
    assert "Known formats: brown-bag, workshop." in model.prompts[0][0].text


def test_the_models_date_is_read_as_a_date() -> None:
    model = ScriptedDataModel().enqueue({"topic": "dbt", "date": "2027-03-10"})
    assert ModelRequestReader(model)("dbt on 10 March 2027").date == dt.date(2027, 3, 10)


def test_parse_request_answers_when_the_model_cannot() -> None:
    text = "Organise a workshop on dbt for 12 people on 2027-03-10"
    model = ScriptedDataModel().enqueue(TimeoutError("slow"))
    assert ModelRequestReader(model)(text, ["workshop"]) == parse_request(text, ["workshop"])


def openai_settings(fake_settings: Settings, **changes: Any) -> Settings:
    return fake_settings.model_copy(
        update={"llm": "openai", "llm_base_url": "http://127.0.0.1:9/v1", **changes}
    )


def test_with_a_model_server_the_core_reads_with_the_model(
    fake_settings: Settings, indexed_store: KnowledgeStore
) -> None:
    model = ScriptedDataModel().enqueue(
        {"label": "organise_session", "confidence": 0.8},
        {"topic": "Kubernetes", "format": "brown-bag", "audience_size": 20},
    )
    core = build_core(openai_settings(fake_settings), store=indexed_store, chat_model=model)
    assert isinstance(core.router, ModelTurnClassifier)
    assert core.router.classify("Plan a session for my team").label == "organise_session"
    request = core.coaching.sessions.read("a brown-bag on Kubernetes for twenty people")
    assert (request.topic, request.format, request.audience_size) == ("Kubernetes", "brown-bag", 20)
    assert core.rule_review is not None


@pytest.mark.parametrize(
    "settings_change",
    [{}, {"structured_output": False}],
    ids=["offline model", "structured output off"],
)
def test_otherwise_the_offline_readers_are_the_only_ones(
    fake_settings: Settings, indexed_store: KnowledgeStore, settings_change: dict[str, Any]
) -> None:
    settings = (
        openai_settings(fake_settings, **settings_change) if settings_change else fake_settings
    )
    model = ScriptedDataModel()
    core = build_core(settings, store=indexed_store, chat_model=model)
    assert isinstance(core.router, TurnClassifier)
    assert core.rule_review is None
    text = "a brown-bag on Kubernetes for twenty people"
    assert core.coaching.sessions.read(text) == parse_request(
        text, core.coaching.sessions.known_formats()
    )
    assert model.prompts == []


# Rules read by the model at ingest, compared with the offline reader.


def playbook_rules(store: KnowledgeStore) -> dict[str, list[dict[str, Any]]]:
    """The offline reader's rules per playbook passage, as the model's schema would give them."""
    found: dict[str, list[dict[str, Any]]] = {}
    for chunk in store.all_chunks():
        if chunk.metadata.get("kind") == "playbook":
            rules = read_text(body_of(chunk))
            found[body_of(chunk)] = [
                {"kind": r.kind, "text": r.text, "value": r.value, "unit": r.unit} for r in rules
            ]
    return found


def passage_of(messages: list[BaseMessage]) -> str:
    return messages[-1].text.split("<<<\n", 1)[1].rsplit("\n>>>", 1)[0]


def reads_like_the_offline_reader(store: KnowledgeStore, **differences: Any) -> Any:
    """A model that reads each passage as the offline reader does, except: a lead time of 15
    working days instead of 10, no part durations, and a capacity of 30 the text never says."""
    expected = playbook_rules(store)

    def reply(messages: list[BaseMessage]) -> dict[str, Any]:
        rules = []
        for rule in expected[passage_of(messages)]:
            if rule["kind"] == "part_duration":
                continue
            if rule["kind"] == "lead_time":
                rule = {**rule, "value": 15.0}
            rules.append(rule)
        if "lunch" in passage_of(messages):
            rules.append({"kind": "capacity", "text": "Bring your own lunch.", "value": 30,
                          "unit": "people"})  # fmt: skip
        return {"rules": rules}

    return reply


def review(indexed_store: KnowledgeStore, tmp_path: Path, model: ScriptedDataModel) -> RuleReview:
    return RuleReview(model, tmp_path / "data", model_name="openai:test")


def test_disagreements_between_the_readers_are_stored_for_review(
    indexed_store: KnowledgeStore, tmp_path: Path
) -> None:
    model = ScriptedDataModel()
    passages = len(playbook_rules(indexed_store))
    model.enqueue(*[reads_like_the_offline_reader(indexed_store)] * passages)
    report = review(indexed_store, tmp_path, model).run(indexed_store)
    assert (report.passages, report.model_calls, report.unread) == (passages, passages, 0)
    found = rule_disagreements(tmp_path / "data")
    assert report.disagreements == len(found)
    by_kind = {(d.kind, d.what) for d in found}
    assert by_kind == {
        ("lead_time", "values_differ"),
        ("part_duration", "only_reader"),
        ("capacity", "only_model"),
    }
    lead = next(d for d in found if d.kind == "lead_time")
    assert lead == RuleDisagreement(
        source="playbooks/brown-bag.md", title="Running a brown-bag session", kind="lead_time",
        what="values_differ", text=lead.text, reader_value=10.0, reader_unit="working_day",
        model_value=15.0, model_unit="working_day", model_text=lead.text,
    )  # fmt: skip
    assert "Book the room at least 10 working days" in lead.text
    assert lead.describe().startswith("the offline reader reads 10 working_day, the model 15")
    assert rule_disagreements(tmp_path / "data", "playbooks/learning-budget.md") == []


def test_readers_that_agree_leave_nothing_to_review(
    indexed_store: KnowledgeStore, tmp_path: Path
) -> None:
    expected = playbook_rules(indexed_store)
    model = ScriptedDataModel().enqueue(
        *[lambda m: {"rules": expected[passage_of(m)]}] * len(expected)
    )
    assert review(indexed_store, tmp_path, model).run(indexed_store).disagreements == 0
    assert rule_disagreements(tmp_path / "data") == []


def test_units_are_compared_by_what_they_mean(
    indexed_store: KnowledgeStore, tmp_path: Path
) -> None:
    expected = playbook_rules(indexed_store)

    def in_hours(messages: list[BaseMessage]) -> dict[str, Any]:
        rules = [
            {**r, "value": r["value"] / 60, "unit": "hours"} if r["unit"] == "minute" else r
            for r in expected[passage_of(messages)]
        ]
        return {"rules": rules}

    model = ScriptedDataModel().enqueue(*[in_hours] * len(expected))
    assert review(indexed_store, tmp_path, model).run(indexed_store).disagreements == 0


def test_unchanged_passages_are_not_read_by_the_model_again(
    fake_settings: Settings, indexed_store: KnowledgeStore, knowledge_dir: Path, tmp_path: Path
) -> None:
    model = ScriptedDataModel()
    model.enqueue(*[reads_like_the_offline_reader(indexed_store)] * 20)
    rules = review(indexed_store, tmp_path, model)
    library = KnowledgeLibrary(
        indexed_store, tmp_path / "data", max_file_bytes=1_000_000, rule_review=rules
    )
    first = library.sync([Root(knowledge_dir)]).rules_reviewed
    assert first is not None
    assert first.model_calls == first.passages > 0
    calls = len(model.prompts)
    second = library.sync([Root(knowledge_dir)]).rules_reviewed
    assert second is not None
    assert second.model_calls == 0
    assert len(model.prompts) == calls
    assert (tmp_path / "data" / CACHE_FILE).exists()
    write_tree(knowledge_dir, {"playbooks/learning-budget.md": "# Budget\n\nEUR 900 a year.\n"})
    third = library.sync([Root(knowledge_dir)]).rules_reviewed
    assert third is not None
    assert third.model_calls == 1


def test_a_passage_the_model_cannot_read_is_tried_again_next_time(
    indexed_store: KnowledgeStore, knowledge_dir: Path, tmp_path: Path
) -> None:
    passages = len(playbook_rules(indexed_store))
    model = ScriptedDataModel().enqueue(ConnectionError("down"))
    model.enqueue(*[reads_like_the_offline_reader(indexed_store)] * (2 * passages))
    library = KnowledgeLibrary(
        indexed_store, tmp_path / "data", max_file_bytes=1_000_000,
        rule_review=review(indexed_store, tmp_path, model),
    )  # fmt: skip
    report = library.sync([Root(knowledge_dir)])
    assert report.rules_reviewed is not None
    assert report.rules_reviewed.unread == 1
    assert "could not read 1 of" in report.warnings["(rule review)"]
    assert report.ok
    again = library.sync([Root(knowledge_dir)]).rules_reviewed
    assert again is not None
    assert (again.unread, again.model_calls) == (0, 1)
