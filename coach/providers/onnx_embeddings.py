"""The bundled sentence-transformers model on ONNX Runtime, exported here from the installed
weights (nothing is downloaded), optionally with int8 dynamic quantization.

The export runs once per data dir, on first use, and is kept in `DATA_DIR/models/`: the
encoder with sentence-transformers' mean pooling and normalisation in one graph, so a batch
is one `run` and its output the unit vectors. Serving it needs ONNX Runtime and the
tokenizer only: no torch, no transformers (seconds of imports in every process).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)

# Part of the export folder's name: bump it when the exported graph or its quantization changes.
EXPORT_FORMAT = "st-mean-norm-1"
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
FP32_FILE = "model.onnx"
INT8_FILE = "model-qint8-per-channel.onnx"
DEFAULT_MAX_TOKENS = 256
BATCH_SIZE = 64


class OnnxEmbeddings(Embeddings):
    """Unit vectors of texts from an exported sentence-transformers graph, batched like
    sentence-transformers (longest first, `BATCH_SIZE` at a time, so batches pad little)."""

    def __init__(
        self, model_file: Path, tokenizer_file: Path, *, max_tokens: int, threads: int = 0
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # 0: ONNX Runtime's default (one per core)
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(max_tokens)
        pad = self._tokenizer.token_to_id("[PAD]") or 0
        self._tokenizer.enable_padding(pad_id=pad, pad_token="[PAD]")

    def _batch(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        feed = {
            "input_ids": ids,
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.zeros_like(ids),
        }
        return np.asarray(self._session.run(None, feed)[0], dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        # As langchain's HuggingFaceEmbeddings does for the torch backend.
        texts = [t.replace("\n", " ") for t in texts]
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vectors = np.empty((len(texts), 0), dtype=np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            rows = order[start : start + BATCH_SIZE]
            batch = self._batch([texts[i] for i in rows])
            if vectors.shape[1] == 0:
                vectors = np.empty((len(texts), batch.shape[1]), dtype=np.float32)
            vectors[rows] = batch
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def load_onnx_embeddings(
    model_dir: Path, exports: Path, *, name: str, quantized: bool
) -> OnnxEmbeddings:
    """The model of `model_dir` on ONNX Runtime, exported into `exports` first if needed."""
    model_file = exported_model(model_dir, exports / name, quantized=quantized)
    return OnnxEmbeddings(
        model_file,
        model_dir / "tokenizer.json",
        max_tokens=_max_tokens(model_dir),
        threads=_threads(),
    )


def _threads() -> int:
    """OMP_NUM_THREADS when set (torch follows it too), else ONNX Runtime's default."""
    try:
        return max(0, int(os.environ.get("OMP_NUM_THREADS", "0")))
    except ValueError:
        return 0


def _max_tokens(model_dir: Path) -> int:
    try:
        config = json.loads((model_dir / "sentence_bert_config.json").read_text())
        return int(config["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_MAX_TOKENS


def export_folder(model_dir: Path, exports: Path) -> Path:
    """Where the exports of `model_dir` live: named after a fingerprint of its files, so
    another version of the model never reuses a stale export."""
    digest = hashlib.sha256(EXPORT_FORMAT.encode())
    for name in ("config.json", "modules.json", "sentence_bert_config.json", "tokenizer.json"):
        path = model_dir / name
        digest.update(path.read_bytes() if path.exists() else b"-")
    for weights in sorted(model_dir.glob("*.safetensors")) + sorted(model_dir.glob("*.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    return exports / digest.hexdigest()[:12]


def exported_model(model_dir: Path, exports: Path, *, quantized: bool) -> Path:
    """The ONNX file for `model_dir` (int8 when `quantized`), exported on first use. Several
    processes may start at once: one exports, the others wait for it (a file lock)."""
    folder = export_folder(model_dir, exports)
    target = folder / (INT8_FILE if quantized else FP32_FILE)
    if target.exists():
        return target
    with _export_lock(exports):
        if not target.exists():
            folder.mkdir(parents=True, exist_ok=True)
            log.info("exporting %s to ONNX in %s (once)", model_dir.name, folder)
            with tempfile.TemporaryDirectory(dir=folder, prefix=".export-") as staging:
                partial = Path(staging) / target.name
                fp32 = folder / FP32_FILE
                if quantized:
                    if not fp32.exists():
                        fp32 = Path(staging) / FP32_FILE
                        _export(model_dir, fp32)
                    _quantize(fp32, partial)
                else:
                    _export(model_dir, partial)
                partial.replace(target)  # atomic: a reader sees a whole file or none
    return target


@contextmanager
def _export_lock(exports: Path) -> Iterator[None]:
    exports.mkdir(parents=True, exist_ok=True)
    with (exports / ".export.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _export(model_dir: Path, target: Path) -> None:
    """Trace the transformer with sentence-transformers' pooling (the attention-masked mean of
    the token vectors) and normalisation into one ONNX graph, dynamic in batch and length."""
    import torch
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(
        str(model_dir), local_files_only=True, attn_implementation="eager"
    ).eval()

    class SentenceEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            tokens = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    sample = torch.ones((2, 8), dtype=torch.long)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes it keeps dynamic
        torch.onnx.export(
            SentenceEncoder(),
            (sample, sample, torch.zeros_like(sample)),
            str(target),
            input_names=list(INPUTS),
            output_names=["sentence_embedding"],
            dynamic_axes=dynamic | {"sentence_embedding": {0: "batch"}},
            opset_version=OPSET,
            dynamo=False,
        )


def _quantize(source: Path, target: Path) -> None:
    """int8 weights, one scale per output channel (per tensor loses more: cosine 0.95 to the
    float model's vectors instead of 0.99), activations quantized on the fly."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(source, target, weight_type=QuantType.QInt8, per_channel=True)
