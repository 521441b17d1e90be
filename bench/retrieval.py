"""/v1/retrieve over HTTP next to the libraries underneath, at 1k, 10k and 100k chunks.

coach: POST /v1/retrieve (k=5, hybrid) to a `coach serve` subprocess on loopback (httpx).
raw:   SentenceTransformer.encode(query) + chromadb collection.query(n_results=5), in this
       process, on the same collection (the server and this process open the same store).

All sizes are served at once and every side is timed in turn, query by query, so a change
in the machine's load weighs on both sides and on every size alike.
"cold" questions were never asked before (the retriever's query-embedding cache misses);
"repeated" ones were asked once before (it hits). Targets: cold p95 <= 1.2x raw at 10k;
coach p95 at 100k <= 2x coach p95 at 1k.

Then the split of a cold retrieval at 10k, in this process on a copy of the store: the query
embedding, BM25, Chroma's nearest-neighbour query, fusion, a kind filter, the response's
serialisation, and what HTTP and the middleware add (the server's p50 less the p50 of the
same retrieval in this process, timed in turn with the others, and the serialisation). Both
sides embed with torch (the default backend).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from bench.common import ms, percentile, record, serve, table, verdict
from bench.corpus import build_store, copy_store, encoder, raw_collection
from bench.queries import REPEATED, never_asked

SIZES = (1_000, 10_000, 100_000)
K = 5
COLD = 100  # never-asked questions, per size and side
REPEATS = 5  # passes over the 20 repeated questions
TARGET = 1.2  # cold p95 at 10k, as a multiple of raw
SPLIT_SIZE = 10_000
SPLIT_QUERIES = 60


def raw_retrieve(collection: Any) -> Callable[[str], object]:
    model = encoder()

    def run(query: str) -> object:
        vector = model.encode(query, normalize_embeddings=True)
        return collection.query(
            query_embeddings=[vector], n_results=K, include=["documents", "metadatas", "distances"]
        )

    return run


def coach_retrieve(client: httpx.Client, mode: str = "hybrid") -> Callable[[str], object]:
    def run(query: str) -> object:
        response = client.post("/v1/retrieve", json={"query": query, "k": K, "mode": mode})
        response.raise_for_status()
        return response.json()

    return run


def coach_health(client: httpx.Client) -> Callable[[str], object]:
    return lambda _: client.get("/healthz")


def timed(call: Callable[[str], object], query: str) -> float:
    start = time.perf_counter()
    call(query)
    return time.perf_counter() - start


def alternate(
    queries: list[str], sides: dict[str, Callable[[str], object]]
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in sides}
    for query in queries:
        for name, call in sides.items():
            times[name].append(timed(call, query))
    return times


def summary(times: dict[str, list[float]]) -> dict[str, float]:
    return {
        f"{side}_{stat}_ms": round(percentile(values, q) * 1000, 2)
        for side, values in times.items()
        for stat, q in (("p50", 50), ("p95", 95))
    }


def measure(root: Path, sizes: list[int]) -> dict[str, dict[str, Any]]:
    """All sizes served at once and timed in turn, query by query: a change in the machine's
    load weighs on every size and side alike, so sizes compare as well as sides."""
    built = {size: build_store(root / f"data-{size}", size) for size in sizes}
    raws = {
        s: raw_retrieve(raw_collection(copy_store(root / f"data-{s}", root / f"raw-{s}")))
        for s in sizes
    }
    with ExitStack() as stack:
        clients = {}
        for size in sizes:
            server = stack.enter_context(serve(root / f"data-{size}"))
            clients[size] = stack.enter_context(httpx.Client(base_url=server.url, timeout=300))
        first = {
            s: timed(coach_retrieve(c), "first request: waits for the keyword index")
            for s, c in clients.items()
        }
        sides: dict[str, Callable[[str], object]] = {}
        for size in sizes:
            sides |= {f"coach{size}": coach_retrieve(clients[size]), f"raw{size}": raws[size]}
        alternate(REPEATED[:3], sides)  # first calls in every process (allocations, caches)
        in_process = split_retriever(root, SPLIT_SIZE) if SPLIT_SIZE in sizes else None
        if in_process:  # the same retrieval without HTTP, taking its turn with the others
            sides[f"inprocess{SPLIT_SIZE}"] = cold_in_process(*in_process)
        cold = alternate(never_asked(COLD), sides)
        sides.pop(f"inprocess{SPLIT_SIZE}", None)
        alternate(REPEATED, {k: v for k, v in sides.items() if k.startswith("coach")})  # cached
        warm = alternate(REPEATED * REPEATS, sides)
        extra: dict[str, Callable[[str], object]] = {}
        for size, client in clients.items():
            extra |= {
                f"healthz{size}": coach_health(client),
                f"vector{size}": coach_retrieve(client, "vector"),
                f"keyword{size}": coach_retrieve(client, "keyword"),
            }
        more = alternate(REPEATED, extra)
    split = profile_split(*in_process) if in_process else {}
    if in_process:
        split["retrieve_in_process_interleaved"] = round(
            percentile(cold[f"inprocess{SPLIT_SIZE}"], 50) * 1000, 2
        )
    return {
        str(size): {
            "chunks": size,
            "build_seconds": round(built[size], 1),
            "first_request_ms": round(first[size] * 1000, 1),
            "cold": summary({side: cold[f"{side}{size}"] for side in ("coach", "raw")}),
            "repeated": summary({side: warm[f"{side}{size}"] for side in ("coach", "raw")})
            | summary({f"coach_{m}": more[f"{m}{size}"] for m in ("vector", "keyword")}),
            "http_floor": summary({"healthz": more[f"healthz{size}"]}),
        }
        | ({"split_ms": split} if size == SPLIT_SIZE else {})
        for size in sizes
    }


def split_retriever(root: Path, size: int) -> tuple[Any, Any]:
    """The server's retriever and store, built the same way in this process on a copy."""
    from bench.common import pin_torch_threads
    from bench.corpus import settings_for
    from coach.keyword_cache import KeywordIndexCache
    from coach.retrieval import Retriever
    from coach.store import open_store

    pin_torch_threads()
    data = copy_store(root / f"data-{size}", root / f"split-{size}")
    settings = settings_for(data)
    store = open_store(settings)
    cache = KeywordIndexCache(settings.keyword_index_path)
    retriever = Retriever(store, min_relevance=settings.min_relevance, keyword_cache=cache)
    retriever.warm()
    retriever.retrieve("warm-up", K)
    return retriever, store


