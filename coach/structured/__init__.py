"""What a capable model reads, through LangChain's structured output.

With an OpenAI-compatible model configured (`COACH_LLM=openai`, `COACH_STRUCTURED_OUTPUT` on),
the model reads turn intents, session requests and, at ingest, the rules of the playbooks, into
the same types the offline readers return. A model that fails, is too slow or returns data that
does not fit leaves the offline reader to answer: the offline path is never removed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Generic, Literal, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)

Method = Literal["function_calling", "json_schema", "json_mode"]
S = TypeVar("S", bound=BaseModel)


class StructuredReader(Generic[S]):
    """`model.with_structured_output(schema)`, returning None instead of raising."""

    def __init__(
        self,
        model: BaseChatModel,
        schema: type[S],
        method: Method = "function_calling",
        *,
        deadline_seconds: float | None = None,
    ) -> None:
        self.schema = schema
        self._runnable = model.with_structured_output(schema, method=method)
        # A reading someone is waiting for (a chat turn) gives up after this long: the offline
        # reader answers instead, so a slow model never holds a person up.
        self._deadline = deadline_seconds

    def _invoke(self, messages: list[BaseMessage]) -> Any:
        if self._deadline is None:
            return self._runnable.invoke(messages)
        return _with_deadline(self._runnable, messages, self._deadline)

    def read(self, messages: Sequence[BaseMessage]) -> S | None:
        try:
            got = self._invoke(list(messages))
        except (ValidationError, ValueError, TypeError, LookupError) as error:
            log.warning("%s: the model's data did not fit (%s)", self.schema.__name__, error)
            return None
        except Exception as error:  # down, too slow, refused: the offline reader answers
            log.warning("%s: the model could not read (%s)", self.schema.__name__, error)
            return None
        if isinstance(got, self.schema):
            return got
        try:
            return self.schema.model_validate(got)
        except ValidationError as error:
            log.warning("%s: the model's data did not fit (%s)", self.schema.__name__, error)
            return None


_WAITERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="structured-read")


def _call(runnable: Any, messages: list[BaseMessage]) -> Any:
    return runnable.invoke(messages)


def _with_deadline(runnable: Any, messages: list[BaseMessage], seconds: float) -> Any:
    future = _WAITERS.submit(_call, runnable, messages)
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        future.cancel()
        raise TimeoutError(f"no structured answer within {seconds:g} s") from None
