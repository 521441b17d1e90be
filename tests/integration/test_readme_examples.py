"""The README's "Embedding the coach" examples, run as written against a live server."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SMALL_KNOWLEDGE, write_tree
from tests.integration.browser import browser_page, screenshot
from tests.integration.conftest import Server, coach_env, run_coach

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[2] / "README.md"
DEFAULT_URL = "http://127.0.0.1:8000"


def examples(language: str) -> list[str]:
    section = README.read_text().split("## Embedding the coach", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.DOTALL)


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    workdir = tmp_path_factory.mktemp("readme")
    env = coach_env(workdir / "data")
    assert (
        run_coach(
            "ingest", str(write_tree(workdir / "k", SMALL_KNOWLEDGE)), env=env, cwd=workdir
        ).returncode
        == 0
    )
    created = run_coach(
        "keys", "create", "--role", "employee", "--user", "intranet-bot", env=env, cwd=workdir
    )
    assert created.returncode == 0, created.stderr
    server = Server(env, workdir)
    yield server, created.stdout.strip()
    server.stop()


def test_the_key_creation_example_is_the_cli_we_tested() -> None:
    assert (
        examples("sh")[0].strip()
        == ".venv/bin/coach keys create --role employee --user intranet-bot"
    )


def test_curl_examples(keyed_server: tuple[Server, str]) -> None:
    server, key = keyed_server
    plain, streamed = (e.replace(DEFAULT_URL, server.url) for e in examples("sh")[1:3])
    env = {"COACH_KEY": key, "PATH": "/usr/bin:/bin"}
    body = json.loads(
        subprocess.run(
            ["bash", "-c", plain], env=env, capture_output=True, text=True, check=True
        ).stdout
    )
    assert body["sources"][0]["source"] == "playbooks/brown-bag.md"
    events = subprocess.run(
        ["bash", "-c", streamed], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert events.startswith("event: token\n")
    assert "event: done\n" in events


def test_openai_client_example(
    keyed_server: tuple[Server, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, key = keyed_server
    monkeypatch.setenv("COACH_KEY", key)
    code = examples("python")[0].replace(DEFAULT_URL, server.url)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, "README.md", "exec"), {})
    answer, sources = output.getvalue().rsplit("\n", 2)[:2]
    assert "45 minutes" in answer
    assert "playbooks/brown-bag.md" in sources


def test_openai_client_streams_and_lists_the_model(keyed_server: tuple[Server, str]) -> None:
    from openai import OpenAI

    server, key = keyed_server
    client = OpenAI(base_url=f"{server.url}/v1", api_key=key)
    assert [m.id for m in client.models.list()] == ["learning-ops-coach"]
    stream = client.chat.completions.create(
        model="learning-ops-coach",
        messages=[{"role": "user", "content": "How long should a brown-bag be?"}],
        stream=True,
    )
    chunks: list[Any] = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "45 minutes" in text
    assert chunks[-1].model_extra["sources"][0]["source"] == "playbooks/brown-bag.md"
    with pytest.raises(Exception, match="401"):
        OpenAI(base_url=f"{server.url}/v1", api_key="wrong").models.list()


def test_iframe_example(keyed_server: tuple[Server, str]) -> None:
    server, _ = keyed_server
    # The widget has a key of its own, as the README says: it can chat, not read history.
    created = run_coach(
        "keys", "create", "--role", "widget", "--user", "intranet-widget",
        env=server.env, cwd=server.cwd,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    src = re.search(r'src="([^"]+)"', examples("html")[0]).group(1)  # type: ignore[union-attr]
    assert "WIDGET_KEY" in src
    url = src.replace(DEFAULT_URL, server.url).replace("WIDGET_KEY", key)
    assert httpx.get(url.split("#")[0]).status_code == 200
    with browser_page() as page:
        p: Any = page
        p.goto(url)
        p.fill("#question", "How long should a brown-bag be?")
        p.click("text=Ask")
        p.wait_for_selector(".sources", timeout=90_000)
        text = p.inner_text("#log")
        screenshot(p, "embed-page")
    assert "45 minutes" in text
    assert "Sources: Running a brown-bag session" in text
