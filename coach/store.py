"""The vector store: a Chroma collection (embedded or server) that knows what built it.

One adapter, on the Chroma client alone: the hot paths need what LangChain's Chroma wrapper
does not offer (ids and distances without texts, metadata-only pages), and two handles on one
collection would be two things to keep consistent. A LangChain retriever over the coach is in
`coach.langchain`.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from coach.domain import Passage
from coach.manifest import SavedManifest, StoredFile
from coach.providers.embeddings import EmbeddingIdentity, build_embeddings
from coach.providers.query_cache import CachedQueryEmbeddings
from coach.settings import Settings

Metadata = Mapping[str, str | int | float | bool]


class EmbeddingMismatchError(RuntimeError):
    """The index was built by a different embedding model than the one configured."""


class StoreInUseError(RuntimeError):
    """Another process has the embedded Chroma store open."""


# Embedded Chroma must never be opened by two processes at once (its files are not made for
# it). Each process takes an exclusive lock on the folder and keeps it while it runs.
_LOCKED_BY_THIS_PROCESS: dict[Path, Any] = {}


def lock_embedded_store(path: Path) -> None:
    path = path.resolve()
    if path in _LOCKED_BY_THIS_PROCESS:
        return
    path.mkdir(parents=True, exist_ok=True)
    handle = (path / ".coach.lock").open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise StoreInUseError(
            f"The knowledge store in {path} is open in {holder}. Two processes must not share "
            "an embedded Chroma store: stop the other process (or add documents through the "
            "running server's API), or run a Chroma server and set COACH_CHROMA_URL."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"process {os.getpid()}")
    handle.flush()
    _LOCKED_BY_THIS_PROCESS[path] = handle


@dataclass(frozen=True)
class Chunk:
    id: str
    text: str
    metadata: Metadata


def chroma_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    lock_embedded_store(settings.chroma_path)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


def open_store(settings: Settings, *, rebuild: bool = False) -> KnowledgeStore:
    """The configured store, with the configured embedder (loaded on its first use)."""
    embeddings, identity = build_embeddings(settings)
    return KnowledgeStore(
        chroma_client(settings),
        settings.collection,
        CachedQueryEmbeddings(embeddings),
        identity,
        rebuild=rebuild,
        manifest=SavedManifest(settings.manifest_path),
    )


class KnowledgeStore:
    """Chunks with their embeddings and metadata, in one Chroma collection."""

    def __init__(
        self,
        client: Any,
        collection_name: str,
        embeddings: Embeddings,
        identity: EmbeddingIdentity,
        *,
        rebuild: bool = False,
        manifest: SavedManifest | None = None,
    ) -> None:
        self.identity = identity
        self._manifest = manifest
        self.embeddings = embeddings
        self._client = client
        self._name = collection_name
        if rebuild:
            self._drop_collection()
        self._check_identity()
        # Chroma's own collection, without an embedding function (the coach embeds texts itself)
        # nor langchain's wrapper (importing that costs most of a second in every `coach ingest`).
        self._collection = client.get_or_create_collection(
            name=collection_name,
            embedding_function=None,
            metadata=self._metadata(generation="0"),
            configuration={"hnsw": {"space": "cosine"}},
        )
        self._max_batch = int(client.get_max_batch_size())

    def _metadata(self, generation: str) -> dict[str, str | int]:
        return {
            "embedding_model": self.identity.name,
            "embedding_dimension": self.identity.dimension,
            "generation": generation,
        }

    def generation(self) -> str:
        """Changes whenever chunks are added or deleted, in this process or another."""
        metadata = self._client.get_collection(self._name).metadata or {}
        return str(metadata.get("generation", "0"))

    def _bump_generation(self) -> None:
        # Collection metadata is shared by every process using the store, so a server
        # notices an ingest run from the CLI. modify() replaces the whole mapping.
        self._client.get_collection(self._name).modify(
            metadata=self._metadata(generation=uuid.uuid4().hex)
        )

    def _drop_collection(self) -> None:
        if self._name in self._collection_names():
            self._client.delete_collection(self._name)

    def _collection_names(self) -> list[str]:
        return [c if isinstance(c, str) else c.name for c in self._client.list_collections()]

    def _check_identity(self) -> None:
        if self._name not in self._collection_names():
            return
        metadata = self._client.get_collection(self._name).metadata or {}
        built_with = (metadata.get("embedding_model"), metadata.get("embedding_dimension"))
        if built_with != (self.identity.name, self.identity.dimension):
            raise EmbeddingMismatchError(
                f"The knowledge index was built with {built_with[0]} ({built_with[1]} dimensions) "
                f"but the coach is configured with {self.identity.name} "
                f"({self.identity.dimension} dimensions). Run `coach ingest --rebuild` to "
                "re-index everything with the configured model."
            )

    def files(self) -> dict[str, StoredFile]:
        """Every indexed source with its content hash and chunk ids (the ingestion manifest):
        as saved for the current generation, else read from the chunks (and saved, when no
        write came in between)."""
        if self._manifest is None:
            return self._read_files()
        generation = self.generation()
        if (saved := self._manifest.load(generation)) is not None:
            return saved
        files = self._read_files()
        if self.generation() == generation:
            self._manifest.save(generation, files)
        return files

    def _read_files(self) -> dict[str, StoredFile]:
        chunk_ids: dict[str, list[str]] = {}
        described: dict[str, Metadata] = {}
        hashes: dict[str, set[str]] = {}
        for chunk_id, metadata in self._iter_metadata():
            source = str(metadata["source"])
            chunk_ids.setdefault(source, []).append(chunk_id)
            hashes.setdefault(source, set()).add(str(metadata["content_hash"]))
            described[source] = metadata
        return {
            source: StoredFile(
                # Chunks of two versions (an interrupted ingest) match no file: re-index it.
                content_hash=hashes[source].pop() if len(hashes[source]) == 1 else "",
                chunk_ids=tuple(ids),
                indexed_at=str(described[source].get("indexed_at", "")),
                title=str(described[source].get("title", "")),
                kind=str(described[source].get("kind", "document")),
                reader=str(described[source].get("reader", "")),
            )
            for source, ids in chunk_ids.items()
        }

    def _iter_metadata(self, page: int = 5000) -> Iterator[tuple[str, Metadata]]:
        offset = 0
        while True:
            got = self._collection.get(include=["metadatas"], limit=page, offset=offset)
            yield from zip(got["ids"], got["metadatas"], strict=True)
            if len(got["ids"]) < page:
                return
            offset += page

    def metadata_values(self, key: str) -> set[str]:
        """Every value the chunks' metadata holds under `key` (e.g. the session formats)."""
        return {str(m[key]) for _, m in self._iter_metadata() if m.get(key)}

    def all_chunks(self, page: int = 5000) -> list[Chunk]:
        chunks: list[Chunk] = []
        offset = 0
        while True:
            got = self._collection.get(
                include=["metadatas", "documents"], limit=page, offset=offset
            )
            chunks.extend(
                Chunk(i, d, m)
                for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            )
            if len(got["ids"]) < page:
                return chunks
            offset += page

    def chunks_of(self, source: str) -> list[Chunk]:
        """Every chunk of one source file, in document order."""
        got = self._collection.get(where={"source": source}, include=["metadatas", "documents"])
        chunks = [
            Chunk(i, d, m)
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
        return sorted(chunks, key=lambda c: int(c.metadata.get("chunk_index", 0)))

    def add(self, chunks: Sequence[Chunk], vectors: Sequence[list[float]] | None = None) -> None:
        """Store chunks, embedding them unless their vectors are given."""
        if vectors is None:
            vectors = self.embeddings.embed_documents([c.text for c in chunks]) if chunks else []
        collection = self._client.get_collection(self._name)
        for start in range(0, len(chunks), self._max_batch):
            batch = chunks[start : start + self._max_batch]
            collection.upsert(
                ids=[c.id for c in batch],
                embeddings=[list(v) for v in vectors[start : start + self._max_batch]],
                documents=[c.text for c in batch],
                metadatas=[dict(c.metadata) for c in batch],
            )
        if chunks:
            self._bump_generation()

    def update_metadata(self, chunks: Sequence[Chunk]) -> None:
        """Replace the metadata of stored chunks, keeping their texts and vectors."""
        collection = self._client.get_collection(self._name)
        for start in range(0, len(chunks), self._max_batch):
            batch = chunks[start : start + self._max_batch]
            collection.update(
                ids=[c.id for c in batch], metadatas=[dict(c.metadata) for c in batch]
            )
        if chunks:
            self._bump_generation()

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), self._max_batch):
            self._collection.delete(ids=list(ids[start : start + self._max_batch]))
        if ids:
            self._bump_generation()

    def chunks_by_id(self, ids: Sequence[str]) -> dict[str, Chunk]:
        if not ids:
            return {}
        got = self._collection.get(ids=list(ids), include=["metadatas", "documents"])
        return {
            i: Chunk(i, d, m)
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }

    def nearest(
        self, query_vector: list[float], k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Ids and cosine similarities of the nearest chunks, best first: `search` without the
        texts and metadata (Chroma reads those for every hit, ~70 us each). On the collection
        this store holds: looking it up again costs as much as the query (~2 ms)."""
        got = self._collection.query(
            query_embeddings=[query_vector], n_results=k, where=where, include=["distances"]
        )
        return [
            (i, 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0], strict=True)
        ]

    def embeddings_of(self, ids: Sequence[str]) -> dict[str, list[float]]:
        if not ids:
            return {}
        got = self._collection.get(ids=list(ids), include=["embeddings"])
        return {i: list(map(float, e)) for i, e in zip(got["ids"], got["embeddings"], strict=True)}

    def count(self) -> int:
        return int(self._client.get_collection(self._name).count())

    def search(
        self, query_vector: list[float], k: int, where: dict[str, Any] | None = None
    ) -> list[Passage]:
        """Nearest chunks by cosine similarity, best first."""
        try:
            # No count() first: it costs a scan (~10 ms at 100k chunks) on every search.
            got = self._collection.query(
                query_embeddings=[query_vector],
                n_results=k,
                where=where,
                include=["documents", "metadatas", "distances"],
            )
        except Exception:
            if self.count() == 0:  # a store that cannot search an empty collection
                return []
            raise
        hits = zip(
            got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0],
            strict=True,
        )  # fmt: skip
        return [
            passage_from(str(i), text, metadata or {}, 1.0 - float(distance))
            for i, text, metadata, distance in hits
            if text is not None
        ]


def passage_from(chunk_id: str, text: str, metadata: Metadata, score: float) -> Passage:
    return Passage(
        chunk_id=chunk_id,
        source=str(metadata.get("source", "")),
        title=str(metadata.get("title", "")),
        kind=str(metadata.get("kind", "document")),
        section=str(metadata.get("section", "")),
        text=text,
        score=score,
        similarity=score,
        metadata=dict(metadata),
    )
