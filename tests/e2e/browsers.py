"""Helpers for the browser tests (tests/e2e): where Chromium is, how the server is started, screenshots.

The fixtures that use them are in tests/e2e/conftest.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[2]
NO_CHROMIUM = "needs Debian's chromium (apt-get install chromium); Playwright never downloads a browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def server_environment(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "1",  # static files from the source folders
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    env.pop("REDIS_URL", None)  # one process: the in-memory layer
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the server keeps Django's guard
    return env


def session_cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def signed_in_context(browser, base: str, user=None, **options):
    """A fresh browser context (its own cookies), signed in as ``user`` when given."""
    context = browser.new_context(**options)
    if user is not None:
        context.add_cookies([{"name": "sessionid", "value": session_cookie_for(user), "url": base}])
    return context


def wait_for_server(page, base: str) -> None:
    """The server process takes a moment to start: retry the first page load."""
    from playwright.sync_api import Error

    for _attempt in range(150):
        try:
            page.goto(base + "/healthz")
            return
        except Error:
            page.wait_for_timeout(200)
    raise AssertionError(f"{base} never answered")


def screenshot(page, name: str) -> None:
    """With E2E_SCREENSHOTS=1, the page at desktop and phone width under tests/e2e/screenshots/."""
    if os.environ.get("E2E_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(exist_ok=True)
    viewport = page.viewport_size
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
    if viewport:
        page.set_viewport_size(viewport)
