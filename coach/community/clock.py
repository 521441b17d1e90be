"""The real clock and id generator (tests inject fixed ones)."""

from __future__ import annotations

import datetime as dt
import uuid


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class RandomIds:
    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{uuid.uuid4().hex[:16]}"
