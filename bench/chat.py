"""Streaming chat over HTTP, per answer path, next to the libraries underneath.

coach: POST /v1/chat {"stream": true} to `coach serve` subprocesses (SSE read with httpx), one
       per answer path:
       - extractive: the embedded default (the documents' own sentences, no generation);
       - model: COACH_ANSWER_MODE=generative, the bundled model drafting from the passages;
       - fallback: a model server that is down (COACH_LLM=openai at a closed loopback port),
         so the documents answer after the model fails.
raw:   extractive and fallback: sentence-transformers `encode` of the question + Chroma
       `collection.query` (the least work that finds a passage); model:
       llama_cpp.Llama(...).create_chat_completion(stream=True) in this process, with the
       messages the coach builds and the coach's own sampling settings.

Time to first token (TTFT: the first `token` event) and, for the model, tokens/s (token
events after the first, over the time between the first and the last). Questions are new to
each server (no cache has seen them), on a warm server, one client; the sides take turns
question by question. Targets: extractive TTFT p50 <= 1 s (the slowest shown); model TTFT
<= 1.1x raw and tokens/s >= 0.9x raw; fallback reported. What the server does before an answer (the
turn classification and the retrieval) is timed separately in this process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from bench.common import free_port, ms, record, serve, table, verdict
from bench.corpus import build_store, bundled_chunks, coach_embeddings, copy_store, open_store
from coach.providers.llama_cpp_chat import LlamaCppChatModel
from coach.retrieval import Retriever
from coach.settings import Settings

QUESTIONS = [  # answered by the model (not a hand-off, a plan or a people search)
    "How long should a brown-bag be?",
    "How far ahead do I need to book a room for a lunch and learn?",
    "How do I invite an external guest speaker?",
]
WARM_UP = "How do I find a mentor or a learning buddy?"  # loads the model on both sides
ROUNDS = 1  # each question is a new prompt for llama.cpp (no reuse of the previous one's cache)
EXTRACTIVE_QUESTIONS = 12  # the first of bench.queries.REPEATED, besides QUESTIONS
FALLBACK_QUESTIONS = 6
EXTRACTIVE_TARGET_SECONDS = 1.0
PATHS = {  # answer path -> the server's settings
    "extractive": {},
    "model": {"COACH_ANSWER_MODE": "generative"},
    "fallback": {"COACH_LLM": "openai", "COACH_LLM_BASE_URL": "http://127.0.0.1:{port}/v1"},
}


@dataclass(frozen=True)
class Stream:
    ttft: float  # seconds from the call to the first token
    tokens: int
    span: float  # seconds from the first to the last token
    after: float = 0.0  # seconds from the last token to the end (the server's grounding)


def timed_stream(pieces: Iterator[str], start: float) -> Stream:
    arrivals = [time.perf_counter() for piece in pieces if piece]
    end = time.perf_counter()
    if not arrivals:
        raise RuntimeError("no token")
    return Stream(
        arrivals[0] - start, len(arrivals), arrivals[-1] - arrivals[0], end - arrivals[-1]
    )


def sse_tokens(response: httpx.Response, done: dict[str, Any]) -> Iterator[str]:
    """The text of each `token` event; the `done` event's data goes into `done`.

    A kept draft is followed, after generation, by one more token event carrying the backing
    quote ("\\n\\n> ..."); it is not a model token, so it is left out."""
    event = ""
    for line in response.iter_lines():
        if line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data = json.loads(line.removeprefix("data: "))
            if event == "done":
                done.update(data)
            elif event == "token" and not data["text"].startswith("\n\n> "):
                yield str(data["text"])


def coach_chat(client: httpx.Client, question: str) -> tuple[Stream, dict[str, Any]]:
    done: dict[str, Any] = {}
    start = time.perf_counter()
    body = {"message": question, "stream": True}
    with client.stream("POST", "/v1/chat", json=body) as response:
        response.raise_for_status()
        stream = timed_stream(sse_tokens(response, done), start)
    return stream, done


def coach_model() -> LlamaCppChatModel:
    """The chat model as the server builds it (default settings): its payload is the prompt."""
    from coach.providers.chat import build_chat_model

    model = build_chat_model(Settings(_env_file=None))
    assert isinstance(model, LlamaCppChatModel)
    return model


def coach_retriever(data: Path) -> Retriever:
    """The retriever as the server builds it (default settings), over a copy of the store."""
    return Retriever(open_store(data), min_relevance=Settings(_env_file=None).min_relevance)


def coach_payloads(data: Path, questions: Sequence[str]) -> dict[str, dict[str, Any]]:
    """What the server sends llama.cpp for each question: the same retrieval, the same prompt
    and sampling settings."""
    from coach.prompts import answer_messages

    k = Settings(_env_file=None).retrieve_k
    retriever = coach_retriever(data)
    payloads = {}
    for question in questions:
        passages = retriever.relevant(retriever.retrieve(question, k), question)
        messages = answer_messages(question, passages, [])
        payloads[question] = coach_model()._payload(messages, None)
    return payloads


def raw_llama() -> Any:
    """A llama_cpp.Llama built with the coach's settings."""
    from llama_cpp import Llama

    model = coach_model()
    return Llama(
        model_path=str(model.model_path),
        n_ctx=model.context_tokens,
        n_threads=model.threads,
        seed=model.seed,
        verbose=False,
    )


