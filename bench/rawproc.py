"""The libraries alone, in a fresh process: the raw baseline for start-up time and memory.

`python -m bench.rawproc JOB.json` imports only sentence-transformers, chromadb and llama.cpp:
it loads the encoder, opens the Chroma collection, embeds and searches the question, loads the
GGUF model and streams the completion of the coach's own prompt. It prints one JSON line: the
wall-clock times of the first search result and the first token, and its resident memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import rss_mib, thread_env


def run(job: dict[str, Any]) -> dict[str, float]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from llama_cpp import Llama
    from sentence_transformers import SentenceTransformer

    encoder = SentenceTransformer(job["encoder"], device="cpu")
    collection = chromadb.PersistentClient(path=job["chroma"]).get_collection(job["collection"])
    vector = encoder.encode(job["question"], normalize_embeddings=True)
    collection.query(query_embeddings=[vector], n_results=5)
    retrieved = time.time()
    llama: Any = Llama(model_path=job["gguf"], n_ctx=job["n_ctx"], seed=job["seed"], verbose=False)
    first = 0.0
    for event in llama.create_chat_completion(**job["payload"], stream=True):
        if not first and event["choices"][0]["delta"].get("content"):
            first = time.time()
    return {"retrieved_at": retrieved, "first_token_at": first, "rss_mib": rss_mib(os.getpid())}


def job_for(data: Path, question: str, payload: dict[str, Any]) -> dict[str, Any]:
    """What the child needs, resolved here (so the child imports none of the coach)."""
    from coach.providers.chat import build_chat_model
    from coach.providers.embeddings import bundled_embedding_model_dir
    from coach.providers.llama_cpp_chat import LlamaCppChatModel
    from coach.settings import Settings

    settings = Settings(_env_file=None, data_dir=data)
    model = build_chat_model(settings)
    assert isinstance(model, LlamaCppChatModel)
    return {
        "encoder": str(bundled_embedding_model_dir()),
        "chroma": str(settings.chroma_path),
        "collection": settings.collection,
        "question": question,
        "gguf": str(model.model_path),
        "n_ctx": model.context_tokens,
        "seed": model.seed,
        "payload": payload,
    }


def spawn(job: dict[str, Any], job_file: Path) -> tuple[float, dict[str, float]]:
    """Run the child; the wall-clock time it was spawned at, and what it reported."""
    job_file.write_text(json.dumps(job))
    env = os.environ | thread_env()
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "bench.rawproc", str(job_file)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
    )
    return started, json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(run(json.loads(Path(sys.argv[1]).read_text()))))
