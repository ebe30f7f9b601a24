"""The browser tests' shared set-up: the real ASGI server on the test database, Debian's Chromium.

Every test here is marked ``slow`` and skipped, with the reason, where no Chromium is installed
(``apt-get install chromium``; ``.ci/run`` installs it). Playwright drives ``/usr/bin/chromium``
and never downloads a browser.

Two flavours of browser: ``browser`` (async API, for tests that await the chat consumers) and
``sync_browser`` (sync API, one per module, for tests that write through Django's ORM between
page loads). Playwright's sync API keeps an event loop in the test's thread, so Django's
"async-unsafe" guard is lifted while a ``sync_browser`` is open (``DJANGO_ALLOW_ASYNC_UNSAFE``):
the ORM calls in those tests are plain synchronous calls in one thread. The server keeps the guard.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections

from tests.e2e.browsers import CHROMIUM, CHROMIUM_ARGS, ROOT, server_environment


@pytest.fixture
def migrated_data(transactional_db):
    """The rows the migrations wrote, as they were before any test ran (another transactional
    test may have flushed them): flushed without post-migrate signals, then loaded back."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(connections.migrated_data)  # tests/conftest.py
    # The rows came back with their ids; move PostgreSQL's sequences past them (as loaddata does).
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    ContentType.objects.clear_cache()


class Server(str):
    """The server's base URL; ``output`` is the file its console (and so its console email) goes to."""

    output: Path


@pytest.fixture
def server_env() -> dict[str, str]:
    """Extra environment for the server (a module overrides this fixture to add some)."""
    return {}


@pytest.fixture
def server(tmp_path, server_env, migrated_data) -> Iterator[Server]:
    """uvicorn on a socket this test owns (127.0.0.1, a free port), on the test database."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    fd = sock.fileno()
    url = Server(f"http://127.0.0.1:{sock.getsockname()[1]}")
    url.output = tmp_path / "server.out"
    with url.output.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--fd", str(fd), "--lifespan", "off"],
            cwd=ROOT,
            env=server_environment(EMAIL_URL="console://", **server_env),
            pass_fds=[fd],
            stdout=output,
        )
        yield url
        process.terminate()
        process.wait(timeout=10)
    sock.close()


@pytest_asyncio.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture(scope="module")
def sync_browser():
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
