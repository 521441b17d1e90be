"""Shared helpers: a synthetic corpus, timing, and the results file."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge import BUNDLED_KNOWLEDGE_DIR

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def synthetic_corpus(target: Path, copies: int) -> Path:
    """`copies` variants of the bundled playbooks and notes, each with its own text, so no
    two files share a hash (a realistic library of `copies` x 45 files)."""
    if target.exists():
        shutil.rmtree(target)
    sources = sorted(BUNDLED_KNOWLEDGE_DIR.glob("*/*.md"))
    for copy in range(copies):
        for path in sources:
            text = path.read_text(encoding="utf-8")
            out = target / path.parent.name / f"{path.stem}-{copy:04d}.md"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(f"{text}\n\nEdition {copy} of this page, team copy {copy}.\n")
    return target


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    elapsed: list[float] = []
    yield lambda: elapsed[0] if elapsed else time.perf_counter() - start
    elapsed.append(time.perf_counter() - start)


def record(section: str, figures: dict[str, Any]) -> None:
    """Merge one benchmark's figures into bench/results/latest.json."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[section] = figures | {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    results["machine"] = {"cpus": os.cpu_count()}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


def table(rows: list[tuple[str, str, str, str]]) -> str:
    header = ("measure", "coach", "raw baseline", "ratio / target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = [
        " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in [header, *rows]
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


# --- helpers added for the HTTP benchmarks -------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) of `values`, linearly interpolated."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def ratio(coach: float, raw: float) -> float:
    return round(coach / raw, 3) if raw else float("inf")


def verdict(value: float, target: str, ok: bool) -> str:
    return f"{value:.2f}x ({'met' if ok else 'MISSED'}: {target})"


def rss_mib(pid: int) -> float:
    """Resident memory of a process (VmRSS), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A `coach serve` subprocess on loopback."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    started: float  # perf_counter() at spawn
    ready_seconds: float  # from spawn to the first /healthz 200
    warm_seconds: float | None = None  # from spawn to the first /readyz 200, when waited for

    @property
    def pid(self) -> int:
        return self.process.pid


# The rate limit (per user; local mode is one user) would turn a load test into 429s.
BENCH_ENV = {"COACH_RATE_LIMIT_PER_MINUTE": "100000000"}
# torch's intra-op threads, on both sides (server and raw baseline). With 2 threads on 2 shared
# cores a query embedding's p95 swings 5-10x with any other load; 1 thread is steady.
# BENCH_TORCH_THREADS=0 keeps the library default.
TORCH_THREADS = int(os.environ.get("BENCH_TORCH_THREADS", "1"))


def thread_env() -> dict[str, str]:
    return {"OMP_NUM_THREADS": str(TORCH_THREADS)} if TORCH_THREADS else {}


def pin_torch_threads() -> None:
    """Torch's threads in this process, and ONNX Runtime's (which reads OMP_NUM_THREADS when
    the coach opens a session), so every encoder side runs on as many threads."""
    if TORCH_THREADS:
        import torch

        torch.set_num_threads(TORCH_THREADS)
        os.environ["OMP_NUM_THREADS"] = str(TORCH_THREADS)


@contextmanager
def serve(
    data_dir: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 180,
    *,
    warm: bool = True,
) -> Iterator[Server]:
    """Start `coach serve` on a free loopback port over `data_dir`; stop it on exit.

    Inherited COACH_* and OPENAI_* variables are dropped, so the run measures the defaults
    (local models, local mode) plus `env`; the working directory has no `.env`. With `warm`,
    it returns once /readyz says the background start-up work (warm-up, web UI) is done, so
    measurements never compete with it.
    """
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OPENAI_"))}
    full_env = (
        clean | BENCH_ENV | thread_env() | {"COACH_DATA_DIR": str(data_dir)} | dict(env or {})
    )
    log = data_dir.parent / f"serve-{port}.log"
    command = [str(Path(sys.executable).parent / "coach"), "serve", "--port", str(port)]
    start = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=full_env, cwd=data_dir.parent, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            ready = wait_healthy(url, process, timeout) - start
            warmed = wait_healthy(url, process, timeout, "/readyz") - start if warm else None
        except (RuntimeError, TimeoutError) as error:
            raise RuntimeError(f"{error}:\n{log.read_text()[-3000:]}") from None
        yield Server(url, process, log, start, ready, warmed)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(
    url: str, process: subprocess.Popen[bytes], timeout: float, path: str = "/healthz"
) -> float:
    """Poll `path` every 20 ms; the perf_counter time of the first 200."""
    import httpx

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"coach serve exited with status {process.returncode}")
        try:
            if httpx.get(f"{url}{path}", timeout=1).status_code == 200:
                return time.perf_counter()
        except httpx.TransportError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"coach serve did not answer {path} within {timeout:.0f} s")
