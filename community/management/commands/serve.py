"""Run the ASGI server and the task worker together, as `make run` does.

One command so that Ctrl-C stops both: the worker is a child process that is
terminated when uvicorn returns.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve HTTP and WebSockets with uvicorn and run one background task worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")

    def handle(self, *args, host: str, port: int, no_worker: bool, **options) -> None:
        import uvicorn

        worker = None
        if not no_worker:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--interval", "1"], cwd=settings.BASE_DIR
            )
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host  # noqa: S104
        self.stdout.write(
            self.style.SUCCESS(f"\nPraxis is running at http://{shown}:{port}/\n")
            + f"  Admin: http://{shown}:{port}/admin/  (demo login: admin@praxis.example / praxis-demo)\n"
            + "  Task worker: "
            + ("running\n" if worker else "not started\n")
            + "  Stop with Ctrl-C.\n"
        )
        try:
            uvicorn.run("config.asgi:application", host=host, port=port, lifespan="off", log_level="info")
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
