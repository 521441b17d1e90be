"""A model stream with deadlines: a provider that is down, hangs or crawls must not hold the
person up; after the deadline the coach answers from the documents instead."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator

_DONE = object()


class ModelTimeoutError(TimeoutError):
    pass


def with_deadlines(
    start: Callable[[], Iterable[str]], *, first_token_seconds: float, total_seconds: float
) -> Iterator[str]:
    """Pieces of `start()` as they arrive. Raises ModelTimeoutError when the first piece takes
    longer than `first_token_seconds` or the whole stream longer than `total_seconds`, and
    re-raises the provider's own error. The provider keeps running in a daemon thread until it
    ends by itself; nothing waits for it."""
    pieces: queue.Queue[object] = queue.Queue()

    def produce() -> None:
        try:
            for piece in start():
                pieces.put(piece)
            pieces.put(_DONE)
        except BaseException as error:  # handed to the consumer
            pieces.put(error)

    threading.Thread(target=produce, name="model-stream", daemon=True).start()
    begun = time.monotonic()
    first = True
    while True:
        limit = first_token_seconds if first else total_seconds - (time.monotonic() - begun)
        try:
            item = pieces.get(timeout=max(limit, 0.001))
        except queue.Empty:
            which = "first token" if first else "answer"
            raise ModelTimeoutError(f"the model's {which} took too long") from None
        if item is _DONE:
            return
        if isinstance(item, BaseException):
            raise item
        first = False
        yield str(item)
