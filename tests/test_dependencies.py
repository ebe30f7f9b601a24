"""pyproject.toml says what the code imports: no undeclared import, no unused dependency."""

import ast
import importlib.metadata
import importlib.util
import re
import sys
import tomllib
from functools import cache
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = {"community", "events", "api", "config", "tests", "bench", "manage"}
APP_DIRS = ("community", "events", "api", "config")
DEVELOPMENT_DIRS = ("tests", "bench")

# Used without an import statement of ours, each for a stated reason.
RUNTIME_USED_WITHOUT_IMPORT = {
    "psycopg": "Django's PostgreSQL backend (DATABASE_URL=postgres://…)",
    "redis": "Django's RedisCache backend (REDIS_URL)",
    "uvicorn": "the ASGI server for WebSockets (compose.yaml ws, Dockerfile)",
    "gunicorn": "the WSGI server for pages and the API (compose.yaml web)",
    "pillow": "Django's ImageField and Wagtail's images (avatars, logos, event images)",
}
DEVELOPMENT_USED_WITHOUT_IMPORT = {
    "pytest": "the test runner",
    "pytest-django": "pytest plugin (DJANGO_SETTINGS_MODULE in pyproject.toml)",
    "pytest-asyncio": "pytest plugin (asyncio_mode in pyproject.toml)",
    "pytest-env": "pytest plugin (env in pyproject.toml)",
    "ruff": "the linter and formatter",
    "websockets": "uvicorn's WebSocket protocol for the chat's end-to-end tests and benchmark",
    "daphne": "channels.testing imports it (WebsocketCommunicator in the chat tests)",
    "playwright": "the browser journeys (pytest.importorskip('playwright.async_api') in tests/e2e)",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return canonical(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))


@cache
def declared() -> tuple[frozenset[str], frozenset[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = frozenset(requirement_name(r) for r in project["project"]["dependencies"])
    development = frozenset(requirement_name(r) for r in project["dependency-groups"]["dev"])
    return runtime, development


def imported_modules(*directories: str) -> set[str]:
    """Top-level names of every module imported anywhere in these folders (inside functions too)."""
    names = set()
    for directory in directories:
        for path in (ROOT / directory).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names - FIRST_PARTY - set(sys.stdlib_module_names) - {"__future__"}


def distributions_of(modules: set[str]) -> dict[str, str]:
    owners = importlib.metadata.packages_distributions()
    return {module: canonical(owners[module][0]) if module in owners else f"?{module}" for module in modules}


def modules_named_in_settings() -> set[str]:
    """Apps, middleware and backends the settings name by dotted path."""
    text = (ROOT / "config" / "settings.py").read_text()
    strings = set(settings.INSTALLED_APPS) | set(
        re.findall(r"""["']([a-z_][a-z0-9_]*(?:\.[A-Za-z0-9_]+)+)["']""", text)
    )
    modules = {s.split(".")[0] for s in strings} - FIRST_PARTY - set(sys.stdlib_module_names)
    return {m for m in modules if importlib.util.find_spec(m) is not None}  # not the "db" of "db.sqlite3"


@cache
def requirements_of(distribution: str) -> frozenset[str]:
    return frozenset(requirement_name(r) for r in importlib.metadata.requires(distribution) or [])


def test_every_module_the_application_imports_is_a_runtime_dependency():
    runtime, _ = declared()
    undeclared = {m: d for m, d in distributions_of(imported_modules(*APP_DIRS)).items() if d not in runtime}
    assert undeclared == {}


def test_every_app_the_settings_name_is_declared_or_required_by_a_declared_one():
    runtime, _ = declared()
    provided = runtime | {r for d in runtime for r in requirements_of(d)}
    undeclared = {m: d for m, d in distributions_of(modules_named_in_settings()).items() if d not in provided}
    assert undeclared == {}


def test_every_module_tests_and_benchmarks_import_is_declared():
    runtime, development = declared()
    undeclared = {
        m: d for m, d in distributions_of(imported_modules(*DEVELOPMENT_DIRS)).items() if d not in runtime | development
    }
    assert undeclared == {}


def test_every_runtime_dependency_is_used():
    runtime, _ = declared()
    used = set(distributions_of(imported_modules(*APP_DIRS) | modules_named_in_settings()).values())
    assert sorted(runtime - used - set(RUNTIME_USED_WITHOUT_IMPORT)) == []


def test_every_development_dependency_is_used():
    _, development = declared()
    used = set(distributions_of(imported_modules(*DEVELOPMENT_DIRS)).values())
    assert sorted(development - used - set(DEVELOPMENT_USED_WITHOUT_IMPORT)) == []


def test_development_dependencies_are_not_imported_by_the_application():
    runtime, development = declared()
    leaked = {m: d for m, d in distributions_of(imported_modules(*APP_DIRS)).items() if d in development - runtime}
    assert leaked == {}
