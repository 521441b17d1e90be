"""32 concurrent clients on loopback (asyncio + httpx), against /v1/retrieve and /v1/chat.

retrieve: 32 clients loop for a fixed time over varied questions (repeated and never asked);
          raw baseline: the same retrieval with the libraries (encode + collection.query)
          from 32 threads in this process, for the same time, on a copy of the store.
chat:     32 clients each send one streaming chat at the same moment (the model answers one
          at a time); counted: full answers/s (an answer quoted from the documents because
          the model was too slow is "quoted", not an error); raw baseline: a few completions
          of the same prompts with llama.cpp, in turn.
While the load runs, /healthz is probed every 50 ms: a blocked event loop or an exhausted
thread pool shows there. Targets: 0 errors; /healthz p95 under load <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.common import percentile, record, serve, table
from bench.corpus import build_store, copy_store, raw_collection
from bench.queries import REPEATED, never_asked
from bench.retrieval import raw_retrieve

CLIENTS = 32
SIZE = 10_000
RETRIEVE_SECONDS = 10.0
CHAT_MAX_TOKENS = 64  # bounds the chat phase: 32 answers, one at a time
RAW_CHATS = 3
HEALTH_TARGET_MS = 50.0
CHAT_QUESTIONS = [  # answered by the model (not a flow or a hand-off), as in bench.chat
    "How long should a brown-bag be?",
    "How far ahead do I need to book a room for a lunch and learn?",
    "How do I invite an external guest speaker?",
    "How many people can join a hands-on workshop?",
    "What are the rules for recording a session?",
    "How do I start a community of practice?",
    "How do I find a mentor or a learning buddy?",
    "How do I make my session accessible to everyone?",
]


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    degraded: int = 0  # answered from quotes because the model was too slow or failed
    seconds: float = 0.0

    def figures(self) -> dict[str, Any]:
        done = len(self.latencies)
        per_second = 1 / self.seconds if self.seconds else 0.0
        return {
            "requests": done + len(self.errors),
            "errors": len(self.errors),
            "error_samples": sorted(set(self.errors))[:3],
            "degraded_answers": self.degraded,
            "throughput_per_second": round(done * per_second, 2),
            "full_answers_per_second": round((done - self.degraded) * per_second, 3),
            "p50_ms": round(percentile(self.latencies, 50) * 1000, 1),
            "p95_ms": round(percentile(self.latencies, 95) * 1000, 1),
        }


def questions() -> Iterator[str]:
    mixed = [q for pair in zip(REPEATED * 10, never_asked(200), strict=True) for q in pair]
    return itertools.cycle(mixed)


async def run_clients(count: int, deadline: float, one: Callable[[], Awaitable[None]]) -> None:
    async def client() -> None:
        while time.perf_counter() < deadline:
            await one()

    await asyncio.gather(*(client() for _ in range(count)))


async def timed(load: Load, call: Awaitable[str | None]) -> None:
    start = time.perf_counter()
    try:
        problem = await call
    except httpx.HTTPError as error:
        problem = type(error).__name__
    if problem:
        load.errors.append(problem)
    else:
        load.latencies.append(time.perf_counter() - start)


async def retrieve(client: httpx.AsyncClient, query: str) -> str | None:
    response = await client.post("/v1/retrieve", json={"query": query, "k": 5})
    return None if response.status_code == 200 else f"HTTP {response.status_code}"


async def chat(client: httpx.AsyncClient, question: str, load: Load) -> str | None:
    body = {"message": question, "stream": True}
    async with client.stream("POST", "/v1/chat", json=body) as response:
        if response.status_code != 200:
            return f"HTTP {response.status_code}"
        text = await response.aread()
    if b"event: done" not in text:
        return "stream ended without a done event"
    if b"language model is unavailable" in text:
        load.degraded += 1
    return None


async def probe_health(client: httpx.AsyncClient, stop: asyncio.Event, out: list[float]) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        response = await client.get("/healthz")
        if response.status_code == 200:
            out.append(time.perf_counter() - start)
        await asyncio.sleep(0.05)


async def under_load(url: str, work: Callable[[httpx.AsyncClient], Awaitable[None]]) -> list[float]:
    """Run `work` while probing /healthz on its own connection; the probe latencies."""
    limits = httpx.Limits(max_connections=CLIENTS * 2, max_keepalive_connections=CLIENTS * 2)
    async with (
        httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as client,
        httpx.AsyncClient(base_url=url, timeout=30) as prober,
    ):
        stop, health = asyncio.Event(), list[float]()
        probe = asyncio.create_task(probe_health(prober, stop, health))
        try:
            await work(client)
        finally:
            stop.set()
            await probe
    return health


async def idle_health(url: str, count: int = 40) -> list[float]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as prober:
        stop, health = asyncio.Event(), list[float]()
        task = asyncio.create_task(probe_health(prober, stop, health))
        while len(health) < count:
            await asyncio.sleep(0.05)
        stop.set()
        await task
    return health


async def coach_load(url: str) -> dict[str, Any]:
    retrieves, chats = Load(), Load()
    next_question = questions()
    idle = await idle_health(url)

    async def retrieve_phase(client: httpx.AsyncClient) -> None:
        start = time.perf_counter()
        deadline = start + RETRIEVE_SECONDS

        async def one() -> None:
            await timed(retrieves, retrieve(client, next(next_question)))

        await run_clients(CLIENTS, deadline, one)
        retrieves.seconds = time.perf_counter() - start

    async def chat_phase(client: httpx.AsyncClient) -> None:
        start = time.perf_counter()
        await asyncio.gather(
            *(
                timed(chats, chat(client, CHAT_QUESTIONS[i % len(CHAT_QUESTIONS)], chats))
                for i in range(CLIENTS)
            )
        )
        chats.seconds = time.perf_counter() - start

    retrieve_health = await under_load(url, retrieve_phase)
    chat_health = await under_load(url, chat_phase)
    return {
        "retrieve": retrieves.figures(),
        "chat": chats.figures(),
        "healthz_idle_p95_ms": round(percentile(idle, 95) * 1000, 1),
        "healthz_retrieve_load_p95_ms": round(percentile(retrieve_health, 95) * 1000, 1),
        "healthz_retrieve_load_max_ms": round(max(retrieve_health) * 1000, 1),
        "healthz_chat_load_p95_ms": round(percentile(chat_health, 95) * 1000, 1),
        "healthz_chat_load_max_ms": round(max(chat_health) * 1000, 1),
    }


def raw_retrieve_load(data: Path) -> dict[str, Any]:
    """The libraries from 32 threads for the same time (the GIL and 2 cores are shared alike)."""
    run = raw_retrieve(raw_collection(data))
    next_question, load = questions(), Load()
    deadline = time.perf_counter() + RETRIEVE_SECONDS

    def worker() -> None:
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            run(next(next_question))
            load.latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(worker) for _ in range(CLIENTS)]:
            future.result()
    load.seconds = time.perf_counter() - start
    return load.figures()


def raw_chat_load(data: Path) -> dict[str, Any]:
    """Completions of the same prompts with llama.cpp, one after the other (a few: at
    ~10 s a prompt on this machine, 32 would take minutes); its answers/s is the capacity."""
    from bench.chat import coach_payloads, raw_chat, raw_llama

    questions = [CHAT_QUESTIONS[i % len(CHAT_QUESTIONS)] for i in range(RAW_CHATS)]
    payloads = coach_payloads(data, questions)
    llama = raw_llama()
    load = Load()
    start = time.perf_counter()
    for question in questions:
        payload = payloads[question] | {"max_tokens": CHAT_MAX_TOKENS}
        begun = time.perf_counter()
        raw_chat(llama, payload)
        load.latencies.append(time.perf_counter() - begun)
    load.seconds = time.perf_counter() - start
    return load.figures()


def main(argv: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-concurrency-") as tmp:
        data = Path(tmp) / "data"
        build_store(data, SIZE)
        copy = copy_store(data, Path(tmp) / "raw")
        env = {"COACH_LLM_MAX_TOKENS": str(CHAT_MAX_TOKENS)}
        with serve(data, env) as server:
            httpx.post(f"{server.url}/v1/retrieve", json={"query": "warm-up"}, timeout=300)
            httpx.post(f"{server.url}/v1/chat", json={"message": CHAT_QUESTIONS[0]}, timeout=300)
            coach = asyncio.run(coach_load(server.url))
        raw = {"retrieve": raw_retrieve_load(copy), "chat": raw_chat_load(copy)}
    figures: dict[str, Any] = {"clients": CLIENTS, "chunks": SIZE}
    figures["chat_max_tokens"] = CHAT_MAX_TOKENS
    figures |= {"coach": coach, "raw": raw}
    record("concurrency", figures)
    rows = rows_of(coach, raw)
    print(table(rows))
    return rows


def rows_of(coach: dict[str, Any], raw: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = []
    for name in ("retrieve", "chat"):
        c, r = coach[name], raw[name]
        # chat: only the model's own answers count (not the quotes given when it was too slow)
        rate = "throughput_per_second" if name == "retrieve" else "full_answers_per_second"
        share = c[rate] / r[rate]
        rows.append(
            (
                f"{CLIENTS} clients {name}: {'answers' if name == 'chat' else 'requests'}/s",
                f"{c[rate]}/s (p95 {c['p95_ms']} ms)",
                f"{r[rate]}/s (p95 {r['p95_ms']} ms)",
                f"{share:.2f}x",
            )
        )
        errors = c["errors"]
        rows.append(
            (
                f"{CLIENTS} clients {name}: errors",
                f"{errors} of {c['requests']} ({c['degraded_answers']} quoted: model too slow)",
                "-",
                "met: 0" if errors == 0 else f"MISSED: 0 ({', '.join(c['error_samples'])})",
            )
        )
    for phase in ("retrieve", "chat"):
        p95 = coach[f"healthz_{phase}_load_p95_ms"]
        rows.append(
            (
                f"/healthz p95 under {phase} load",
                f"{p95} ms (max {coach[f'healthz_{phase}_load_max_ms']})",
                f"{coach['healthz_idle_p95_ms']} ms idle",
                f"{'met' if p95 <= HEALTH_TARGET_MS else 'MISSED'}: <= {HEALTH_TARGET_MS:.0f} ms",
            )
        )
    return rows


if __name__ == "__main__":
    main()
