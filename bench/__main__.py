"""`python -m bench`: every benchmark, each in its own process, then one combined table.

Each module records its figures in bench/results/latest.json; the table is built from there,
so a module that fails shows as failed instead of stopping the others.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import chat, concurrency, ingest, memory, retrieval, startup
from bench.common import RESULTS, record, table

Row = tuple[str, str, str, str]


BENCHMARKS: list[tuple[str, list[str], Callable[[dict[str, Any]], list[Row]]]] = [
    ("ingest", [], ingest.rows_of),
    ("retrieval", [], retrieval.rows_of),
    ("chat", [], chat.rows_of),
    ("concurrency", [], lambda f: concurrency.rows_of(f["coach"], f["raw"])),
    ("memory", [], memory.rows_of),
    ("startup", [], startup.rows_of),
]


def measured_since(figures: dict[str, Any], started: float) -> bool:
    stamp = str(figures.get("measured_at", ""))[:19]  # written by record(), local time
    return bool(stamp) and time.mktime(time.strptime(stamp, "%Y-%m-%dT%H:%M:%S")) + 1 >= started


def main() -> None:
    started, seconds = time.time(), {}
    root = Path(__file__).resolve().parents[1]
    for name, args, _ in BENCHMARKS:
        print(f"== bench.{name}", flush=True)
        begun = time.perf_counter()
        command = [sys.executable, "-m", f"bench.{name}", *args]
        subprocess.run(command, cwd=root, check=False)
        seconds[name] = round(time.perf_counter() - begun, 1)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    rows: list[Row] = []
    for name, _, rows_of in BENCHMARKS:
        figures = results.get(name, {})
        if not measured_since(figures, started):
            rows.append((f"[{name}]", "FAILED (no figures from this run)", "-", "-"))
            continue
        rows.append((f"[{name}] {seconds[name]} s", "", "", ""))
        rows += rows_of(figures)
    total = round(time.time() - started, 1)
    record("all", {"seconds": seconds, "total_seconds": total, "load_average": os.getloadavg()})
    print(f"\nAll benchmarks in {total} s (target < 600 s) on {os.cpu_count()} CPUs\n")
    print(table(rows))


if __name__ == "__main__":
    main()
