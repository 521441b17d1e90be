"""Learning Ops manages the knowledge over HTTP: upload, list, re-index."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient


def test_documents_lists_sources_with_chunk_counts(client: TestClient) -> None:
    documents = client.get("/v1/knowledge/documents").json()["documents"]
    by_source = {d["source"]: d for d in documents}
    assert set(by_source) == {
        "playbooks/brown-bag.md",
        "playbooks/learning-budget.md",
        "playbooks/when-to-ask.md",
        "sessions/2026-03-12-kubernetes-brown-bag.md",
    }
    assert by_source["playbooks/brown-bag.md"]["chunks"] == 2
    assert by_source["playbooks/brown-bag.md"]["kind"] == "playbook"
    assert by_source["playbooks/brown-bag.md"]["indexed_at"].endswith("+00:00")


def test_uploaded_document_is_indexed_and_retrievable(client: TestClient) -> None:
    text = b"# Pairing rotations\n\nRotate pairing partners every Wednesday afternoon.\n"
    response = client.post(
        "/v1/knowledge/documents",
        files={"file": ("pairing.md", text, "text/markdown")},
        data={"kind": "playbook"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["source"] == "playbooks/pairing.md"
    assert response.json()["ingest"]["added"] == 1
    hits = client.post("/v1/retrieve", json={"query": "pairing partners rotate"}).json()["results"]
    assert hits[0]["source"] == "playbooks/pairing.md"
    assert hits[0]["kind"] == "playbook"


def test_upload_of_a_bad_file_is_refused_and_nothing_is_lost(client: TestClient) -> None:
    before = client.get("/v1/knowledge/documents").json()
    for name, content, reason in [
        ("notes.exe", b"MZ", "unsupported file type '.exe'"),
        ("empty.md", b"  ", "empty file"),
        ("../../etc/passwd.md", b"\x00\x01", "binary content"),
    ]:
        response = client.post("/v1/knowledge/documents", files={"file": (name, content)})
        assert response.status_code == 422
        assert reason in response.json()["error"]["message"]
    assert client.get("/v1/knowledge/documents").json() == before


def test_upload_with_an_unknown_kind_is_422(client: TestClient) -> None:
    response = client.post(
        "/v1/knowledge/documents", files={"file": ("a.md", b"# A\n\ntext here")}, data={"kind": "x"}
    )
    assert response.status_code == 422


def test_reindex_picks_up_changes_in_the_remembered_folders(
    client: TestClient, knowledge_dir: Path
) -> None:
    (knowledge_dir / "playbooks" / "brown-bag.md").unlink()
    (knowledge_dir / "notes.txt").write_text("Quarterly planning happens in the Loft room.\n")
    result = client.post("/v1/knowledge/reindex").json()
    assert (result["added"], result["removed"], result["failed"]) == (1, 1, 0)
    sources = {d["source"] for d in client.get("/v1/knowledge/documents").json()["documents"]}
    assert "notes.txt" in sources
    assert "playbooks/brown-bag.md" not in sources


def test_retrieve_filters_by_kind_and_date(client: TestClient) -> None:
    only_notes = client.post(
        "/v1/retrieve", json={"query": "brown-bag", "kinds": ["session_note"]}
    ).json()["results"]
    assert {r["kind"] for r in only_notes} == {"session_note"}
    later = client.post("/v1/retrieve", json={"query": "brown-bag", "since": "2026-06-01"}).json()
    assert later["results"] == []
    bad = client.post("/v1/retrieve", json={"query": "x", "kinds": ["memo"]})
    assert bad.status_code == 422
