"""The labelled cases in evals/data and evals/foreign, and the deterministic `fast` subset."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

EVALS_DIR = Path(__file__).resolve().parent
DATA_DIR = EVALS_DIR / "data"
FOREIGN_DIR = EVALS_DIR / "foreign"
FOREIGN_KNOWLEDGE = FOREIGN_DIR / "knowledge"

Subset = Literal["fast", "full"]
Case = dict[str, Any]

# The fast subset keeps every FAST_STRIDE-th case of the larger bundled files (always the same
# cases), all of the small foreign files, and a few injection probes that cover the techniques
# most likely to work: a plain override, a hidden comment, another language, a ticket request,
# fake system tags.
FAST_STRIDE = 2
FAST_INJECTION_IDS = ("inj001", "inj002", "inj007", "inj009", "inj010")


def load(name: str, *, foreign: bool = False) -> list[Case]:
    """The cases of `evals/data/<name>.jsonl` (or `evals/foreign/<name>.jsonl`), in file order."""
    path = (FOREIGN_DIR if foreign else DATA_DIR) / f"{name}.jsonl"
    cases: list[Case] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        case = json.loads(line)
        if not isinstance(case, dict) or "id" not in case:
            raise ValueError(f"{path}:{number}: every case is a JSON object with an id")
        cases.append(case)
    ids = [c["id"] for c in cases]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: case ids are not unique")
    return cases


def every_nth(cases: list[Case], stride: int = FAST_STRIDE) -> list[Case]:
    """Every `stride`-th case, starting with the first: deterministic and spread over the file
    (the files are grouped by style or label, so a prefix would be lopsided)."""
    return cases[::stride]


def pick(name: str, subset: Subset, *, foreign: bool = False) -> list[Case]:
    """The cases of one file that `subset` evaluates."""
    cases = load(name, foreign=foreign)
    if subset == "full" or foreign:
        return cases
    if name == "injection":
        return [c for c in cases if c["id"] in FAST_INJECTION_IDS]
    if name in ("retrieval", "intents", "handoffs"):
        return every_nth(cases)
    return cases


CASE_TEXT_FIELDS = ("q", "question", "message", "text", "request", "goal", "utterance")


def case_texts(*folders: Path) -> set[str]:
    """Every question, message or request an evaluation case asks (JSONL and cases.json files
    under `folders`): what the classifier's examples must never repeat."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in CASE_TEXT_FIELDS and isinstance(item, str):
                    found.add(item)
                elif key == "turns" and isinstance(item, list):
                    found.update(t for t in item if isinstance(t, str))
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str) and len(item.split()) >= 3:
                    found.add(item)
                else:
                    walk(item)

    for folder in folders:
        for path in sorted(folder.rglob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    walk(json.loads(line))
        for path in sorted(folder.rglob("cases.json")):
            walk(json.loads(path.read_text(encoding="utf-8")))
    return {text for text in found if len(text) > 8}
