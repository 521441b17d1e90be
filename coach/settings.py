"""One typed settings object, read from `COACH_*` environment variables and `.env`.

Built at the entry point (CLI, app factory, tests) and passed down; nothing reads the
environment at import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ProviderMode = Literal["local", "openai", "fake"]
EmbeddingsBackend = Literal["torch", "onnx", "onnx-int8"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="COACH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(
        default=Path(".coach-data"),
        description="Holds the Chroma store and the database.",
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; defaults to a SQLite file in data_dir."
    )
    sqlite_busy_timeout_ms: int = Field(
        default=5000, ge=0, description="How long a SQLite write waits for a lock."
    )
    chroma_url: str | None = Field(
        default=None, description="http://host:port of a Chroma server; embedded store if unset."
    )
    collection: str = "knowledge"

    llm: ProviderMode = "local"
    llm_model: str | None = Field(
        default=None,
        description="Model name for openai mode, or a GGUF path for local mode "
        "(default: the bundled SmolLM2-135M-Instruct).",
    )
    llm_base_url: str | None = None
    llm_max_tokens: int = Field(default=256, ge=16, le=4096)
    llm_temperature: float = Field(default=0.1, ge=0.0, le=2.0)
    llm_timeout_seconds: float = Field(default=60.0, gt=0)
    llm_first_token_seconds: float | None = Field(
        default=None,
        gt=0,
        description="Without a first token by then, the coach answers from the documents "
        "(default: 4 s for a model server, 30 s for the in-process model, which never hangs "
        "on a network but may still be loading).",
    )
    llm_context_tokens: int = Field(default=4096, ge=512)
    llm_threads: int | None = Field(default=None, ge=1)
    warm_up: bool = Field(
        default=True,
        description="At start-up, build the keyword index and load the models in the "
        "background, so the first answer does not wait for them.",
    )

    embeddings: ProviderMode = "local"
    embeddings_model: str | None = Field(
        default=None,
        description="Model name for openai mode, or a sentence-transformers folder for local mode "
        "(default: the bundled all-MiniLM-L6-v2).",
    )
    embeddings_backend: EmbeddingsBackend = Field(
        default="torch",
        description="What runs the local embedding model: torch (sentence-transformers), onnx "
        "(ONNX Runtime, exported from the installed model into data_dir on first use) or "
        "onnx-int8 (the same, int8 dynamic quantization). Each builds its own index: switching "
        "needs `coach ingest --rebuild`.",
    )
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("COACH_OPENAI_API_KEY", "OPENAI_API_KEY")
    )

    retrieve_k: int = Field(default=5, ge=1, le=50)
    min_relevance: float = Field(
        default=0.25,
        ge=-1.0,
        le=1.0,
        description="Cosine similarity under which a passage counts as not relevant.",
    )
    min_answer_similarity: float = Field(
        default=0.45,
        ge=-1.0,
        le=1.0,
        description="How close in meaning (cosine) the best sentence of the documents must be "
        "to a question to answer it; below, the coach says the library does not cover it. "
        "Calibrated for the bundled embedding model.",
    )
    min_answer_standout: float = Field(
        default=0.15,
        ge=0.0,
        le=1.0,
        description="How much the best sentence must stand out from the typical retrieved "
        "sentence (the median of the 15 closest) to answer: many sentences about equally near "
        "mean the library does not answer the question. Calibrated for the bundled model.",
    )
    max_file_bytes: int = Field(default=20 * 1024 * 1024, ge=1)

    api_keys: SecretStr | None = Field(
        default=None,
        description='Comma-separated "key:role:user" entries; roles are employee and '
        "learning_ops (several joined with +). Without keys (here or from `coach keys create`) "
        "the server runs in local mode: loopback only, one local user with both roles.",
    )
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    rate_limit_per_minute: int = Field(default=120, ge=1)
    concurrent_searches: int = Field(
        default=4,
        ge=1,
        description="Searches (query embedding, BM25, vector search) run at most this many at "
        "once; more would only contend for the CPU and the interpreter lock, and slow the "
        "server's event loop. The rest wait their turn without holding a thread.",
    )
    concurrent_chats: int = Field(
        default=64,
        ge=1,
        description="Chats in progress at once, most of them waiting for the model. They wait "
        "on threads of their own, so a queue of chats never starves other requests.",
    )
    structured_output: bool = Field(
        default=True,
        description="With COACH_LLM=openai, the model also reads turn intents, session requests "
        "and (at ingest) the playbooks' rules, through LangChain's structured output; where it "
        "fails, the offline readers answer. Rules the two readers read differently are stored "
        "for review. Off: the offline readers only.",
    )
    structured_output_method: Literal["function_calling", "json_schema", "json_mode"] = Field(
        default="function_calling",
        description="How the model is asked for structured data: function_calling (tool calls: "
        "OpenAI, vLLM, Ollama, llama.cpp servers), json_schema (OpenAI's response_format) or "
        "json_mode.",
    )
    answer_mode: Literal["auto", "extractive", "generative"] = Field(
        default="auto",
        description="extractive: answers are the documents' own sentences, cited. generative: "
        "the chat model drafts and every sentence is checked against the documents. auto: "
        "extractive with the bundled model, generative with a model server.",
    )
    team_name: str | None = Field(default=None, description="The enabling team's name.")
    team_contact: str | None = None
    hr_name: str | None = Field(default=None, description="What the organisation calls HR.")
    hr_contact: str | None = None
    wellbeing_name: str | None = Field(
        default=None, description="The employee support or wellbeing service's name."
    )
    wellbeing_contact: str | None = None
    currency: str | None = Field(default=None, description="ISO code, e.g. EUR.")
    escalation_webhook_url: SecretStr | None = Field(
        default=None,
        description="Slack-compatible webhook notified of every new ticket. Its URL carries a "
        "token: it is never logged or stored in full.",
    )
    redis_url: str | None = Field(
        default=None,
        description="redis://host:port/db shared by every worker for rate limits and sign-in "
        "throttling; in-process memory when unset (one worker only).",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed (e.g. 127.0.0.1 for a TLS proxy on "
        "the same host); from anyone else those headers are ignored.",
    )
    session_hours: float = Field(
        default=12.0, gt=0, le=24 * 30, description="A web sign-in lasts this long."
    )
    failed_logins_per_15_minutes: int = Field(
        default=5, ge=1, description="Failed sign-ins allowed per client address."
    )
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    scheduler: bool = Field(
        default=True,
        description="`coach serve` sends reminders and debrief prompts as they fall due (one "
        "process leads, by a database lock). Off when a separate `coach worker` does it.",
    )
    scheduler_poll_seconds: float = Field(
        default=60.0, gt=0, description="How often the scheduler looks for what fell due."
    )

    @model_validator(mode="after")
    def _openai_needs_a_target(self) -> Settings:
        uses_openai = "openai" in (self.llm, self.embeddings)
        if uses_openai and self.openai_api_key is None and self.llm_base_url is None:
            raise ValueError(
                "COACH_LLM=openai or COACH_EMBEDDINGS=openai needs OPENAI_API_KEY "
                "or COACH_LLM_BASE_URL (an OpenAI-compatible server)."
            )
        return self

    @property
    def generates_answers(self) -> bool:
        if self.answer_mode == "auto":
            return self.llm != "local"
        return self.answer_mode == "generative"

    @property
    def reads_with_model(self) -> bool:
        """Whether the model reads intents, requests and rules (see `structured_output`)."""
        return self.structured_output and self.llm == "openai"

    def profile_overrides(self) -> dict[str, str | None]:
        names = ("team_name", "team_contact", "hr_name", "hr_contact", "wellbeing_name",
                 "wellbeing_contact", "currency")  # fmt: skip
        return {name: getattr(self, name) for name in names}

    @property
    def first_token_deadline(self) -> float:
        if self.llm_first_token_seconds is not None:
            return self.llm_first_token_seconds
        return 30.0 if self.llm == "local" else 4.0

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "index-manifest.json"

    @property
    def keyword_index_path(self) -> Path:
        return self.data_dir / "keyword-index"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'coach.db').resolve()}"


def prepare_offline_environment() -> None:
    """Keep every library off the network: models come from installed packages only."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
