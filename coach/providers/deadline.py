"""A model stream with deadlines: a provider that is down, hangs or crawls must not hold the
person up; after the deadline the coach answers from the documents instead."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Generator, Iterable

from coach.providers.cancel import cancellable

_DONE = object()


class ModelTimeoutError(TimeoutError):
    pass


def with_deadlines(
    start: Callable[[], Iterable[str]],
    *,
    first_token_seconds: float,
    total_seconds: float,
    cancel: threading.Event | None = None,
) -> Generator[str, None, None]:
    """Pieces of `start()` as they arrive. Raises ModelTimeoutError when the first piece takes
    longer than `first_token_seconds` or the whole stream longer than `total_seconds`, and
    re-raises the provider's own error.

    However this ends (finished, timed out, failed, or closed by a caller who has gone),
    `cancel` is set: the provider checks it in its token loop and stops, and a generation still
    queued for the model never starts (see coach.providers.cancel)."""
    flag = cancel or threading.Event()
    pieces: queue.Queue[object] = queue.Queue()

    def produce() -> None:
        with cancellable(flag):
            try:
                stream = iter(start())
                try:
                    for piece in stream:
                        if flag.is_set():
                            break
                        pieces.put(piece)
                finally:
                    close = getattr(stream, "close", None)
                    if close is not None:
                        close()
                pieces.put(_DONE)
            except BaseException as error:  # handed to the consumer
                pieces.put(error)

    threading.Thread(target=produce, name="model-stream", daemon=True).start()
    begun = time.monotonic()
    first = True
    try:
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
    finally:
        flag.set()
