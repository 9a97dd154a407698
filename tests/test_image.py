"""The image and the compose deployment, checked as files.

Building and running the image needs PyPI (the build stage installs from uv.lock), and tests
must not download, so the build + run + health check is the CI step ``.ci/image``. Compose
cannot run here either (its images come from a registry), so its structure is checked instead:
the properties the deployment's safety rests on, not its spelling.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            rows.append((word.upper(), rest.strip()))
    return rows


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for row in _instructions():
        if row[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(row)
    return stages


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_base_image_is_an_argument_declared_before_the_first_from():
    rows = _instructions()
    first_from = next(i for i, (word, _) in enumerate(rows) if word == "FROM")
    args = [rest.split("=")[0] for word, rest in rows[:first_from] if word == "ARG"]
    assert "BASE_IMAGE" in args
    assert all("${BASE_IMAGE}" in rest for word, rest in rows if word == "FROM")


def test_dependencies_come_from_the_lock_file_before_the_code():
    build, _runtime = _stages()
    runs = [rest for word, rest in build if word == "RUN" and "uv sync" in rest]
    assert len(runs) == 2
    assert all("--frozen" in run and "--no-dev" in run for run in runs)
    assert "--no-install-project" in runs[0]
    steps = [(word, rest) for word, rest in build if word in ("COPY", "RUN")]
    copy_code = steps.index(("COPY", "moussaillon ./moussaillon"))
    assert steps.index(("RUN", runs[0])) < copy_code < steps.index(("RUN", runs[1]))


def test_runtime_stage_is_slim_non_root_and_healthchecked():
    _build, runtime = _stages()
    copies = [rest for word, rest in runtime if word == "COPY"]
    assert copies and all(c.startswith("--from=build") for c in copies)
    user = [rest for word, rest in runtime if word == "USER"][-1]
    assert user.split(":")[0] not in ("0", "root")
    health = next(rest for word, rest in runtime if word == "HEALTHCHECK")
    assert "/api/v1/health" in health and "urllib" in health and "curl" not in health
    env = " ".join(rest for word, rest in runtime if word == "ENV")
    assert "MOUSSAILLON_HTTP_HOST=0.0.0.0" in env
    assert ("EXPOSE", "8000") in runtime
    assert any(word == "VOLUME" and "/data" in rest for word, rest in runtime)
    assert "MOUSSAILLON_DB_PATH=/data/" in env
    labels = " ".join(rest for word, rest in runtime if word == "LABEL")
    for key in ("title", "version", "revision", "source", "licenses"):
        assert f"org.opencontainers.image.{key}=" in labels


def test_dockerignore_keeps_secrets_and_state_out_of_the_context():
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignore[0 if not ignore[0].startswith("#") else 1] == "*"  # allowlist
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert allowed == {"pyproject.toml", "uv.lock", "README.md", "moussaillon"}


def test_the_app_never_gets_the_host_docker_socket(compose: dict):
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume if isinstance(volume, str) else volume.get("source", "")
            assert "docker.sock" not in source, name
    app = compose["services"]["moussaillon"]
    assert app["environment"]["MOUSSAILLON_DOCKER_HOST"] == "tcp://sandbox-engine:2376"
    assert app["environment"]["MOUSSAILLON_DOCKER_TLS_VERIFY"] == "true"
    cert_path = app["environment"]["MOUSSAILLON_DOCKER_CERT_PATH"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in app["volumes"]}
    assert cert_path in mounts, "the client certificates are not mounted where the app reads"


def test_the_engine_speaks_tls_and_its_client_certs_reach_the_app(compose: dict):
    engine = compose["services"]["sandbox-engine"]
    assert "dind" in engine["image"]
    assert engine["environment"]["DOCKER_TLS_CERTDIR"] == "/certs"
    assert "sandbox-engine" in engine["hostname"] + engine["environment"].get("DOCKER_TLS_SAN", "")
    client_volume = next(v.split(":")[0] for v in engine["volumes"] if ":/certs/client" in v)
    copier = compose["services"]["engine-certs"]
    assert any(v.startswith(f"{client_volume}:") for v in copier["volumes"])
    app = compose["services"]["moussaillon"]
    app_certs = next(v.split(":")[0] for v in app["volumes"] if ":/certs/client" in v)
    assert any(v.startswith(f"{app_certs}:") for v in copier["volumes"])
    assert app["depends_on"]["engine-certs"]["condition"] == "service_completed_successfully"
    assert "token" not in json.dumps(engine).lower(), "the engine must not get the bot's token"


def test_the_database_lives_on_a_named_volume(compose: dict):
    app = compose["services"]["moussaillon"]
    data = next(v for v in app["volumes"] if v.split(":")[1] == "/data")
    assert data.split(":")[0] in compose["volumes"]
    assert app["environment"]["MOUSSAILLON_DB_PATH"].startswith("/data/")


def test_env_example_names_real_settings():
    from moussaillon.config import Settings

    names = re.findall(r"^#?\s*(MOUSSAILLON_[A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M)
    known = {f"MOUSSAILLON_{field.upper()}" for field in Settings.model_fields}
    compose_only = {"MOUSSAILLON_PUBLISH", "MOUSSAILLON_TERMINAL_PUBLISH"}
    assert names and set(names) - known - compose_only == set()
    assert "MOUSSAILLON_TELEGRAM_TOKEN" in names
