"""The Dockerfile and compose.yaml, checked without a Docker daemon (none runs here): linted
(hadolint; the compose specification's JSON schema) and held to the Makefile, pyproject.toml
and docs/deployment.md."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"


def tool(name: str) -> str:
    """A linter from the dev extras, next to this interpreter (`make install` puts it there)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is missing: `make install` installs the dev extras"
    return found


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_dockerfile_passes_hadolint() -> None:
    done = subprocess.run(
        [tool("hadolint"), "--no-color", str(DOCKERFILE)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_compose_yaml_follows_the_compose_specification() -> None:
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_is_built_in_stages_with_llama_cpp_compiled_without_amx() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    stages = re.findall(r"^FROM \S+ AS (\w+)$", text, re.MULTILINE)
    assert stages == ["build", "runtime"]
    amx_off = re.search(r"^AMX_OFF := (.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert amx_off is not None
    cmake_args = re.search(r'^ARG CMAKE_ARGS="(.+)"$', text, re.MULTILINE)
    assert cmake_args is not None
    flags = amx_off.group(1).strip()
    assert cmake_args.group(1) == f"-DCMAKE_C_FLAGS='{flags}' -DCMAKE_CXX_FLAGS='{flags}'"
    assert 'RUN CMAKE_ARGS="${CMAKE_ARGS}" pip install .' in text
    # The runtime stage gets the built environment, not the compilers.
    runtime = text.split(" AS runtime", 1)[1]
    assert "COPY --from=build /opt/coach /opt/coach" in runtime
    assert "build-essential" not in runtime


def test_the_image_installs_the_torch_that_pyproject_pins_from_the_cpu_index() -> None:
    pinned = re.search(r'"(torch==[\d.]+)"', (ROOT / "pyproject.toml").read_text())
    assert pinned is not None
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert f'pip install {pinned.group(1)} --index-url "${{TORCH_INDEX_URL}}"' in text
    assert "ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu" in text


def test_compose_runs_the_deployment_guides_shape() -> None:
    services = compose()["services"]
    assert set(services) == {"coach", "chroma", "postgres", "redis"}
    coach = services["coach"]
    env = coach["environment"]
    # Several workers need a Chroma server, PostgreSQL and Redis (docs/deployment.md).
    assert "--workers" in coach["command"]
    assert int(coach["command"][coach["command"].index("--workers") + 1]) > 1
    assert env["COACH_CHROMA_URL"] == "http://chroma:8000"
    assert env["COACH_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env["COACH_DATABASE_URL"].endswith("@postgres:5432/coach")
    assert env["COACH_REDIS_URL"] == "redis://redis:6379/0"
    assert env["COACH_API_KEYS"].startswith("${COACH_API_KEYS:?")  # required, never defaulted
    assert {"postgres", "redis"} <= {
        name for name, need in coach["depends_on"].items() if need["condition"] == "service_healthy"
    }
    fields = {f"COACH_{name.upper()}" for name in Settings.model_fields}
    assert set(env) <= fields, set(env) - fields
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    for name in ("COACH_CHROMA_URL", "COACH_DATABASE_URL", "COACH_REDIS_URL", "COACH_API_KEYS"):
        assert name in guide
    assert "compose.yaml" in guide
    assert "Dockerfile" in guide


@pytest.mark.parametrize("service", ["chroma", "postgres", "redis"])
def test_each_engine_image_is_pinned_to_a_version(service: str) -> None:
    image = compose()["services"][service]["image"]
    assert re.fullmatch(r"[\w./-]+:\d[\w.-]*", image), image


def test_the_chroma_server_matches_the_client_the_coach_installs() -> None:
    from importlib.metadata import version

    image = compose()["services"]["chroma"]["image"]
    assert image.split(":")[1].split(".")[0] == version("chromadb").split(".")[0]
