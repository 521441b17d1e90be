"""The injection check measured on two sets written without reading it: reworded injections
in ten languages, and ordinary imperative sentences from workplace policies. Whatever is
flagged, nothing is deleted: every text stays whole in the index, in retrieval and in the
prompt (marked as data when flagged)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.domain import Passage
from coach.prompts import answer_messages
from coach.safety import escape_fences, suspicious_sentences, unmark
from coach.store import KnowledgeStore
from knowledge.ingest import Ingestor

DATA = Path(__file__).resolve().parents[3] / "evals" / "data" / "security"
INJECTIONS = [json.loads(line) for line in (DATA / "injections_reworded.jsonl").open()]
BENIGN = [json.loads(line) for line in (DATA / "imperatives_benign.jsonl").open()]
DETECTION_FLOOR = 0.65  # measured 29/43 = 0.67 when the check was first run on this set


def test_no_ordinary_imperative_is_flagged() -> None:
    flagged = [case["id"] for case in BENIGN if suspicious_sentences(case["text"])]
    assert flagged == []  # false-positive rate 0/85


def test_most_reworded_injections_are_flagged(record_property: pytest.RecordProperty) -> None:
    caught = [bool(suspicious_sentences(case["text"])) for case in INJECTIONS]
    rate = sum(caught) / len(caught)
    record_property("injection_detection_rate", f"{sum(caught)}/{len(caught)}")
    print(f"injections flagged: {sum(caught)}/{len(caught)} = {rate:.2f}")
    assert rate >= DETECTION_FLOOR


@pytest.mark.parametrize("case", INJECTIONS + BENIGN, ids=lambda c: c["id"])
def test_every_word_reaches_the_prompt_whatever_the_flag(case: dict[str, str]) -> None:
    passage = Passage("c1", "playbooks/p.md", "Policy", "playbook", case["text"], 1.0)
    prompt = answer_messages("What does the policy say?", [passage], [])[-1].text
    fenced = prompt.split('title="Policy">\n', 1)[1].rsplit("\n</document>", 1)[0]
    assert unmark(fenced).split() == escape_fences(case["text"]).split()


def test_every_text_is_indexed_and_retrieved_whole(tmp_path: Path, store: KnowledgeStore) -> None:
    folder = tmp_path / "policies" / "playbooks"
    folder.mkdir(parents=True)
    for case in INJECTIONS + BENIGN:
        (folder / f"{case['id']}.txt").write_text(case["text"] + "\n", encoding="utf-8")
    report = Ingestor(store, max_file_bytes=1_000_000).ingest([tmp_path / "policies"])
    assert report.ok, report.failed
    indexed: dict[str, str] = {}
    for chunk in store.all_chunks():
        source = str(chunk.metadata["source"])
        indexed[source] = indexed.get(source, "") + "\n" + chunk.text
    for case in INJECTIONS + BENIGN:
        text = indexed[f"playbooks/{case['id']}.txt"]
        for line in case["text"].splitlines():
            words = [w for w in line.split() if "<" not in w and "|" not in w]
            assert all(word in text for word in words), case["id"]
