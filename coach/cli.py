"""The `coach` command: `coach ingest [PATH...]` and `coach serve`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coach.settings import Settings, prepare_offline_environment

app = typer.Typer(help="Learning Ops Coach.", no_args_is_help=True, add_completion=False)


def _settings() -> Settings:
    prepare_offline_environment()
    try:
        return Settings()
    except ValueError as error:
        typer.secho(f"Invalid settings: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Folders or files to index (default: the bundled knowledge)."),
    ] = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Drop the index and re-embed everything.")
    ] = False,
) -> None:
    """Make the index mirror PATHs: new and changed files are embedded, deleted ones pruned."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from coach.core import open_store
    from coach.store import EmbeddingMismatchError
    from knowledge.ingest import Root
    from knowledge.library import BUNDLED_ROOT, KnowledgeLibrary

    settings = _settings()
    console = Console(stderr=True)
    roots = [Root(p) for p in paths] if paths else [BUNDLED_ROOT]
    try:
        store = open_store(settings, rebuild=rebuild)
        library = KnowledgeLibrary(store, settings.data_dir, max_file_bytes=settings.max_file_bytes)
        total = library.count_files(roots)
    except (FileNotFoundError, EmbeddingMismatchError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("Indexing", total=total)
        report = library.sync(
            roots, on_file=lambda source: progress.update(task, advance=1, description=source)
        )
    counts = ", ".join(f"{n} {label}" for label, n in report.counts().items())
    console.print(f"Indexed {store.count()} chunks: {counts}.")
    for source, reason in report.failed.items():
        console.print(f"[red]Failed[/red] {source}: {reason}")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API and the web UI over what is already indexed (it never ingests)."""
    import uvicorn

    from api.app import create_app
    from coach.store import EmbeddingMismatchError

    settings = _settings()
    try:
        application = create_app(settings)
    except EmbeddingMismatchError as error:
        typer.secho(str(error), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Learning Ops Coach on http://{host}:{port} (chat at /ui, API docs at /docs)")
    uvicorn.run(application, host=host, port=port, log_level="info")
