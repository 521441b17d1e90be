"""With Redis configured, workers share one rate limit: two workers (each its own app and
limiter, as `--workers 2` makes them) together allow the limit once, not twice."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from pydantic import SecretStr

from coach.services import Services
from tests.reliability.security.conftest import ALICE, KEYS
from tests.reliability.security.services import redis_url

Build = Callable[..., tuple[Services, TestClient]]


def test_two_workers_share_the_limit_through_redis(build: Build) -> None:
    shared = {"api_keys": SecretStr(KEYS), "rate_limit_per_minute": 4, "redis_url": redis_url()}
    _, first = build(**shared)
    _, second = build(**shared)
    codes = [
        (first if i % 2 == 0 else second)
        .post("/v1/retrieve", json={"query": "brown-bag"}, headers=ALICE)
        .status_code
        for i in range(8)
    ]
    assert codes.count(200) == 4
    assert codes[4:] == [429] * 4


def test_without_redis_each_worker_counts_alone(build: Build) -> None:
    alone = {"api_keys": SecretStr(KEYS), "rate_limit_per_minute": 2}
    _, first = build(**alone)
    _, second = build(**alone)
    for client in (first, second):
        codes = [
            client.post("/v1/retrieve", json={"query": "b"}, headers=ALICE).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]
