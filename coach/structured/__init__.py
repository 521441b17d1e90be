"""What a capable model reads, through LangChain's structured output.

With an OpenAI-compatible model configured (`COACH_LLM=openai`, `COACH_STRUCTURED_OUTPUT` on),
the model reads turn intents, session requests and, at ingest, the rules of the playbooks, into
the same types the offline readers return. A model that fails, is too slow or returns data that
does not fit leaves the offline reader to answer: the offline path is never removed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Generic, Literal, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)

Method = Literal["function_calling", "json_schema", "json_mode"]
S = TypeVar("S", bound=BaseModel)


class StructuredReader(Generic[S]):
    """`model.with_structured_output(schema)`, returning None instead of raising."""

    def __init__(
        self, model: BaseChatModel, schema: type[S], method: Method = "function_calling"
    ) -> None:
        self.schema = schema
        self._runnable = model.with_structured_output(schema, method=method)

    def read(self, messages: Sequence[BaseMessage]) -> S | None:
        try:
            got = self._runnable.invoke(list(messages))
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
