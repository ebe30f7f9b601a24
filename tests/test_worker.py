"""The real task worker (django_tasks_db's db_worker) picks up a task and records its result."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from community.models import Invitation
from community.tasks import send_invitation_task
from tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_an_enqueued_task_and_records_its_result(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if connection.vendor == "sqlite" and ":memory:" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite test database is invisible to another process")
    invitation = Invitation.objects.create(organisation=OrganisationFactory(), email="worker@example.org")
    result = send_invitation_task.enqueue(invitation.pk, "http://testserver")
    assert DBTaskResult.objects.get(id=result.id).status == "READY"

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",  # with DEBUG the worker runs under the autoreloader and never exits
        "SECRET_KEY": "worker-test-secret-key-" + "x" * 40,
        "EMAIL_URL": "console://",
        "TASKS_BACKEND": "database",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    proc = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--max-tasks", "1", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=40,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value == "worker@example.org"
    assert "worker@example.org" in proc.stdout  # the console email backend printed the invitation
