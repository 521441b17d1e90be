"""Streaming chat over HTTP next to llama.cpp itself, on the same prompt.

coach: POST /v1/chat {"stream": true} to a `coach serve` subprocess (SSE read with httpx).
raw:   llama_cpp.Llama(...).create_chat_completion(stream=True), in this process, with the
       messages the coach builds (coach.prompts.answer_messages over the same retrieved
       passages) and the coach's own sampling settings.

Time to first token (TTFT) and tokens/s (token events after the first, over the time between
the first and the last). The server's TTFT includes what it does before generating (the turn
classification and the retrieval, both embedding the question); those are timed separately
in this process on a copy of the store. Targets: TTFT <= 1.1x raw, tokens/s >= 0.9x raw.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.common import ms, record, serve, table, verdict
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
        passages = retriever.relevant(retriever.retrieve(question, k))
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
    with tempfile.TemporaryDirectory(prefix="bench-chat-") as tmp:
        data = Path(tmp) / "data"
        build_store(data, len(bundled_chunks()))
        copy = copy_store(data, Path(tmp) / "raw")
        before = parts(copy)  # before llama.cpp's threads share this process
        payloads = coach_payloads(copy, [WARM_UP, *QUESTIONS])
        llama = raw_llama()
        coach: list[Stream] = []
        raw: list[Stream] = []
        with serve(data) as server, httpx.Client(base_url=server.url, timeout=300) as client:
            coach_chat(client, WARM_UP)  # also embeds the classifier's labelled examples
            raw_chat(llama, payloads[WARM_UP])
            for i, question in enumerate(QUESTIONS * args.rounds):
                if i % 2:  # alternate which side goes first, so drift in load weighs alike
                    raw.append(raw_chat(llama, payloads[question]))
                coach.append(coach_chat(client, question)[0])
                if not i % 2:
                    raw.append(raw_chat(llama, payloads[question]))
    figures = summarise(coach, raw) | before
    record("chat", figures)
    rows = rows_of(figures)
    print(table(rows))
    return rows


def summarise(coach: list[Stream], raw: list[Stream]) -> dict[str, Any]:
    figures: dict[str, Any] = {"runs": len(coach)}
    for side, streams in (("coach", coach), ("raw", raw)):
        figures[f"{side}_ttft_ms"] = median_ms([s.ttft for s in streams])
        # Pooled over the answers: each is short (about 20 tokens), and one late token in a
        # half-second span would move a per-answer rate by a tenth.
        intervals = sum(s.tokens - 1 for s in streams if s.tokens > 1)
        figures[f"{side}_tokens_per_second"] = round(intervals / sum(s.span for s in streams), 1)
        figures[f"{side}_tokens"] = round(statistics.median(s.tokens for s in streams))
    figures["coach_after_last_token_ms"] = median_ms([s.after for s in coach])
    figures["ttft_ratio"] = round(figures["coach_ttft_ms"] / figures["raw_ttft_ms"], 3)
    figures["tokens_per_second_ratio"] = round(
        figures["coach_tokens_per_second"] / figures["raw_tokens_per_second"], 3
    )
    return figures


def rows_of(f: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        (
            "chat time to first token",
            f"{f['coach_ttft_ms']} ms",
            f"{f['raw_ttft_ms']} ms",
            verdict(f["ttft_ratio"], "<= 1.1x", f["ttft_ratio"] <= 1.1),
        ),
        (
            "chat tokens/s",
            f"{f['coach_tokens_per_second']} ({f['coach_tokens']} tokens)",
            f"{f['raw_tokens_per_second']} ({f['raw_tokens']} tokens)",
            verdict(f["tokens_per_second_ratio"], ">= 0.9x", f["tokens_per_second_ratio"] >= 0.9),
        ),
        (
            "  of the TTFT: classify + retrieve",
            f"{f['classify_ms']} + {f['retrieve_cached_ms']} ms (cached)",
            f"retrieve {f['retrieve_uncached_ms']} ms uncached",
            "(in-process, same store)",
        ),
        (
            "  after the last token",
            ms(f["coach_after_last_token_ms"] / 1000),
            "-",
            "(grounding + storing the turn)",
        ),
    ]


if __name__ == "__main__":
    main()
