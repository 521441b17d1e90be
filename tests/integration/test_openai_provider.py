"""The same flows through an OpenAI-compatible server (llama.cpp's, on loopback) and
langchain-openai: `COACH_LLM=openai` with `COACH_LLM_BASE_URL`."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from coach.providers.chat import bundled_gguf_path
from tests.conftest import SMALL_KNOWLEDGE, write_tree
from tests.integration.conftest import Server, coach_env, free_port, run_coach

pytestmark = pytest.mark.integration


SERVER_LOG: list[Path] = []


@pytest.fixture(scope="module")
def openai_compatible_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    SERVER_LOG.append(log_path)
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_gguf_path()),
            "--model_alias", "smollm2", "--host", "127.0.0.1", "--port", str(port),
            "--n_ctx", "4096",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("llama_cpp.server did not start")
    yield url
    process.terminate()
    process.wait(timeout=15)


@pytest.fixture(scope="module")
def coach_on_openai(
    openai_compatible_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("openai-coach")
    folder = write_tree(workdir / "knowledge", SMALL_KNOWLEDGE)
    env = coach_env(
        workdir / "data",
        COACH_LLM="openai",
        COACH_LLM_BASE_URL=openai_compatible_url,
        COACH_LLM_MODEL="smollm2",
        # These flows compare answers across providers; the model's structured reading (which a
        # 135M model does poorly) is tested on its own below.
        COACH_STRUCTURED_OUTPUT="false",
    )
    assert run_coach("ingest", str(folder), env=env, cwd=workdir).returncode == 0
    server = Server(env, workdir)
    yield server
    server.stop()


def test_grounded_answer_through_the_openai_client(coach_on_openai: Server) -> None:
    with httpx.Client(timeout=120) as http:
        body = http.post(
            f"{coach_on_openai.url}/v1/chat", json={"message": "How long should a brown-bag be?"}
        ).json()
    assert "45 minutes" in body["answer"]
    assert body["sources"][0]["source"] == "playbooks/brown-bag.md"
    assert 'POST /v1/chat/completions HTTP/1.1" 200' in SERVER_LOG[0].read_text()


def test_plans_and_hand_offs_are_the_same_on_another_provider(coach_on_openai: Server) -> None:
    with httpx.Client(timeout=120) as http:
        plan = http.post(
            f"{coach_on_openai.url}/v1/session-plans",
            json={"request": "A 90 minute brown-bag on Kubernetes for 20 people"},
        ).json()["plan"]
        person = http.post(
            f"{coach_on_openai.url}/v1/chat", json={"message": "I want to talk to a human"}
        ).json()
    assert plan["duration_minutes"] == 45
    assert person["handoff"]["route"] == "learning_ops"
    assert person["handoff"]["ticket_id"]


def test_the_server_returns_structured_data_in_the_coachs_types(openai_compatible_url: str) -> None:
    """with_structured_output through langchain-openai against llama.cpp's server: the tool
    call's schema constrains the reply (a grammar), and it parses into the coach's types."""
    from typing import get_args

    from langchain_core.messages import HumanMessage

    from coach.intents import Label
    from coach.providers.chat import build_chat_model
    from coach.settings import Settings
    from coach.structured import StructuredReader
    from coach.structured.intents import TurnIntent
    from coach.structured.requests import ModelRequestReader, SessionRequestFields

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        llm="openai", llm_base_url=openai_compatible_url, llm_model="smollm2", llm_max_tokens=96,
    )  # fmt: skip
    model = build_chat_model(settings)
    method = settings.structured_output_method
    intent = StructuredReader(model, TurnIntent, method).read(
        [HumanMessage("Label this message: 'Can I talk to someone about my budget?'")]
    )
    assert intent is not None
    assert intent.label in get_args(Label)
    fields = StructuredReader(model, SessionRequestFields, method).read(
        [HumanMessage("Organise a workshop on dbt for 12 people on 2027-03-10")]
    )
    assert isinstance(fields, SessionRequestFields)
    request = ModelRequestReader(model, method)("A brown-bag on Kubernetes for 30 people")
    assert request.request == "A brown-bag on Kubernetes for 30 people"
