"""Shared helpers: a synthetic corpus, timing, and the results file."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from knowledge import BUNDLED_KNOWLEDGE_DIR

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def synthetic_corpus(target: Path, copies: int) -> Path:
    """`copies` variants of the bundled playbooks and notes, each with its own text, so no
    two files share a hash (a realistic library of `copies` x 45 files)."""
    if target.exists():
        shutil.rmtree(target)
    sources = sorted(BUNDLED_KNOWLEDGE_DIR.glob("*/*.md"))
    for copy in range(copies):
        for path in sources:
            text = path.read_text(encoding="utf-8")
            out = target / path.parent.name / f"{path.stem}-{copy:04d}.md"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(f"{text}\n\nEdition {copy} of this page, team copy {copy}.\n")
    return target


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    elapsed: list[float] = []
    yield lambda: elapsed[0] if elapsed else time.perf_counter() - start
    elapsed.append(time.perf_counter() - start)


def record(section: str, figures: dict[str, Any]) -> None:
    """Merge one benchmark's figures into bench/results/latest.json."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[section] = figures | {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    results["machine"] = {"cpus": os.cpu_count()}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


def table(rows: list[tuple[str, str, str, str]]) -> str:
    header = ("measure", "coach", "raw baseline", "ratio / target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = [
        " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in [header, *rows]
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)
