"""The coach on a knowledge folder it has never seen, in a data dir of its own."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import write_tree
from tests.integration.conftest import Server, coach_env, run_coach

pytestmark = pytest.mark.integration

GUILD_HANDBOOK = {
    "handbook/onboarding.md": """\
        ---
        title: Guild onboarding
        ---
        # Guild onboarding

        New apprentices shadow a senior maker for their first 3 weeks before working alone.
        """,
    "handbook/tool-library.md": """\
        ---
        title: Borrowing from the tool library
        ---
        # Borrowing from the tool library

        Members may borrow up to 4 power tools at once, for at most 9 days.
        The lathe may only be used after the lathe safety course.
        """,
    "playbooks/open-workshop-nights.md": """\
        ---
        title: Open workshop nights
        ---
        # Open workshop nights

        Open workshop nights run on Thursdays and last 150 minutes, including clean-up.
        """,
    "minutes.txt": "The guild meets every quarter to vote on the purchase of new machines.\n",
}


@pytest.fixture(scope="module")
def guild(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    workdir = tmp_path_factory.mktemp("guild")
    folder = write_tree(workdir / "guild-knowledge", GUILD_HANDBOOK)
    return folder, coach_env(workdir / "elsewhere")


def test_ingest_reports_counts_and_re_ingest_changes_nothing(
    guild: tuple[Path, dict[str, str]],
) -> None:
    folder, env = guild
    first = run_coach("ingest", str(folder), env=env, cwd=folder.parent)
    assert first.returncode == 0, first.stderr
    assert "4 added" in first.stderr
    saved = sorted((Path(env["COACH_DATA_DIR"]) / "keyword-index").glob("bm25s-*"))
    assert len(saved) == 1  # ready for `coach serve` to load
    again = run_coach("ingest", str(folder), env=env, cwd=folder.parent)
    assert "0 added, 0 updated, 4 unchanged, 0 removed, 0 failed" in again.stderr
    assert sorted((Path(env["COACH_DATA_DIR"]) / "keyword-index").glob("bm25s-*")) == saved


def test_unreadable_file_is_named_and_exit_is_non_zero(
    guild: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    folder, env = guild
    broken = folder / "handbook" / "scan.txt"
    broken.write_bytes(b"\x00\x9f binary junk")
    try:
        result = run_coach("ingest", str(folder), env=env, cwd=folder.parent)
    finally:
        broken.unlink()
    assert result.returncode == 1
    assert "handbook/scan.txt: binary content" in result.stderr
    assert "4 unchanged" in result.stderr


def test_api_answers_from_that_folder_only(guild: tuple[Path, dict[str, str]]) -> None:
    folder, env = guild
    assert run_coach("ingest", str(folder), env=env, cwd=folder.parent).returncode == 0
    server = Server(env, folder.parent)
    try:
        with httpx.Client(timeout=120) as http:
            hits = http.post(
                f"{server.url}/v1/retrieve",
                json={"query": "How long can I keep a borrowed drill?", "k": 10},
            ).json()["results"]
            assert hits[0]["source"] == "handbook/tool-library.md"
            assert {h["source"] for h in hits} <= set(GUILD_HANDBOOK)
            kinds = {h["source"]: h["kind"] for h in hits}
            assert kinds["playbooks/open-workshop-nights.md"] == "playbook"
            # No folder convention, no front matter, not a dated note: read as guidance.
            assert kinds["minutes.txt"] == "playbook"
            body = http.post(
                f"{server.url}/v1/chat", json={"message": "How long do open workshop nights last?"}
            ).json()
            assert next(s["source"] for s in body["sources"]) == "playbooks/open-workshop-nights.md"
            assert "150 minutes" in body["answer"]
    finally:
        server.stop()
