"""compose.yaml and the Dockerfile: start-up order, storage, health checks and the image."""

from __future__ import annotations

import re

import pytest
from django.urls import Resolver404, resolve

from tests.test_compose import (
    LONG_RUNNING_APP_SERVICES,
    compose,
    dockerfile_instructions,
    environment_of,
    interpolate,
    services,
)

# --- Start-up order, storage, health ---------------------------------------------


@pytest.mark.parametrize("service", LONG_RUNNING_APP_SERVICES)
def test_web_and_worker_wait_for_healthy_backends_and_completed_migrations(service):
    depends_on = services()[service]["depends_on"]
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_runs_once_after_the_database_is_healthy():
    migrate = services()["migrate"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert migrate.get("restart", "no") == "no"
    assert "replicas" not in migrate.get("deploy", {})


def test_worker_runs_two_replicas():
    worker = services()["worker"]
    assert worker["deploy"]["replicas"] == 2
    assert "container_name" not in worker, "a fixed container name prevents replicas"


def test_database_and_media_live_on_named_volumes():
    volumes = compose().get("volumes") or {}
    assert {"db", "media"} <= set(volumes)
    assert "db:/var/lib/postgresql/data" in services()["db"]["volumes"]
    for service in LONG_RUNNING_APP_SERVICES:
        media_root = environment_of(service)["MEDIA_ROOT"]
        assert f"media:{media_root}" in services()[service]["volumes"], service


def test_every_service_waited_on_as_healthy_has_a_healthcheck():
    waited_on = {
        dependency
        for service in services().values()
        for dependency, spec in (service.get("depends_on") or {}).items()
        if isinstance(spec, dict) and spec.get("condition") == "service_healthy"
    }
    assert {"db", "redis"} <= waited_on
    for name in waited_on | {"web", "ws"}:
        healthcheck = services()[name].get("healthcheck")
        assert healthcheck, f"{name} needs a healthcheck"
        assert not healthcheck.get("disable"), f"{name} needs a healthcheck"
        assert healthcheck["test"][0] in {"CMD", "CMD-SHELL"}, name


def test_backend_healthchecks_ask_the_server_itself():
    assert "pg_isready" in " ".join(services()["db"]["healthcheck"]["test"])
    assert "redis-cli ping" in " ".join(services()["redis"]["healthcheck"]["test"])


def test_web_healthcheck_probes_a_real_url_without_curl():
    test = services()["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"], "slim images have python but no curl or wget"
    url = re.search(r"http://127\.0\.0\.1:8000(/[^\"'\s]*)", test[3])
    assert url, "the probe should call the local uvicorn on port 8000"
    try:
        match = resolve(url.group(1))
    except Resolver404:
        pytest.fail(f"{url.group(1)} is not routed")
    assert match.url_name == "healthz"
    compile(test[3], "<healthcheck>", "exec")
    # Django answers 400 to a Host header outside ALLOWED_HOSTS, so the probe sets one.
    assert "ALLOWED_HOSTS" in test[3]
    assert '"Host"' in test[3]


@pytest.mark.parametrize(("service", "port"), [("web", "8000"), ("ws", "8001")])
def test_each_server_publishes_the_port_it_listens_on(service, port):
    ports = [interpolate(str(published), {}) for published in services()[service]["ports"]]
    assert any(published.rsplit(":", 1)[-1] == port for published in ports), ports
    assert any(f"0.0.0.0:{port}" in arg or f"--port {port}" in arg for arg in services()[service]["command"])


# --- Image ----------------------------------------------------------------------------


def test_image_runs_as_an_unprivileged_user_and_exposes_port_8000():
    instructions = dockerfile_instructions()
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert ("EXPOSE", "8000") in instructions
    assert instructions[0][0] in {"FROM", "ARG"}
    assert any(keyword == "FROM" and rest.startswith("python:3.11-slim") for keyword, rest in instructions)


def test_image_installs_only_the_runtime_lock_and_collects_static_files():
    runs = " ".join(rest for keyword, rest in dockerfile_instructions() if keyword == "RUN")
    assert "-r requirements.lock" in runs
    assert "requirements-dev.lock" not in runs
    assert "collectstatic --noinput" in runs
    env_lines = " ".join(rest for keyword, rest in dockerfile_instructions() if keyword in {"ENV", "ARG"})
    assert "SECRET_KEY" not in env_lines, "the build-time key must not persist in the image"
