"""The `coach` command: `coach ingest [PATH...]`, `coach serve`, `coach mcp`, `coach check` and
more.

It only starts things: each command imports what it starts inside itself, and reaches the
doors and the database through the composition root (`wiring`), so importing the coach never
imports the web app, the database or the evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coach.settings import Settings, prepare_offline_environment

if TYPE_CHECKING:
    from coach.store import KnowledgeStore
    from coach.structured.rules import RuleReview

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

    from coach.store import EmbeddingMismatchError, StoreInUseError, open_store
    from knowledge.ingest import Root
    from knowledge.library import BUNDLED_ROOT, KnowledgeLibrary

    settings = _settings()
    console = Console(stderr=True)
    roots = [Root(p) for p in paths] if paths else [BUNDLED_ROOT]
    try:
        store = open_store(settings, rebuild=rebuild)
        library = KnowledgeLibrary(
            store,
            settings.data_dir,
            max_file_bytes=settings.max_file_bytes,
            rule_review=_rule_review(settings),
        )
        total = library.count_files(roots)
    except (FileNotFoundError, EmbeddingMismatchError, StoreInUseError) as error:
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
    # Built and saved here, so the next `coach serve` loads it instead of building it (and
    # not even loaded when nothing changed and it is saved already).
    save_keyword_index(store, settings.keyword_index_path)
    counts = ", ".join(f"{n} {label}" for label, n in report.counts().items())
    console.print(f"Indexed {store.count()} chunks: {counts}.")
    if reviewed := report.rules_reviewed:
        console.print(
            f"Rules read by the model in {reviewed.passages} playbook passages "
            f"({reviewed.model_calls} new to it): {reviewed.disagreements} disagreements with the "
            "offline reader, listed by `coach rules disagreements`."
        )
    for source, reason in report.failed.items():
        console.print(f"[red]Failed[/red] {source}: {reason}")
    if not report.ok:
        raise typer.Exit(1)


def save_keyword_index(store: KnowledgeStore, folder: Path) -> None:
    """Build and save the keyword index of the store's current generation, unless saved."""
    from coach.keyword import KeywordIndex
    from coach.keyword_cache import KeywordIndexCache

    saved = KeywordIndexCache(folder)
    if not saved.has(store.generation()):
        KeywordIndex(store, saved).warm()


def _rule_review(settings: Settings) -> RuleReview | None:
    if not settings.reads_with_model:
        return None
    from coach.core import build_rule_review, load_profile
    from coach.providers.chat import build_chat_model

    return build_rule_review(settings, build_chat_model(settings), load_profile(settings))


