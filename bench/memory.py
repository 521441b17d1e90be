"""Resident memory (VmRSS) of `coach serve` after start, after the first answers, and over
two rounds of 1,000 requests (mostly /v1/retrieve over varied questions, some short streamed
chats), next to a fresh process holding the same libraries and models (bench.rawproc).

The first round fills what is bounded (512 cached query embeddings, 32 filter masks, Chroma's
caches, the allocator's per-thread pools); growth over the second round is what a leak would
show. Target (set here): growth over the second round <= 50 MiB."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import tempfile
from pathlib import Path
from typing import Any

import httpx

from bench.chat import QUESTIONS, coach_payloads
from bench.common import record, rss_mib, serve, table
from bench.corpus import build_store, copy_store
from bench.queries import REPEATED, never_asked
from bench.rawproc import job_for, spawn

SIZE = 10_000
REQUESTS = 1_000
CHATS = 3  # of the 1,000, spread evenly (each 4 to 10 s of prompt evaluation here)
CLIENTS = 4
CHAT_MAX_TOKENS = 32
GROWTH_TARGET_MIB = 50.0


def plan(round_: int) -> list[tuple[str, str]]:
    """(route, text) for each request: unique questions (never asked in another round) first
    fill the query cache past its 512 entries, repeated ones then hit it; every
    1000/CHATS-th request is a chat."""
    unique = [f"{q} (team {round_}-{n})" for n in range(3) for q in never_asked(200)]
    retrieves = itertools.cycle(unique + REPEATED * 20)
    chats = itertools.cycle(QUESTIONS)
    every = REQUESTS // CHATS
    return [
        ("chat", next(chats)) if i % every == every - 1 else ("retrieve", next(retrieves))
        for i in range(REQUESTS)
    ]


async def send(client: httpx.AsyncClient, route: str, text: str) -> bool:
    if route == "chat":
        body = {"message": text, "stream": True}
        async with client.stream("POST", "/v1/chat", json=body) as response:
            await response.aread()
    else:
        response = await client.post("/v1/retrieve", json={"query": text, "k": 5})
    return response.status_code == 200


async def load(url: str, requests: list[tuple[str, str]], pid: int) -> dict[str, Any]:
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    failures, checkpoints = 0, []

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while not queue.empty():
            route, text = queue.get_nowait()
            failures += not await send(client, route, text)
            if (len(requests) - queue.qsize()) % 250 == 0:
                checkpoints.append(round(rss_mib(pid), 1))

    async with httpx.AsyncClient(base_url=url, timeout=300) as client:
        await asyncio.gather(*(worker(client) for _ in range(CLIENTS)))
    return {"failures": failures, "rss_every_250_mib": checkpoints}


def main(argv: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        root = Path(tmp)
        build_store(root / "data", SIZE)
        copy = copy_store(root / "data", root / "raw")
        env = {"COACH_LLM_MAX_TOKENS": str(CHAT_MAX_TOKENS)}
        with serve(root / "data", env) as server:
            started = rss_mib(server.pid)
            # Two chats: the second still allocates once (~80 MiB, llama.cpp and torch buffers
            # for longer inputs); after it, RSS stays flat over more chats.
            warm_up = [("retrieve", QUESTIONS[0]), ("chat", QUESTIONS[0]), ("chat", QUESTIONS[1])]
            asyncio.run(load(server.url, warm_up, server.pid))
            first_answers = rss_mib(server.pid)
            # A first round fills every bounded cache (query embeddings, filter masks, Chroma's
            # and the allocator's pools); a leak would show as growth over the second.
            asyncio.run(load(server.url, plan(0), server.pid))
            warm = rss_mib(server.pid)
            run = asyncio.run(load(server.url, plan(1), server.pid))
            after = rss_mib(server.pid)
        raw = raw_rss(copy, root / "job.json")
    figures = {
        "chunks": SIZE,
        "requests": REQUESTS,
        "chats": CHATS,
        "rss_after_start_mib": round(started, 1),
        "rss_after_first_answers_mib": round(first_answers, 1),
        "rss_after_warm_up_mib": round(warm, 1),
        "growth_over_warm_up_round_mib": round(warm - first_answers, 1),
        "rss_after_requests_mib": round(after, 1),
        "growth_over_requests_mib": round(after - warm, 1),
        "raw_libraries_rss_mib": round(raw, 1),
    } | run
    record("memory", figures)
    rows = rows_of(figures)
    print(table(rows))
    return rows


def raw_rss(data: Path, job_file: Path) -> float:
    question = QUESTIONS[0]
    payload = coach_payloads(data, [question])[question] | {"max_tokens": CHAT_MAX_TOKENS}
    return spawn(job_for(data, question, payload), job_file)[1]["rss_mib"]


def rows_of(f: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    growth = f["growth_over_requests_mib"]
    return [
        (
            "RSS after start / first answers",
            f"{f['rss_after_start_mib']} / {f['rss_after_first_answers_mib']} MiB",
            f"{f['raw_libraries_rss_mib']} MiB libraries",
            f"{f['rss_after_first_answers_mib'] / f['raw_libraries_rss_mib']:.2f}x",
        ),
        (
            f"RSS growth over a first {f['requests']:,} requests",
            f"{f['growth_over_warm_up_round_mib']} MiB",
            "-",
            "(caches and pools filling)",
        ),
        (
            f"RSS growth over {f['requests']:,} more requests",
            f"{growth} MiB ({f['failures']} failed)",
            f"every 250: {f['rss_every_250_mib']}",
            f"{'met' if growth <= GROWTH_TARGET_MIB else 'MISSED'}: <= {GROWTH_TARGET_MIB:.0f} MiB",
        ),
    ]


if __name__ == "__main__":
    main()
