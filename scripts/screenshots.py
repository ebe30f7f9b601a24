"""Screenshots of the home page, the event list, an event page and the event form, at desktop
and phone width, into docs/screenshots/ (the README shows them).

    .venv/bin/python scripts/screenshots.py [--port 8620]

Everything is made here: a fresh SQLite database in a temporary folder with the demo content,
the server (``manage.py serve --no-worker``) on 127.0.0.1, and Debian's Chromium
(/usr/bin/chromium) driven by Playwright with a fresh profile and no background networking.
No browser is downloaded and nothing but 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
EDITOR = ("jordi@praxis.example", "praxis-demo")  # an editor of the demo's Florida Universitària


def _environment(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        SECRET_KEY=secrets.token_urlsafe(40),
        DEBUG="1",
        TASKS_BACKEND="immediate",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603 (fixed argv)


def _wait_for(port: int, timeout: float = 60) -> None:
    """Until the server accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not listen on 127.0.0.1:{port}")


def _shoot(base: str, profile_dir: Path) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(profile_dir), executable_path=CHROMIUM, args=CHROMIUM_FLAGS, locale="en-GB"
        )
        page = browser.new_page()
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=login]", EDITOR[0])
        page.fill("input[name=password]", EDITOR[1])
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{base}/events/")
        event_path = page.locator("main .event-list a[href^='/events/']").first.get_attribute("href")
        shots = {"home": "/", "event-list": "/events/", "event-page": event_path, "event-form": "/events/new/"}
        for size_name, size in SIZES.items():
            page.set_viewport_size(size)
            for name, path in shots.items():
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{size_name}.png"
                page.screenshot(path=str(target), full_page=False)
                written.append(target)
        # The header in Spanish, the longest of the three languages, must fit one row at 1280 px.
        page.set_viewport_size(SIZES["desktop"])
        browser.add_cookies([{"name": "django_language", "value": "es", "url": base}])
        page.goto(f"{base}/events/")
        page.wait_for_load_state("networkidle")
        target = OUT / "event-list-desktop-es.png"
        page.screenshot(path=str(target), full_page=False)
        written.append(target)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8620)
    port = parser.parse_args().port
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="praxis-shots-") as tmp:
        workdir = Path(tmp)
        env = _environment(workdir)
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "load_demo", "-v", "0")
        _manage(env, "sync_occurrences")
        server = subprocess.Popen(  # noqa: S603 (fixed argv)
            [sys.executable, "manage.py", "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(port)
            for path in _shoot(base, workdir / "chromium-profile"):
                print(path.relative_to(ROOT))
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
