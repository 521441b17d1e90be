"""The autonomy view as a PNG: four small charts over the months. matplotlib is imported here
only (it comes with the `eval` and `dev` extras), so the coach runs without it."""

from __future__ import annotations

import io
from collections.abc import Sequence

from coach.community.autonomy import MonthAutonomy

PANELS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Sessions run by employees",
        (
            ("sessions_by_employees", "sessions"),
            ("first_time_hosts", "first-time hosts"),
            ("repeat_hosts", "repeat hosts"),
            ("attendees_who_later_hosted", "attendees who later hosted"),
        ),
    ),
    ("Run without a hand-off (share)", (("share_without_handoff", "share"),)),
    (
        "Hand-offs and unanswered questions",
        (
            ("handoffs_per_100_conversations", "hand-offs per 100 conversations"),
            ("unanswered_questions", "questions the library could not answer"),
        ),
    ),
    (
        "Communities and interests",
        (
            ("communities_active", "communities active"),
            ("interests_became_sessions", "interests that became sessions"),
            ("median_days_interest_to_session", "median days from interest to session"),
        ),
    ),
)


def render(rows: Sequence[MonthAutonomy], title: str = "Autonomy, month by month") -> bytes:
    """A PNG of the four panels (an empty month is a gap in its line)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    months = [row.month for row in rows]
    figure, axes = pyplot.subplots(2, 2, figsize=(12, 7.5), sharex=True)
    for axis, (heading, series) in zip(axes.flat, PANELS, strict=True):
        for name, label in series:
            values = [getattr(row, name) for row in rows]
            axis.plot(months, [float("nan") if v is None else v for v in values], marker="o",
                      label=label)  # fmt: skip
        axis.set_title(heading, fontsize=10)
        axis.grid(alpha=0.3)
        axis.legend(fontsize=7, loc="upper left")
        axis.tick_params(axis="x", labelrotation=45, labelsize=7)
    figure.suptitle(title)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=100)
    pyplot.close(figure)
    return out.getvalue()
