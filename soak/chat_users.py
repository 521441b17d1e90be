"""32 people chatting for 2 minutes against a real server on loopback: server errors (target
0), latency percentiles, and the server's resident memory at the start and the end."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

QUESTIONS = [
    "How long should a brown-bag be?",
    "How far ahead do I book a room?",
    "Who has run a session on Kubernetes?",
    "What is the yearly learning budget?",
    "How do I invite an external speaker?",
    "Help me organise a lunch and learn about negotiation for 30 people",
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def user(
    client: httpx.AsyncClient, until: float, latencies: list[float], errors: list[int]
) -> None:
    conversation = None
    while time.monotonic() < until:
        started = time.monotonic()
        response = await client.post(
            "/v1/chat", json={"message": random.choice(QUESTIONS), "conversation_id": conversation}
        )
        latencies.append(time.monotonic() - started)
        if response.status_code >= 500:
            errors.append(response.status_code)
        elif response.status_code == 200:
            conversation = response.json()["conversation_id"]


async def run(url: str, users: int, seconds: float) -> tuple[list[float], list[int]]:
    latencies: list[float] = []
    errors: list[int] = []
    until = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=300) as client:
        await asyncio.gather(*(user(client, until, latencies, errors) for _ in range(users)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    coach = str(Path(sys.executable).with_name("coach"))
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {
            "COACH_DATA_DIR": f"{tmp}/data",
            "COACH_RATE_LIMIT_PER_MINUTE": "1000000",
        }
        subprocess.run([coach, "ingest"], env=env, check=True, capture_output=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [coach, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{url}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            start_rss = rss_mb(server.pid)
            latencies, errors = asyncio.run(run(url, args.users, args.seconds))
            end_rss = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{len(latencies)} answers from {args.users} users in {args.seconds:.0f} s; "
        f"server errors: {len(errors)}"
    )
    print(f"latency p50 {cuts[49]:.2f} s, p95 {cuts[94]:.2f} s")
    print(f"server memory {start_rss:.0f} MB at start, {end_rss:.0f} MB at the end")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
