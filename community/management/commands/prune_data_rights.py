"""``manage.py prune_data_rights``: drop audit-log entries past AUDIT_LOG_RETENTION_DAYS and expired archives.

Runs now, in this process (cron); ``--schedule`` instead enqueues ``prune_data_rights_task``,
which repeats daily in the task worker (safe to run again: nothing is enqueued while one waits).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django_tasks_db.models import DBTaskResult

from community.tasks import prune_data_rights_task


class Command(BaseCommand):
    help = "Prune the audit log (AUDIT_LOG_RETENTION_DAYS) and expired data archives."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schedule", action="store_true", help="repeat daily in the task worker instead")

    def handle(self, *args, schedule: bool, **options) -> None:
        if schedule:
            waiting = DBTaskResult.objects.filter(task_path=prune_data_rights_task.module_path, status="READY")
            if not waiting.exists():
                prune_data_rights_task.enqueue(True)
            self.stdout.write("Daily pruning is scheduled.")
            return
        result = prune_data_rights_task.call()
        self.stdout.write(
            f"Deleted {result['audit_entries']} audit-log entries and {result['archives']} expired archive(s)."
        )
