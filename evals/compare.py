"""Compare two metrics.json files: every shared key with both values, the change, and whether
it is better or worse (most metrics are better higher; leak and ungrounded rates lower)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from evals.results import is_count, lower_is_better

# Changes smaller than this are noise on datasets of this size.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Change:
    key: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def verdict(self) -> str:
        delta = self.delta
        if delta is None:
            return "added" if self.before is None else "removed"
        if abs(delta) <= TOLERANCE:
            return "same"
        if is_count(self.key):
            return "count"
        better = delta < 0 if lower_is_better(self.key) else delta > 0
        return "better" if better else "worse"


def load_metrics(path: Path) -> dict[str, float]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a metrics.json object")
    return {str(k): float(v) for k, v in data.items() if isinstance(v, int | float)}


def compare(before: dict[str, float], after: dict[str, float]) -> list[Change]:
    keys = sorted(set(before) | set(after))
    return [Change(k, before.get(k), after.get(k)) for k in keys]


STYLES = {"better": "green", "worse": "bold red", "same": "dim", "count": "dim"}


def print_comparison(first: Path, second: Path, console: Console | None = None) -> list[Change]:
    console = console or Console()
    changes = compare(load_metrics(first), load_metrics(second))
    grid = Table(title=f"{first}  →  {second}", show_lines=False)
    grid.add_column("metric")
    grid.add_column("A", justify="right")
    grid.add_column("B", justify="right")
    grid.add_column("Δ", justify="right")
    grid.add_column("", justify="left")
    for change in changes:
        style = STYLES.get(change.verdict, "yellow")
        values = [
            "—" if v is None else f"{v:.3f}" for v in (change.before, change.after, change.delta)
        ]
        if change.delta is not None and change.delta > 0:
            values[2] = "+" + values[2]
        grid.add_row(change.key, *values, change.verdict, style=style)
    console.print(grid)
    worse = [c for c in changes if c.verdict == "worse"]
    better = [c for c in changes if c.verdict == "better"]
    console.print(f"{len(better)} better, {len(worse)} worse, {len(changes)} metrics compared.")
    return changes