def cold_in_process(retriever: Any, store: Any) -> Callable[[str], object]:
    from coach.lru import Lru

    def run(query: str) -> object:
        store.embeddings._queries = Lru(1)  # never seen, like the HTTP side's questions
        return retriever.retrieve(query, K)

    return run


def profile_split(retriever: Any, store: Any) -> dict[str, float]:
    """Median milliseconds of each step of a cold hybrid retrieval (k=5), in this process."""
    from statistics import median

    from api.schemas import RetrievedPassage, RetrieveResponse
    from coach.lru import Lru
    from coach.providers.query_cache import CachedQueryEmbeddings
    from coach.retrieval import CANDIDATES, Filters

    assert isinstance(store.embeddings, CachedQueryEmbeddings)
    cached, encoder_ = store.embeddings, store.embeddings.inner
    queries = never_asked(SPLIT_QUERIES, offset=COLD)
    for query in REPEATED[:3]:  # first calls (allocations, the kind filter's mask)
        retriever.retrieve(query, K)
        retriever.retrieve(query, K, kinds=["playbook"])
    steps: dict[str, list[float]] = {}

    def step(name: str, call: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = call()
        steps.setdefault(name, []).append(time.perf_counter() - start)
        return result

    nothing = Filters()
    for query in queries:
        vector = step("embed", partial(encoder_.embed_query, query))
        lexical = step("bm25", partial(retriever._keywords.search, query, CANDIDATES))
        step("chroma_nearest", partial(store.nearest, vector, CANDIDATES))
        semantic = retriever._semantic(vector, CANDIDATES, nothing)
        step("fusion", partial(retriever._fuse, vector, semantic, lexical, K))
        cached._queries = Lru(1)  # cold again: every side below embeds the question
        passages = step("retrieve_in_process", partial(retriever.retrieve, query, K))
        cached._queries = Lru(1)
        step("retrieve_kind_filter", partial(retriever.retrieve, query, K, kinds=["playbook"]))
        body = [
            RetrievedPassage(
                source=p.source,
                title=p.title,
                kind=p.kind,
                text=p.text,
                score=p.score,
                similarity=round(p.similarity, 6),
            )
            for p in passages
        ]
        step("serialisation", RetrieveResponse(results=body).model_dump_json)
    split = {name: round(median(values) * 1000, 2) for name, values in steps.items()}
    split["filter_extra"] = round(split["retrieve_kind_filter"] - split["retrieve_in_process"], 2)
    return split


def main(argv: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        results = measure(Path(tmp), args.sizes)
    figures: dict[str, Any] = {"k": K, "cold_queries": COLD, "sizes": results}
    for size, result in results.items():
        for run in ("cold", "repeated"):
            stats = result[run]
            figures[f"p95_ratio_{run}_{size}"] = round(
                stats["coach_p95_ms"] / stats["raw_p95_ms"], 3
            )
    if {"1000", "100000"} <= results.keys():
        for run in ("cold", "repeated"):
            growth = results["100000"][run]["coach_p95_ms"] / results["1000"][run]["coach_p95_ms"]
            figures[f"p95_growth_1k_to_100k_{run}"] = round(growth, 3)
    record("retrieval", figures)
    rows = rows_of(figures)
    print(table(rows))
    return rows


def rows_of(f: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = []
    for size, result in f["sizes"].items():
        for run in ("cold", "repeated"):
            stats, ratio = result[run], f[f"p95_ratio_{run}_{size}"]
            rows.append(
                (
                    f"retrieve p95 {run}, {int(size):,} chunks",
                    f"{stats['coach_p95_ms']} ms (p50 {stats['coach_p50_ms']})",
                    f"{stats['raw_p95_ms']} ms (p50 {stats['raw_p50_ms']})",
                    verdict(ratio, f"<= {TARGET}x", ratio <= TARGET)
                    if size == "10000" and run == "cold"
                    else f"{ratio:.2f}x",
                )
            )
    for run in ("cold", "repeated"):
        if (growth := f.get(f"p95_growth_1k_to_100k_{run}")) is not None:
            rows.append(
                (
                    f"retrieve p95 {run}, 100k vs 1k",
                    f"{f['sizes']['100000'][run]['coach_p95_ms']} ms",
                    f"{f['sizes']['1000'][run]['coach_p95_ms']} ms at 1k",
                    verdict(growth, "<= 2x", growth <= 2.0),
                )
            )
    split = f["sizes"].get(str(SPLIT_SIZE), {}).get("split_ms")
    if split:
        http = f["sizes"][str(SPLIT_SIZE)]["cold"]["coach_p50_ms"]
        in_process = split.get("retrieve_in_process_interleaved", split["retrieve_in_process"])
        outside = http - in_process - split["serialisation"]
        rows.append(
            (
                f"  split of a cold retrieve, {SPLIT_SIZE:,} chunks (p50 ms)",
                f"embed {split['embed']}, BM25 {split['bm25']} (beside the embedding), "
                f"Chroma {split['chroma_nearest']}, fusion {split['fusion']}",
                f"in-process {in_process}, kind filter "
                f"{split['filter_extra']:+}, serialisation {split['serialisation']}",
                f"HTTP + middleware {outside:.1f} (of {http} over HTTP)",
            )
        )
    for size, result in f["sizes"].items():
        floor = result["http_floor"]["healthz_p50_ms"]
        rows.append(
            (
                f"first retrieve, {int(size):,} chunks",
                ms(result["first_request_ms"] / 1000),
                f"HTTP floor {floor} ms",
                "(keyword index loaded, as `coach ingest` saved it)",
            )
        )
    return rows


if __name__ == "__main__":
    main()
