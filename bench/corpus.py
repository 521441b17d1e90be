"""Knowledge stores for the benchmarks, built from precomputed vectors (no re-embedding).

The bundled playbooks and notes are chunked and embedded once for real (about 300 chunks);
larger stores add perturbed copies: the vector plus a little noise, renormalised (cosine ~0.94
to its original), and the text plus a line of words drawn from the corpus's own vocabulary,
so every chunk has its own id, text and metadata and BM25 indexes every one of them.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import pin_torch_threads
from coach.settings import Settings, prepare_offline_environment
from coach.store import Chunk, KnowledgeStore

RECIPE = 2  # bump when `synthetic` changes what it generates (the cached stores are rebuilt)
NOISE = 0.35  # noise norm relative to the unit vector: cosine to the original ~ 0.94
NOTE_WORDS = 12
INSERT_BATCH = 5000


def settings_for(data_dir: Path) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir)


@cache
def encoder() -> Any:
    """The raw sentence-transformers model, loaded the way the coach loads it."""
    prepare_offline_environment()
    from sentence_transformers import SentenceTransformer

    from coach.providers.embeddings import bundled_embedding_model_dir

    pin_torch_threads()
    model = SentenceTransformer(str(bundled_embedding_model_dir()), device="cpu")
    model.encode(["warm-up"])
    return model


def encode(texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """The same call as the coach's embedder: batches of 64, unit vectors."""
    vectors = encoder().encode(texts, batch_size=64, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float32)


@cache
def bundled_chunks() -> list[Chunk]:
    from knowledge.ingest import chunks_for, discover
    from knowledge.library import BUNDLED_ROOT

    return [
        chunk
        for file in discover([BUNDLED_ROOT])
        for chunk in chunks_for(
            file.source,
            file.path.read_bytes(),
            hashlib.sha256(file.path.read_bytes()).hexdigest(),
            "2026-01-01T00:00:00+00:00",
        )
    ]


CACHE = Path(__file__).resolve().parent / ".cache"


@cache
def bundled_vectors() -> np.ndarray[Any, np.dtype[np.float32]]:
    """Real embeddings of the bundled chunks, kept in bench/.cache by a hash of their texts
    (an input of the benchmarks, not a measured figure)."""
    texts = [c.text for c in bundled_chunks()]
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"bundled-{digest}.npy"
    if path.exists():
        return np.load(path)  # type: ignore[no-any-return]
    vectors = encode(texts)
    CACHE.mkdir(exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    np.save(path, vectors)
    return vectors


def synthetic(size: int, seed: int = 7) -> Iterator[tuple[list[Chunk], np.ndarray[Any, Any]]]:
    """`size` chunks in insert batches: the bundled chunks first, then perturbed copies."""
    base, vectors = bundled_chunks(), bundled_vectors()
    vocabulary = sorted({w for c in base for w in c.text.split() if w.isalpha() and len(w) > 3})
    rng = np.random.default_rng(seed)
    for start in range(0, size, INSERT_BATCH):
        indices = range(start, min(size, start + INSERT_BATCH))
        chunks, batch = [], np.empty((len(indices), vectors.shape[1]), dtype=np.float32)
        for row, i in enumerate(indices):
            original = base[i % len(base)]
            copy = i // len(base)
            if copy == 0:
                chunks.append(original)
                batch[row] = vectors[i]
                continue
            noise = rng.standard_normal(vectors.shape[1]).astype(np.float32)
            vector = vectors[i % len(base)] + NOISE * noise / np.linalg.norm(noise)
            batch[row] = vector / np.linalg.norm(vector)
            words = " ".join(rng.choice(vocabulary, NOTE_WORDS))
            source = str(original.metadata["source"]).replace(".md", f"-copy{copy:04d}.md")
            chunks.append(
                Chunk(
                    id=f"{original.id}-copy{copy:04d}",
                    text=f"{original.text}\n\nTeam copy {copy}: {words}.",
                    metadata={**original.metadata, "source": source},
                )
            )
        yield chunks, batch


def build_store(data_dir: Path, size: int) -> float:
    """A store of `size` chunks in `data_dir`; the seconds it took.

    Built once through `KnowledgeStore.add` in a child process (an embedded Chroma store stays
    locked by the process that opened it, and the server must open this one), kept in
    bench/.cache and copied from there on later runs (100k chunks take minutes to insert)."""
    start = time.perf_counter()
    cached = CACHE / f"store-{size}-{_store_key()}"
    if not (cached / "complete").exists():
        bundled_vectors()  # computed (or cached) here, read from the cache by the child
        shutil.rmtree(cached, ignore_errors=True)
        command = [sys.executable, "-m", "bench.corpus", str(cached), str(size)]
        subprocess.run(command, check=True, cwd=Path(__file__).resolve().parents[1])
        (cached / "complete").touch()
    copy_store(cached, data_dir)
    return time.perf_counter() - start


def _store_key() -> str:
    """Changes with the recipe, the bundled chunks and their vectors, and chromadb's version.
    Not with coach/store.py: after a change to the store's layout, `rm -rf bench/.cache`."""
    import chromadb

    recipe = (RECIPE, NOISE, NOTE_WORDS, INSERT_BATCH, chromadb.__version__)
    digest = hashlib.sha256(repr(recipe).encode())
    chunks = [(c.id, c.text, sorted(c.metadata.items())) for c in bundled_chunks()]
    digest.update(repr(chunks).encode())
    digest.update(bundled_vectors().tobytes())
    return digest.hexdigest()[:12]


def copy_store(data_dir: Path, target: Path) -> Path:
    """An identical copy of the store (and its saved keyword index)."""
    shutil.copytree(
        data_dir / "chroma", target / "chroma", ignore=shutil.ignore_patterns(".coach.lock")
    )
    if (data_dir / "keyword-index").exists():
        shutil.copytree(data_dir / "keyword-index", target / "keyword-index")
    return target


def raw_collection(data_dir: Path) -> Any:
    """The chromadb collection itself, without the coach around it."""
    from coach.store import chroma_client

    settings = settings_for(data_dir)
    return chroma_client(settings).get_collection(settings.collection)


def _build(data_dir: Path, size: int) -> None:
    """As `coach ingest` leaves it: the chunks, and the keyword index saved beside them."""
    from coach.keyword import KeywordIndex
    from coach.keyword_cache import KeywordIndexCache

    store = open_store(data_dir)
    for chunks, batch in synthetic(size):
        store.add(chunks, batch.tolist())
    saved = KeywordIndexCache(settings_for(data_dir).keyword_index_path)
    KeywordIndex(store, saved).warm()


def open_store(data_dir: Path) -> KnowledgeStore:
    """The store as the server opens it (same collection, same embedding identity)."""
    from coach.store import chroma_client

    settings = settings_for(data_dir)
    embeddings, identity = coach_embeddings()
    return KnowledgeStore(chroma_client(settings), settings.collection, embeddings, identity)


@cache
def coach_embeddings() -> tuple[Any, Any]:
    from coach.providers.embeddings import build_embeddings

    pin_torch_threads()
    return build_embeddings(settings_for(Path("unused")))


if __name__ == "__main__":
    _build(Path(sys.argv[1]), int(sys.argv[2]))
