"""`python -m evals.cli` (mounted as `coach eval`): run the evaluation and write the report,
or compare two runs' metrics.json."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from evals.datasets import EVALS_DIR

REPORTS_DIR = EVALS_DIR / "reports"

app = typer.Typer(
    help="Evaluate Learning Ops Coach offline: metrics.json, report.md and charts.",
    add_completion=False,
)


class ProviderChoice(enum.StrEnum):
    local = "local"
    openai = "openai"


class SubsetChoice(enum.StrEnum):
    fast = "fast"
    full = "full"


class ProgressTracker:
    """One progress bar per step of the run."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def section(self, description: str, total: int) -> Callable[[], None]:
        task = self._progress.add_task(description, total=total)
        return lambda: self._progress.advance(task)


def default_out() -> Path:
    return REPORTS_DIR / dt.datetime.now().strftime("%Y%m%d-%H%M%S")


@app.callback(invoke_without_command=True)
def evaluate(
    provider: Annotated[
        ProviderChoice,
        typer.Option(help="local: the embedded models. openai: the usual COACH_* settings."),
    ] = ProviderChoice.local,
    out: Annotated[
        Path | None,
        typer.Option(help="Folder for the outputs (default: evals/reports/<timestamp>/)."),
    ] = None,
    subset: Annotated[
        SubsetChoice,
        typer.Option(help="fast: the CI subset (about 2 minutes). full: every case."),
    ] = SubsetChoice.full,
    compare: Annotated[
        tuple[Path, Path] | None,
        typer.Option(help="Compare two metrics.json files (A B), print the table and exit."),
    ] = None,
) -> None:
    """Run the evaluation in-process and write metrics.json, report.md and PNG charts."""
    console = Console()
    if compare is not None:
        from evals.compare import print_comparison

        for path in compare:
            if not path.is_file():
                console.print(f"[red]No such file: {path}[/red]")
                raise typer.Exit(2)
        print_comparison(*compare, console=console)
        return
    from coach.settings import prepare_offline_environment

    prepare_offline_environment()
    from evals import report
    from evals.runner import run

    target = out or default_out()
    columns = (
        TextColumn("{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=console) as progress:
            result = run(provider.value, subset.value, ProgressTracker(progress))
    except ValueError as error:  # invalid COACH_* settings for --provider openai
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    paths = report.write(result, target)
    _summary(console, result.metrics)
    console.print(f"Took {result.meta['seconds']:.0f} s. Report: {paths['report']}")


def _summary(console: Console, metrics: dict[str, float]) -> None:
    from rich.table import Table

    from evals.catalog import HEADLINES
    from evals.results import fmt

    grid = Table(title="Headline metrics")
    grid.add_column("metric")
    grid.add_column("key", style="dim")
    grid.add_column("value", justify="right")
    for headline in HEADLINES:
        if headline.key in metrics:
            grid.add_row(headline.label, headline.key, fmt(headline.key, metrics[headline.key]))
    console.print(grid)


if __name__ == "__main__":
    app()
