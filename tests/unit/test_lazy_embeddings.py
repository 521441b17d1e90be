"""The embedding model loads only when something needs embedding, and each backend builds an
index of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings
from typer.testing import CliRunner

from coach import cli
from coach.manifest import SavedManifest, StoredFile
from coach.providers import embeddings as providers
from coach.providers.embeddings import (
    EmbeddingIdentity,
    LazyEmbeddings,
    build_embeddings,
    declared_dimension,
    local_identity,
)
from coach.providers.fakes import HashingEmbeddings
from coach.settings import Settings
from coach.store import EmbeddingMismatchError, KnowledgeStore, chroma_client
from knowledge.ingest import Ingestor

BACKENDS = ("torch", "onnx", "onnx-int8")


class CountingLoader:
    """Stands in for loading the real model: counts the loads, returns a bag-of-words fake of
    the bundled model's size."""

    def __init__(self) -> None:
        self.loads = 0
        self.embedder = HashingEmbeddings(dimension=384)

    def __call__(self, *_: object, **__: object) -> Embeddings:
        self.loads += 1
        return self.embedder


@pytest.fixture
def loader(monkeypatch: pytest.MonkeyPatch) -> CountingLoader:
    counting = CountingLoader()
    monkeypatch.setattr(providers, "_torch_embeddings", counting)
    return counting


def local_settings(data_dir: Path, backend: str = "torch") -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        embeddings="local",
        embeddings_backend=backend,  # type: ignore[arg-type]
    )


def test_unchanged_ingest_from_the_command_line_loads_no_model(
    loader: CountingLoader,
    knowledge_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACH_EMBEDDINGS_BACKEND", "torch")
    runner = CliRunner()

    first = runner.invoke(cli.app, ["ingest", str(knowledge_dir)])
    assert first.exit_code == 0, first.output
    assert loader.loads == 1
    embedded = loader.embedder.texts_embedded

    again = runner.invoke(cli.app, ["ingest", str(knowledge_dir)])
    assert again.exit_code == 0, again.output
    assert "4 unchanged" in again.output
    assert loader.loads == 1  # the second run never built a model
    assert loader.embedder.texts_embedded == embedded


def test_a_changed_file_loads_the_model_once_for_its_chunks(
    loader: CountingLoader, knowledge_dir: Path, tmp_path: Path
) -> None:
    settings = local_settings(tmp_path / "data")
    embeddings, identity = build_embeddings(settings)
    store = KnowledgeStore(chroma_client(settings), "knowledge", embeddings, identity)
    Ingestor(store, max_file_bytes=10_000).ingest([knowledge_dir])
    assert loader.loads == 1

    reopened, _ = build_embeddings(settings)
    store = KnowledgeStore(chroma_client(settings), "knowledge", reopened, identity)
    (knowledge_dir / "playbooks/learning-budget.md").write_text("# Budget\n\nEUR 900 a year.\n")
    report = Ingestor(store, max_file_bytes=10_000).ingest([knowledge_dir])

    assert report.updated == ["playbooks/learning-budget.md"]
    assert loader.loads == 2
    assert loader.embedder.calls[-1] == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_knowing_the_index_identity_loads_no_model(backend: str, tmp_path: Path) -> None:
    embeddings, identity = build_embeddings(local_settings(tmp_path, backend))

    assert isinstance(embeddings, LazyEmbeddings)
    assert not embeddings.loaded
    assert identity.dimension == 384
    assert not (tmp_path / "models").exists()  # no ONNX export either


def test_each_backend_has_its_own_identity_and_torch_keeps_the_old_one(tmp_path: Path) -> None:
    names = [build_embeddings(local_settings(tmp_path, b))[1].name for b in BACKENDS]

    assert names == [
        "sentence-transformers:all-MiniLM-L6-v2",
        "sentence-transformers:all-MiniLM-L6-v2+onnx",
        "sentence-transformers:all-MiniLM-L6-v2+onnx-int8",
    ]


def test_the_backend_setting_reads_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_EMBEDDINGS_BACKEND", "onnx-int8")

    assert Settings(_env_file=None).embeddings_backend == "onnx-int8"  # type: ignore[call-arg]


def test_an_unknown_backend_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_EMBEDDINGS_BACKEND", "tensorflow")

    with pytest.raises(ValueError, match="embeddings_backend"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_switching_backend_goes_through_rebuild(tmp_path: Path) -> None:
    settings = local_settings(tmp_path / "data")
    fake = HashingEmbeddings(dimension=384)
    torch_built = local_identity("all-MiniLM-L6-v2", 384, "torch")
    store = KnowledgeStore(chroma_client(settings), "knowledge", fake, torch_built)
    store.add([], [])

    onnx = local_identity("all-MiniLM-L6-v2", 384, "onnx-int8")
    with pytest.raises(EmbeddingMismatchError, match="--rebuild"):
        KnowledgeStore(chroma_client(settings), "knowledge", fake, onnx)
    rebuilt = KnowledgeStore(chroma_client(settings), "knowledge", fake, onnx, rebuild=True)
    assert rebuilt.identity == onnx


def test_a_folder_with_a_projection_layer_is_probed_not_read(tmp_path: Path) -> None:
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text('{"word_embedding_dimension": 768}')
    modules = '[{"path": "", "type": "sentence_transformers.models.Transformer"},'
    pooling = '{"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}'
    (tmp_path / "modules.json").write_text(f"{modules} {pooling}]")
    assert declared_dimension(tmp_path) == 768

    dense = ', {"path": "2_Dense", "type": "sentence_transformers.models.Dense"}]'
    (tmp_path / "modules.json").write_text(f"{modules} {pooling}{dense}")
    assert declared_dimension(tmp_path) is None


def test_the_lazy_embedder_loads_once_for_every_caller() -> None:
    loader = CountingLoader()
    lazy = LazyEmbeddings(loader)

    lazy.embed_query("brown-bag")
    lazy.embed_documents(["room", "budget"])

    assert loader.loads == 1


def test_the_saved_manifest_serves_only_its_own_generation(
    fake_settings: Settings, knowledge_dir: Path
) -> None:
    fake = HashingEmbeddings()
    identity = EmbeddingIdentity(fake.name, fake.dimension)
    manifest = SavedManifest(fake_settings.manifest_path)
    store = KnowledgeStore(
        chroma_client(fake_settings), "knowledge", fake, identity, manifest=manifest
    )
    Ingestor(store, max_file_bytes=10_000).ingest([knowledge_dir])

    files = store.files()
    assert manifest.load(store.generation()) == files
    assert len(files) == 4

    budget = files["playbooks/learning-budget.md"]
    stale = {"gone.md": StoredFile("h", ("x",), "", "Gone")}
    manifest.save("some-other-generation", stale)
    assert store.files()["playbooks/learning-budget.md"] == budget  # read again, not `stale`

    store.delete(list(budget.chunk_ids))  # a write: a new generation
    assert "playbooks/learning-budget.md" not in store.files()


def test_a_damaged_manifest_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "index-manifest.json"
    path.write_text("{not json")

    assert SavedManifest(path).load("any") is None