def raw_chat(llama: Any, payload: dict[str, Any]) -> Stream:
    start = time.perf_counter()
    events = llama.create_chat_completion(**payload, stream=True)
    return timed_stream((e["choices"][0]["delta"].get("content") or "" for e in events), start)


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def parts(data: Path) -> dict[str, float]:
    """What the server does before generating, timed here on a copy of the same store."""
    from coach.intents import TurnClassifier

    retriever = coach_retriever(data)
    retriever.warm()  # the keyword index, built before the first search
    classifier = TurnClassifier(coach_embeddings()[0])
    classifier.classify("warm-up")  # embeds the labelled examples once

    def timed(call: Callable[[str], object], questions: list[str]) -> float:
        times = []
        for question in questions:
            start = time.perf_counter()
            call(question)
            times.append(time.perf_counter() - start)
        return median_ms(times)

    return {
        "classify_ms": timed(classifier.classify, QUESTIONS * 3),
        "retrieve_uncached_ms": timed(lambda q: retriever.retrieve(q, 5), QUESTIONS),
        "retrieve_cached_ms": timed(lambda q: retriever.retrieve(q, 5), QUESTIONS * 3),
    }


def main(argv: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    from bench.corpus import raw_collection
    from bench.queries import REPEATED
    from bench.retrieval import raw_retrieve

    asked = [*QUESTIONS * args.rounds]
    extra = [q for q in REPEATED if q not in (*QUESTIONS, WARM_UP)][:EXTRACTIVE_QUESTIONS]
    with tempfile.TemporaryDirectory(prefix="bench-chat-") as tmp, ExitStack() as stack:
        root = Path(tmp)
        build_store(root / "data", len(bundled_chunks()))
        copy = copy_store(root / "data", root / "raw")
        before = parts(copy)  # before llama.cpp's threads share this process
        payloads = coach_payloads(copy, [WARM_UP, *QUESTIONS])
        llama = raw_llama()
        find = raw_retrieve(raw_collection(copy_store(root / "data", root / "raw-search")))
        clients = {}
        for path, env in PATHS.items():
            data = copy_store(root / "data", root / f"data-{path}")
            env = {k: v.format(port=free_port()) for k, v in env.items()}
            server = stack.enter_context(serve(data, env))
            clients[path] = stack.enter_context(httpx.Client(base_url=server.url, timeout=300))
            coach_chat(clients[path], WARM_UP)  # the models loaded, the classifier's examples
        raw_chat(llama, payloads[WARM_UP])
        find(WARM_UP)
        streams: dict[str, list[Stream]] = {side: [] for side in (*PATHS, "raw_model")}
        raw_search: list[float] = []
        for i, question in enumerate([*asked, *extra]):
            # Sides take turns, question by question, and alternate who goes first.
            turns: list[tuple[str, Callable[[], object]]] = [
                ("extractive", partial(coach_chat, clients["extractive"], question)),
                ("raw_search", partial(find, question)),
            ]
            if i < len(asked):
                turns += [
                    ("model", partial(coach_chat, clients["model"], question)),
                    ("raw_model", partial(raw_chat, llama, payloads[question])),
                ]
            if i < FALLBACK_QUESTIONS:
                turns.append(("fallback", partial(coach_chat, clients["fallback"], question)))
            for side, call in turns if i % 2 else reversed(turns):
                start = time.perf_counter()
                result = call()
                if side == "raw_search":
                    raw_search.append(time.perf_counter() - start)
                elif side == "raw_model":
                    assert isinstance(result, Stream)
                    streams[side].append(result)
                else:
                    assert isinstance(result, tuple)
                    streams[side].append(result[0])
    figures = summarise(streams, raw_search) | before
    record("chat", figures)
    rows = rows_of(figures)
    print(table(rows))
    return rows


def summarise(streams: dict[str, list[Stream]], raw_search: list[float]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for side in (*PATHS, "raw_model"):
        ttfts = [s.ttft for s in streams[side]]
        figures[f"{side}_runs"] = len(ttfts)
        figures[f"{side}_ttft_ms"] = median_ms(ttfts)
        figures[f"{side}_ttft_max_ms"] = round(max(ttfts) * 1000, 1)
    figures["raw_search_ms"] = median_ms(raw_search)
    figures["raw_search_max_ms"] = round(max(raw_search) * 1000, 1)
    for side in ("model", "raw_model"):
        # Pooled over the answers: each is short (about 20 tokens), and one late token in a
        # half-second span would move a per-answer rate by a tenth.
        answers = streams[side]
        intervals = sum(s.tokens - 1 for s in answers if s.tokens > 1)
        figures[f"{side}_tokens_per_second"] = round(intervals / sum(s.span for s in answers), 1)
        figures[f"{side}_tokens"] = round(statistics.median(s.tokens for s in answers))
    figures["model_after_last_token_ms"] = median_ms([s.after for s in streams["model"]])
    figures["model_ttft_ratio"] = round(figures["model_ttft_ms"] / figures["raw_model_ttft_ms"], 3)
    figures["tokens_per_second_ratio"] = round(
        figures["model_tokens_per_second"] / figures["raw_model_tokens_per_second"], 3
    )
    return figures


def rows_of(f: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    typical = f["extractive_ttft_ms"] / 1000
    search = f"{f['raw_search_ms']} ms encode + query (max {f['raw_search_max_ms']})"
    return [
        (
            f"first token, extractive ({f['extractive_runs']} answers)",
            f"{f['extractive_ttft_ms']} ms (max {f['extractive_ttft_max_ms']})",
            search,
            f"{'met' if typical <= EXTRACTIVE_TARGET_SECONDS else 'MISSED'}: p50 <= 1 s "
            f"({'every answer within' if f['extractive_ttft_max_ms'] <= 1000 else 'not every'})",
        ),
        (
            f"first token, model ({f['model_runs']} answers)",
            f"{f['model_ttft_ms']} ms (max {f['model_ttft_max_ms']})",
            f"{f['raw_model_ttft_ms']} ms llama.cpp",
            verdict(f["model_ttft_ratio"], "<= 1.1x", f["model_ttft_ratio"] <= 1.1),
        ),
        (
            f"first token, fallback ({f['fallback_runs']} answers, model server down)",
            f"{f['fallback_ttft_ms']} ms (max {f['fallback_ttft_max_ms']})",
            search,
            "(report: the failed model call, then the documents answer)",
        ),
        (
            "model tokens/s",
            f"{f['model_tokens_per_second']} ({f['model_tokens']} tokens)",
            f"{f['raw_model_tokens_per_second']} ({f['raw_model_tokens']} tokens)",
            verdict(f["tokens_per_second_ratio"], ">= 0.9x", f["tokens_per_second_ratio"] >= 0.9),
        ),
        (
            "  before an answer: classify + retrieve",
            f"{f['classify_ms']} + {f['retrieve_cached_ms']} ms (cached)",
            f"retrieve {f['retrieve_uncached_ms']} ms uncached",
            "(in-process, same store)",
        ),
        (
            "  model: after the last token",
            ms(f["model_after_last_token_ms"] / 1000),
            "-",
            "(grounding + storing the turn)",
        ),
    ]


if __name__ == "__main__":
    main()
