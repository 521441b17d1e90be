"""The README's "In your own LangChain chain" example, run as written over the bundled knowledge
indexed by `coach ingest`, with the embedded embedder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import coach_env, run_coach

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## In your own LangChain chain", 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    return code


def test_the_langchain_example_runs_as_written(tmp_path: Path) -> None:
    env = coach_env(tmp_path / "data", PYTHONPATH=str(ROOT))
    ingested = run_coach("ingest", env=env, cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    done = subprocess.run(
        [sys.executable, "-c", example()],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    # The user's own chain: the prompt, filled with the retriever's passages.
    assert out.startswith(
        "Human: Answer from these passages only.\n\n[Running a brown-bag session]"
    )
    assert "Question: How long should a brown-bag be?" in out
    # The coach's answer path: the documents' own sentence, cited, with its source.
    assert "A brown-bag lasts at most 45 minutes" in out
    assert "[{'source': 'playbooks/brown-bag.md', 'title': 'Running a brown-bag session'}]" in out
    assert " extractive\n" in out
