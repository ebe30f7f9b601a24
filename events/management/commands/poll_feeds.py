"""``manage.py poll_feeds``: start the background polling of partner feeds.

Enqueues ``poll_feeds_task``, which imports the due feeds and re-enqueues itself every
FEED_POLL_TICK_SECONDS. Safe to run again: it does nothing while a round is queued.
``--now`` runs one round in this process instead (cron-style deployments).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django_tasks_db.models import DBTaskResult

from events.tasks import poll_feeds_task


class Command(BaseCommand):
    help = "Start polling partner feeds in the task worker (or run one round now with --now)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", action="store_true", help="run one polling round in this process")

    def handle(self, *args, now: bool, **options) -> None:
        if now:
            count = poll_feeds_task.call()
            self.stdout.write(f"Imported {count} due feed(s).")
            return
        queued = DBTaskResult.objects.filter(task_path=poll_feeds_task.module_path, status="READY").exists()
        if queued:
            self.stdout.write("A polling round is already queued.")
            return
        poll_feeds_task.enqueue()
        self.stdout.write("Feed polling started.")
