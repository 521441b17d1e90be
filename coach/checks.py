"""`coach check`: do the configured models load and answer on this machine?

The chat model is tried in a child process: llama.cpp is native code compiled for one CPU, and
when it meets an instruction this CPU can't run, it kills its process instead of raising. In a
child, that becomes a message the user can act on.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass

from coach.settings import Settings

CHAT_PROBE = [sys.executable, "-m", "coach.checks", "chat"]
PROBE_TIMEOUT_SECONDS = 300
REBUILD_HINT = (
    "llama.cpp was compiled for instructions this CPU can't run. Rebuild it for this machine: "
    "`.venv/bin/pip cache remove llama_cpp_python`, then `make clean install`."
)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def check_embeddings(settings: Settings) -> CheckResult:
    from coach.providers.embeddings import build_embeddings

    try:
        embeddings, identity = build_embeddings(settings)
        vector = embeddings.embed_query("How long should a brown-bag be?")
    except Exception as error:  # any failure is the answer to "does it work?"
        return CheckResult("embeddings", False, f"{type(error).__name__}: {error}")
    return CheckResult("embeddings", True, f"{identity.name}: {len(vector)} dimensions")


def check_chat_model(probe: list[str] = CHAT_PROBE) -> CheckResult:
    """Run the chat probe (by default `python -m coach.checks chat`) and describe how it ended."""
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=PROBE_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return CheckResult("chat model", False, f"no answer in {PROBE_TIMEOUT_SECONDS} s")
    if done.returncode == 0:
        return CheckResult("chat model", True, done.stdout.strip())
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        hint = REBUILD_HINT if -done.returncode == signal.SIGILL else "it crashed."
        return CheckResult("chat model", False, f"killed by {name}: {hint}")
    last_line = (done.stderr.strip().splitlines() or ["no error output"])[-1]
    return CheckResult("chat model", False, last_line)


def _probe_chat() -> None:
    """The child side of `check_chat_model`: one short answer from the configured chat model."""
    from coach.providers.chat import build_chat_model
    from coach.settings import prepare_offline_environment

    prepare_offline_environment()
    settings = Settings(llm_max_tokens=16)
    reply = build_chat_model(settings).invoke("Say hello.")
    if not reply.text.strip():
        raise SystemExit("the chat model answered with nothing")
    print(f"{settings.llm}: answered {reply.text.strip()[:40]!r}")


if __name__ == "__main__" and sys.argv[1:] == ["chat"]:
    _probe_chat()
