"""PNG charts for the report (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from evals.catalog import HEADLINES
from evals.results import fmt, lower_is_better

GOOD, BAD, NEUTRAL = "#2e7d32", "#c62828", "#1565c0"
SECTION_COLOURS = {
    "retrieval": "#1565c0", "answers": "#6a1b9a", "routing": "#00838f", "plans": "#ef6c00",
    "safety": "#c62828",
}  # fmt: skip


def metric_bars(metrics: Mapping[str, float], path: Path) -> Path | None:
    """One horizontal bar per headline metric on a 0-1 scale (counts are shown as-is)."""
    rows = [(h.label, metrics[h.key], h.key) for h in HEADLINES if h.key in metrics]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(rows) + 1.2))
    labels = [f"{label} {'↓' if lower_is_better(key) else ''}".strip() for label, _, key in rows]
    values = [value for _, value, _ in rows]
    colours = [SECTION_COLOURS.get(key.split(".")[0], NEUTRAL) for _, _, key in rows]
    positions = range(len(rows))
    ax.barh(list(positions), [min(v, 1.0) for v in values], color=colours)
    for y, (_, value, key) in zip(positions, rows, strict=True):
        ax.text(min(value, 1.0) + 0.01, y, fmt(key, value), va="center", fontsize=9)
    ax.set_yticks(list(positions), labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    ax.set_xlabel("score (↓ marks rates and counts where lower is better)")
    ax.set_title("Headline metrics")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def confusion_heatmap(labels: Sequence[str], matrix: Sequence[Sequence[int]], path: Path) -> Path:
    size = max(4.5, 0.9 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    image = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right", fontsize=9)
    ax.set_yticks(range(len(labels)), labels, fontsize=9)
    ax.set_xlabel("classified as")
    ax.set_ylabel("labelled")
    peak = max((max(row) for row in matrix), default=0) or 1
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            if count:
                colour = "white" if count > peak / 2 else "black"
                weight = "bold" if i == j else "normal"
                ax.text(j, i, str(count), ha="center", va="center", color=colour, weight=weight)
    ax.set_title("Intent confusion matrix")
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def recall_curves(curves: Mapping[str, Sequence[float]], path: Path) -> Path | None:
    """recall@k for k = 1..10, one line per knowledge set and mode."""
    if not curves:
        return None
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, values in sorted(curves.items()):
        knowledge, mode = name.split(".")
        ax.plot(
            range(1, len(values) + 1),
            values,
            marker="o",
            linestyle="-" if mode == "hybrid" else "--",
            color=GOOD if knowledge == "bundled" else NEUTRAL,
            alpha=1.0 if mode == "hybrid" else 0.7,
            label=f"{knowledge}, {mode}",
        )
    ax.set_xticks(range(1, 11))
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("k (files retrieved)")
    ax.set_ylabel("recall@k")
    ax.set_title("Recall@k: vector-only vs hybrid")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
