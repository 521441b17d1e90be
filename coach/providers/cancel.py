"""Cancelling a generation whose caller has gone.

A chat that passed its deadline, or whose client went away, must not keep the model busy: the
waiting caller sets a flag, and the provider checks it in its token loop (and while it waits
for the model), so an abandoned generation stops at its next token and a queued one never
starts. The flag travels in a context variable, set in the thread that runs the generation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_flag: ContextVar[threading.Event | None] = ContextVar("coach_generation_cancelled", default=None)


def cancelled() -> bool:
    """Whether the caller of the generation running in this thread has gone."""
    flag = _flag.get()
    return flag is not None and flag.is_set()


@contextmanager
def cancellable(flag: threading.Event) -> Iterator[None]:
    """Generations started inside stop once `flag` is set."""
    token = _flag.set(flag)
    try:
        yield
    finally:
        _flag.reset(token)


def acquire_unless_cancelled(lock: threading.Lock, poll_seconds: float = 0.05) -> bool:
    """Wait for `lock`, giving up (False) as soon as the generation is cancelled."""
    while not lock.acquire(timeout=poll_seconds):
        if cancelled():
            return False
    if cancelled():
        lock.release()
        return False
    return True