rules_app = typer.Typer(help="The rules the coach reads in the playbooks.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("disagreements")
def rules_disagreements(
    source: Annotated[str | None, typer.Option(help="Only this playbook.")] = None,
) -> None:
    """Rules the model and the offline reader read differently at the last ingest (with
    COACH_LLM=openai), for review."""
    from coach.structured.rules import rule_disagreements

    found = rule_disagreements(_settings().data_dir, source)
    for item in found:
        typer.echo(f"{item.source}: {item.describe()}")
    typer.echo(f"{len(found)} disagreement(s).")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (needs a Chroma server).")] = 1,
) -> None:
    """Serve the API and the web UI over what is already indexed (it never ingests)."""
    from coach.services.access import is_loopback
    from coach.store import EmbeddingMismatchError, StoreInUseError
    from wiring.server import serve as run
    from wiring.services import build_services

    settings = _settings()
    try:
        services = build_services(settings)
    except (EmbeddingMismatchError, StoreInUseError) as error:
        typer.secho(str(error), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    if services.keys.local_mode and not is_loopback(host):
        typer.secho(
            f"Refusing to listen on {host} without API keys: anyone on the network could use "
            "the coach as the local user. Create keys (`coach keys create --role employee "
            "--user NAME`, or COACH_API_KEYS), or serve on 127.0.0.1.",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(2)
    if workers > 1 and not settings.chroma_url:
        typer.secho(
            "Several workers cannot share an embedded Chroma store: set COACH_CHROMA_URL to a "
            "Chroma server (`chroma run --path DIR --port N`).",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(2)
    typer.echo(f"Learning Ops Coach on http://{host}:{port} (chat at /ui, API docs at /docs)")
    run(settings, services, host=host, port=port, workers=workers)


@app.command("mcp")
def mcp_stdio(
    key: Annotated[
        str | None,
        typer.Option(
            envvar="COACH_API_KEY",
            help="Your API key, when the coach has keys (or COACH_API_KEY).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the coach to a desktop assistant over MCP on stdin/stdout (the assistant starts
    this command). Acts as the local user while the coach has no keys; needs a key otherwise."""
    import contextlib
    import sys

    from coach.store import EmbeddingMismatchError, StoreInUseError
    from wiring.stdio import KeyRequiredError, open_for_stdio, serve_over_stdio

    # Stdout is the protocol's: anything printed while starting goes to stderr instead.
    with contextlib.redirect_stdout(sys.stderr):
        try:
            services, principal = open_for_stdio(_settings(), key)
        except (EmbeddingMismatchError, StoreInUseError, KeyRequiredError) as error:
            typer.secho(str(error), fg=typer.colors.RED, err=True)
            raise typer.Exit(2) from None
    serve_over_stdio(services, principal)


@app.command(
    "eval",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def evaluate(ctx: typer.Context) -> None:
    """Measure coaching quality offline (evals/)."""
    from evals.cli import app as eval_app

    eval_app(ctx.args, prog_name="coach eval")


db_app = typer.Typer(help="The database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (the server also does this when it starts)."""
    from wiring.services import database

    database(_settings()).dispose()
    typer.echo("The database is up to date.")


keys_app = typer.Typer(help="API keys (only their hashes are stored).", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="employee, learning_ops, or employee+learning_ops")],
    user: Annotated[str, typer.Option(help="Who the key identifies.")],
) -> None:
    """Create a key and print it once."""
    from wiring.services import open_keyring

    keyring = open_keyring(_settings())
    try:
        key = keyring.create(role, user)
    except ValueError as error:
        typer.secho(str(error), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    typer.echo(key)


@keys_app.command("revoke")
def keys_revoke(user: Annotated[str, typer.Option(help="Revoke every key of this user.")]) -> None:
    from wiring.services import open_keyring

    keyring = open_keyring(_settings())
    typer.echo(f"Revoked {keyring.revoke(user)} key(s) of {user}.")


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="One pass, then exit (e.g. from cron).")] = False,
) -> None:
    """Send reminders and debrief prompts as they fall due, without serving (run it beside
    servers started with COACH_SCHEDULER=false). One process leads at a time."""
    from wiring.community import open_scheduler

    scheduler, engine = open_scheduler(_settings())
    try:
        if once:
            try:
                sent = scheduler.run_once()
            finally:
                scheduler.release()
            typer.echo(
                "Another process leads: nothing sent." if sent is None else f"Sent {len(sent)}."
            )
            return
        typer.echo("Sending reminders and debrief prompts as they fall due (Ctrl+C stops).")
        try:
            scheduler.run()
        except KeyboardInterrupt:
            typer.echo("Stopped.")
    finally:
        engine.dispose()


demo_app = typer.Typer(
    help="A year of made-up history for the autonomy view.", no_args_is_help=True
)
app.add_typer(demo_app, name="demo")
DEMO_CALLER = "coach-cli"


@demo_app.command("seed")
def demo_seed(
    seed: Annotated[int, typer.Option(help="The same seed makes the same year.")] = 2024,
) -> None:
    """Load a realistic demo year (tagged, kept apart from real data, counted in the autonomy
    view until `coach demo remove`)."""
    from coach.community.people import Caller
    from wiring.community import open_demo

    service, engine = open_demo(_settings())
    try:
        history = service.seed(Caller.person(DEMO_CALLER, learning_ops=True), seed=seed)
    finally:
        engine.dispose()
    typer.echo(
        f"Seeded the demo year {history.tag}: {len(history.held)} sessions, "
        f"{len(history.conversations)} conversations, {len(history.interests)} interests. "
        "Remove it with `coach demo remove`."
    )


@demo_app.command("remove")
def demo_remove() -> None:
    """Remove the demo year, all of it."""
    from coach.community.people import Caller
    from wiring.community import open_demo

    service, engine = open_demo(_settings())
    try:
        removed = service.remove(Caller.person(DEMO_CALLER, learning_ops=True))
    finally:
        engine.dispose()
    typer.echo("Removed the demo year." if removed else "There was no demo year.")


@app.command()
def check() -> None:
    """Check that the configured embedding and chat models load and answer on this machine."""
    from coach.checks import check_chat_model, check_embeddings

    settings = _settings()
    results = [check_embeddings(settings), check_chat_model(settings=settings)]
    for result in results:
        if result.ok:
            mark = typer.style("ok", fg=typer.colors.GREEN)
        elif result.optional:
            mark = typer.style("missing (optional)", fg=typer.colors.YELLOW)
        else:
            mark = typer.style("FAILED", fg=typer.colors.RED)
        typer.echo(f"{result.name}: {mark} ({result.detail})")
    if not all(result.passes for result in results):
        raise typer.Exit(1)
