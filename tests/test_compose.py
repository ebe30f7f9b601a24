"""The production deployment (compose.yaml and the Dockerfile) can actually start.

These tests read the files as text/YAML; they need Django configured (pytest-django)
for the list of management commands and the URLconf, but no database.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
CONFIG_DIR = ROOT / "config"

APP_SERVICES = ("migrate", "web", "ws", "worker")
LONG_RUNNING_APP_SERVICES = ("web", "ws", "worker")
# Pages, API and feeds from WSGI workers; only the chat's WebSockets from the ASGI server
# (bench/bench_api.py: a gunicorn worker served the API 1.33x, pages 1.57x faster).
HTTP_SERVICE, WEBSOCKET_SERVICE = "web", "ws"
# Settings refuse to start (SECRET_KEY) or silently fall back to a development
# default (SQLite, in-memory channel layer, localhost) without these.
REQUIRED_IN_PRODUCTION = {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"}
# Passed to the container but read by something other than config/settings.py.
# (FORWARDED_ALLOW_IPS: uvicorn, gunicorn and config/wsgi.py, the addresses whose
# X-Forwarded-* they believe; WEB_CONCURRENCY/WS_CONCURRENCY: the container shell.)
READ_OUTSIDE_SETTINGS = {"DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY", "WS_CONCURRENCY", "FORWARDED_ALLOW_IPS"}
# Values for the variables compose.yaml requires (${NAME:?...}), for the deploy check.
SAMPLE_DEPLOYMENT = {
    "POSTGRES_PASSWORD": "correct-horse-battery-staple",
    "SECRET_KEY": "k3p9-" + "Zq7xW2vR8mT4yL6nB1cD5fG0hJ3kS9aE" * 2,
    "ALLOWED_HOSTS": "praxis.example.org",
    "SITE_URL": "https://praxis.example.org",
    "EMAIL_URL": "smtp://mailer:secret@mail.example.org:587",
    "DEFAULT_FROM_EMAIL": "Praxis <noreply@praxis.example.org>",
    "CSRF_TRUSTED_ORIGINS": "https://praxis.example.org",
}

_ENV_READ = re.compile(
    r"""\benv_(?:str|bool|int|list|rate)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|\bos\.(?:environ(?:\.get|\.setdefault|\.pop)?|getenv)\s*[(\[]\s*["']([A-Z][A-Z0-9_]*)["']"""
)
_INTERPOLATION = re.compile(r"\$(?:\$|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))")
_SHELL_DEFAULT = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}")


class MissingVariable(LookupError):
    pass


@cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def services() -> dict[str, dict]:
    return compose()["services"]


def built_here() -> list[str]:
    """Services that run this repository's image."""
    return [name for name, service in services().items() if "build" in service]


@cache
def variables_read_by_settings() -> frozenset[str]:
    names = set()
    for path in CONFIG_DIR.rglob("*.py"):
        for match in _ENV_READ.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    return frozenset(names)


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$."""

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        expression = match.group("braced") or match.group("named")
        name, operator, argument = re.fullmatch(
            r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?", expression, re.DOTALL
        ).groups()
        value = variables.get(name)
        unset_or_empty = not value if operator and operator.startswith(":") else value is None
        if operator in (":-", "-"):
            return argument if unset_or_empty else value
        if operator in (":?", "?"):
            if unset_or_empty:
                raise MissingVariable(f"{name}: {argument}")
            return value
        if operator in (":+", "+"):
            return "" if unset_or_empty else argument
        return value or ""

    return _INTERPOLATION.sub(substitute, str(value))


def environment_of(service: str) -> dict[str, str]:
    environment = services()[service].get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {name: "" if value is None else str(value) for name, value in environment.items()}


def required_compose_variables() -> set[str]:
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?\?", COMPOSE_FILE.read_text()))


def programs_in(command: str | list[str]) -> list[list[str]]:
    """The argv of every program a compose/Dockerfile command runs (through sh -c, &&, ;)."""
    argv = shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]
    if len(argv) >= 3 and Path(argv[0]).name in {"sh", "bash"} and argv[1] == "-c":
        programs = []
        for part in re.split(r"&&|\|\||;", argv[2]):
            words = shlex.split(part)
            if words[:1] == ["exec"]:
                words = words[1:]
            if words:
                programs.append(words)
        return programs
    return [argv]


def assert_real_entry_point(argv: list[str]) -> None:
    program = Path(argv[0]).name
    if re.fullmatch(r"python(3(\.\d+)?)?", program) and argv[1:2] == ["manage.py"]:
        assert len(argv) > 2, f"{argv}: manage.py without a command"
        # get_commands() is cached: asked before the apps load, it knows only Django's own.
        assert apps.ready, "Django is not set up: run under pytest-django with DJANGO_SETTINGS_MODULE"
        assert argv[2] in get_commands(), f"{argv}: {argv[2]!r} is not a management command"
    elif program == "uvicorn":
        # Shell expansions with a default (${WEB_CONCURRENCY:-2}) take their default,
        # then uvicorn's own CLI parses the arguments: unknown options fail here too.
        arguments = [_SHELL_DEFAULT.sub(r"\1", arg.replace("$$", "$")) for arg in argv[1:]]
        uvicorn_cli = importlib.import_module("uvicorn.main").main
        params = uvicorn_cli.make_context("uvicorn", arguments).params
        from uvicorn.importer import import_from_string

        app = import_from_string(params["app"])
        is_asgi = inspect.iscoroutinefunction(app) or (
            callable(app) and inspect.iscoroutinefunction(type(app).__call__)
        )
        assert is_asgi, f"{params['app']} is not an ASGI callable"
    elif program == "gunicorn":
        params = gunicorn_params(argv, {})
        from gunicorn.util import import_app

        (app_uri,) = params.args
        app = import_app(app_uri)
        assert callable(app), f"{app_uri} is not callable"
        assert not inspect.iscoroutinefunction(type(app).__call__), f"{app_uri} is ASGI, not WSGI"
    else:
        pytest.fail(f"{argv}: not a known entry point (python manage.py COMMAND, uvicorn or gunicorn)")


def gunicorn_params(argv: list[str], container_env: dict[str, str]):
    """gunicorn's own parser on a command's arguments, the container shell's ${VAR:-default} expanded."""
    from gunicorn.config import Config

    def expand(match: re.Match) -> str:
        name, default = re.fullmatch(r"\$\{([A-Za-z_][A-Za-z0-9_]*):-([^}]*)\}", match.group(0)).groups()
        return container_env.get(name) or default

    arguments = [re.sub(r"\$\{[A-Za-z_][A-Za-z0-9_]*:-[^}]*\}", expand, arg.replace("$$", "$")) for arg in argv[1:]]
    return Config().parser().parse_args(arguments)


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def dockerfile_cmd() -> list[str]:
    cmds = [rest for keyword, rest in dockerfile_instructions() if keyword == "CMD"]
    assert cmds, "Dockerfile has no CMD"
    cmd = cmds[-1]
    return json.loads(cmd) if cmd.startswith("[") else ["/bin/sh", "-c", cmd]


# --- Entry points -------------------------------------------------------------


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_compose_command_names_a_real_entry_point(service):
    assert service in built_here(), f"{service} should run the image built from this repository"
    command = services()[service].get("command") or dockerfile_cmd()
    for argv in programs_in(command):
        assert_real_entry_point(argv)


def test_every_service_built_from_this_repository_is_checked():
    assert set(built_here()) == set(APP_SERVICES)


def test_dockerfile_default_command_names_a_real_entry_point():
    programs = programs_in(dockerfile_cmd())
    assert [Path(argv[0]).name for argv in programs] == ["uvicorn"]
    assert_real_entry_point(programs[0])


@pytest.mark.parametrize(
    ("command", "variable"),
    [("compose web", "WEB_CONCURRENCY"), ("compose ws", "WS_CONCURRENCY"), ("Dockerfile CMD", "WEB_CONCURRENCY")],
)
def test_concurrency_is_expanded_by_the_container_shell(command, variable):
    argv = services()[command.split()[1]]["command"] if command.startswith("compose") else dockerfile_cmd()
    assert (Path(argv[0]).name, argv[1]) == ("sh", "-c"), "the variable needs a shell to expand"
    script = argv[2]
    if command.startswith("compose"):
        assert f"$${{{variable}" in script, "use $$ so compose does not interpolate it on the host"
    assert re.search(rf"--workers \$\$?\{{{variable}:-\d+\}}", script)
    assert script.lstrip().startswith("exec "), "exec, so the server gets SIGTERM rather than sh"


def test_pages_and_api_are_served_by_wsgi_workers_and_websockets_by_asgi():
    (web,) = programs_in(services()[HTTP_SERVICE]["command"])
    (ws,) = programs_in(services()[WEBSOCKET_SERVICE]["command"])
    assert (Path(web[0]).name, gunicorn_params(web, {}).args) == ("gunicorn", ["config.wsgi:application"])
    assert Path(ws[0]).name == "uvicorn"
    assert uvicorn_params(services()[WEBSOCKET_SERVICE]["command"], {})["app"] == "config.asgi:application"


# --- Forwarded headers: believed only from the proxy ------------------------------


def uvicorn_params(command: str | list[str], container_env: dict[str, str]) -> dict:
    """The options uvicorn's CLI parses from a command, with the container shell's ${VAR:-default} expanded."""
    (argv,) = [argv for argv in programs_in(command) if Path(argv[0]).name == "uvicorn"]

    def expand(match: re.Match) -> str:
        name, default = re.fullmatch(r"\$\{([A-Za-z_][A-Za-z0-9_]*):-([^}]*)\}", match.group(0)).groups()
        return container_env.get(name) or default

    arguments = [re.sub(r"\$\{[A-Za-z_][A-Za-z0-9_]*:-[^}]*\}", expand, arg.replace("$$", "$")) for arg in argv[1:]]
    return importlib.import_module("uvicorn.main").main.make_context("uvicorn", arguments).params


def web_container_env(deployment: dict[str, str], service: str = WEBSOCKET_SERVICE) -> dict[str, str]:
    return {name: interpolate(value, deployment) for name, value in environment_of(service).items()}


async def client_address_seen_by_the_app(trusted: str, *, peer: str, forwarded_for: str) -> str:
    """What Django would get as REMOTE_ADDR behind uvicorn's proxy-headers middleware."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    seen = {}

    async def app(scope, receive, send):
        seen["client"] = scope["client"][0]

    scope = {
        "type": "http",
        "client": (peer, 50000),
        "scheme": "http",
        "headers": [(b"x-forwarded-for", forwarded_for.encode()), (b"x-forwarded-proto", b"https")],
    }
    await ProxyHeadersMiddleware(app, trusted_hosts=trusted)(scope, None, None)
    return seen["client"]


@pytest.mark.parametrize("command", ["compose ws", "Dockerfile CMD"])
def test_uvicorn_believes_forwarded_headers_only_from_localhost_by_default(command):
    argv = services()["ws"]["command"] if command == "compose ws" else dockerfile_cmd()
    container_env = web_container_env(SAMPLE_DEPLOYMENT) if command == "compose ws" else {}

    params = uvicorn_params(argv, container_env)

    assert params["proxy_headers"] is True
    assert params["forwarded_allow_ips"] == "127.0.0.1"


@pytest.mark.parametrize("command", ["compose ws", "Dockerfile CMD"])
def test_forwarded_allow_ips_names_the_proxy_at_deployment(command):
    argv = services()["ws"]["command"] if command == "compose ws" else dockerfile_cmd()
    deployment = {**SAMPLE_DEPLOYMENT, "FORWARDED_ALLOW_IPS": "172.18.0.1"}
    container_env = web_container_env(deployment) if command == "compose ws" else {"FORWARDED_ALLOW_IPS": "172.18.0.1"}

    assert uvicorn_params(argv, container_env)["forwarded_allow_ips"] == "172.18.0.1"


def test_no_command_trusts_every_peer():
    for text in (COMPOSE_FILE.read_text(), DOCKERFILE.read_text()):
        assert "forwarded-allow-ips='*'" not in text
        assert 'forwarded-allow-ips="*"' not in text
        assert "FORWARDED_ALLOW_IPS:-*" not in text


@pytest.mark.asyncio
async def test_a_client_cannot_forge_its_address_past_the_default_trust():
    trusted = uvicorn_params(services()["ws"]["command"], web_container_env(SAMPLE_DEPLOYMENT))["forwarded_allow_ips"]

    direct = await client_address_seen_by_the_app(trusted, peer="198.51.100.7", forwarded_for="203.0.113.1")
    via_proxy = await client_address_seen_by_the_app(trusted, peer="127.0.0.1", forwarded_for="203.0.113.1")

    assert (direct, via_proxy) == ("198.51.100.7", "203.0.113.1")


def wsgi_client_address(trusted: str, *, peer: str, forwarded_for: str) -> str:
    """What Django gets as REMOTE_ADDR from config/wsgi.py's middleware under gunicorn."""
    from community.client_address import ForwardedClientAddress

    seen = {}

    def app(environ, start_response):
        seen["client"] = environ["REMOTE_ADDR"]
        return []

    ForwardedClientAddress(app, trusted=trusted)({"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": forwarded_for}, None)
    return seen["client"]


@pytest.mark.parametrize("deployment", [SAMPLE_DEPLOYMENT, {**SAMPLE_DEPLOYMENT, "FORWARDED_ALLOW_IPS": "172.18.0.1"}])
def test_gunicorn_and_the_wsgi_app_believe_the_same_proxy_as_uvicorn(deployment):
    environment = web_container_env(deployment, HTTP_SERVICE)
    (argv,) = programs_in(services()[HTTP_SERVICE]["command"])
    trusted = gunicorn_params(argv, environment).forwarded_allow_ips
    proxy = deployment.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
    assert trusted == environment["FORWARDED_ALLOW_IPS"] == proxy

    direct = wsgi_client_address(trusted, peer="198.51.100.7", forwarded_for="203.0.113.1")
    via_proxy = wsgi_client_address(trusted, peer=proxy, forwarded_for="203.0.113.1")
    forged_then_proxied = wsgi_client_address(trusted, peer=proxy, forwarded_for="10.9.9.9, 203.0.113.1")

    assert (direct, via_proxy, forged_then_proxied) == ("198.51.100.7", "203.0.113.1", "203.0.113.1")


# --- Environment ----------------------------------------------------------------


def test_settings_source_scan_finds_the_variables_settings_read():
    assert REQUIRED_IN_PRODUCTION | {"DEBUG", "MEDIA_ROOT", "LOG_FORMAT"} <= variables_read_by_settings()


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_variable_passed_to_the_app_is_read_by_the_settings(service):
    unknown = set(environment_of(service)) - variables_read_by_settings() - READ_OUTSIDE_SETTINGS
    assert not unknown, f"{service} passes variables nothing in config/ reads: {sorted(unknown)}"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_variable_production_requires_is_passed(service):
    missing = REQUIRED_IN_PRODUCTION - set(environment_of(service))
    assert not missing, f"{service} lacks {sorted(missing)}"


@pytest.mark.parametrize("name", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_secrets_and_hosts_have_no_fallback_default(name):
    for service in APP_SERVICES:
        with pytest.raises(MissingVariable):
            interpolate(environment_of(service)[name], {})
    with pytest.raises(MissingVariable):
        interpolate(environment_of("db")["POSTGRES_PASSWORD"], {})


def test_app_services_share_one_environment():
    reference = environment_of("migrate")
    for service in LONG_RUNNING_APP_SERVICES:
        shared = {k: v for k, v in environment_of(service).items() if k not in READ_OUTSIDE_SETTINGS}
        assert shared == reference, f"{service} environment differs from migrate's"


def test_database_url_matches_the_db_service():
    db = environment_of("db")
    url = interpolate(environment_of("web")["DATABASE_URL"], SAMPLE_DEPLOYMENT)
    password = interpolate(db["POSTGRES_PASSWORD"], SAMPLE_DEPLOYMENT)
    assert url == f"postgres://{db['POSTGRES_USER']}:{password}@db:5432/{db['POSTGRES_DB']}"
    assert interpolate(environment_of("web")["REDIS_URL"], {}).startswith("redis://redis:6379/")


def test_compose_environment_loads_production_settings_that_pass_deploy_checks():
    missing_samples = required_compose_variables() - set(SAMPLE_DEPLOYMENT)
    assert not missing_samples, f"add sample values for {sorted(missing_samples)} to SAMPLE_DEPLOYMENT"
    environment = {name: interpolate(value, SAMPLE_DEPLOYMENT) for name, value in environment_of("web").items()}
    passthrough = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    # A separate process: without pytest imported, settings run in production mode.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],  # every tag
        check=False,
        cwd=ROOT,
        env={**passthrough, **environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stdout + result.stderr
