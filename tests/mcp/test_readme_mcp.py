"""The README's MCP example for agent frameworks, run as written (only the address changed to
the test server's) against a live server with a key."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.mcp.conftest import README_URL, LiveCoach, readme_example

pytestmark = pytest.mark.integration


def test_the_sdk_client_example_runs_as_written(live_coach: LiveCoach) -> None:
    base = live_coach.url.removesuffix("/mcp")
    code = readme_example("python").replace(README_URL, base)
    assert base in code  # the example does talk to the server under test
    env = {**os.environ, "COACH_KEY": "alice-key"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0] == str(
        sorted(
            [
                "ask_coach",
                "draft_learning_plan",
                "draft_session_plan",
                "find_past_sessions",
                "handoff_status",
                "request_handoff",
                "search_playbooks",
            ]
        )
    )
    assert lines[1] == "Running a brown-bag session knowledge://playbooks/brown-bag.md"
    assert any(line.startswith("A brown-bag lasts at most 45 minutes") for line in lines[2:])
    assert lines[-1] == "# Running a brown-bag session"
