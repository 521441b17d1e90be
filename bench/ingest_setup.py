"""The 1,035-file store of the no-op ingest benchmark, and its raw baseline.

`python -m bench.ingest_setup CORPUS DATA` indexes CORPUS into DATA as `coach ingest` would
(through the knowledge library, with the keyword index saved), with the default embedding
identity but stand-in vectors: the vectors play no part in finding that nothing changed, and
embedding 7,000 chunks for real would take minutes.

`python -m bench.ingest_setup --raw CORPUS DATA` is the raw side: with chromadb alone, open
the collection, read every chunk's metadata and hash every file: the least work that can tell
that nothing changed.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path


def setup(corpus: Path, data: Path) -> None:
    from coach.cli import save_keyword_index
    from coach.manifest import SavedManifest
    from coach.providers.embeddings import build_embeddings
    from coach.providers.fakes import HashingEmbeddings
    from coach.settings import Settings, prepare_offline_environment
    from coach.store import KnowledgeStore, chroma_client
    from knowledge.ingest import Root
    from knowledge.library import KnowledgeLibrary

    prepare_offline_environment()
    settings = Settings(_env_file=None, data_dir=data)
    _, identity = build_embeddings(settings)  # the identity only: no model is loaded
    stand_in = HashingEmbeddings(identity.dimension)
    store = KnowledgeStore(
        chroma_client(settings),
        settings.collection,
        stand_in,
        identity,
        manifest=SavedManifest(settings.manifest_path),
    )
    library = KnowledgeLibrary(store, settings.data_dir, max_file_bytes=settings.max_file_bytes)
    report = library.sync([Root(corpus)])
    assert report.ok, report.failed
    assert len(report.added) > 1000, report.counts()
    save_keyword_index(store, settings.keyword_index_path)


def raw(corpus: Path, data: Path) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(
        path=str(data / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_collection("knowledge")
    stored: dict[str, str] = {}
    offset = 0
    while True:
        got = collection.get(include=["metadatas"], limit=5000, offset=offset)
        for metadata in got["metadatas"] or []:
            stored[str(metadata["source"])] = str(metadata["content_hash"])
        if len(got["ids"]) < 5000:
            break
        offset += 5000
    files = [p for p in sorted(corpus.rglob("*")) if p.is_file()]
    changed = [
        p
        for p in files
        if stored.get(p.relative_to(corpus).as_posix())
        != hashlib.sha256(p.read_bytes()).hexdigest()
    ]
    assert not changed, changed[:3]


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[0] == "--raw":
        raw(Path(arguments[1]), Path(arguments[2]))
    else:
        setup(Path(arguments[0]), Path(arguments[1]))
