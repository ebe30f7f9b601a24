"""Background tasks: thin wrappers that take ids, re-fetch, and call a domain function."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from events.federation.imports import import_feed, import_pending_upload
from events.federation.poll import claim_due_feeds
from events.models import Feed, ImportSource


@task()
def import_feed_task(feed_id: int, source: str = ImportSource.POLL) -> str:
    """Import one feed now; returns the run's outcome, or "" if the feed is gone."""
    feed = Feed.objects.select_related("organisation").filter(pk=feed_id).first()
    if feed is None:
        return ""
    return import_feed(feed=feed, source=source).outcome


@task()
def import_upload_task(run_id: int) -> str:
    """Import a calendar uploaded through the API; returns the run's outcome, or "" if already done."""
    run = import_pending_upload(run_id=run_id)
    return run.outcome if run is not None else ""


@task()
def poll_feeds_task() -> int:
    """Import every due feed this worker can claim, then schedule the next round.

    Returns how many feeds were imported. The next round is enqueued with a delay when
    the backend can defer (the database backend in production); ``manage.py poll_feeds``
    starts the chain and is safe to run again.
    """
    count = 0
    for feed_id in claim_due_feeds():
        feed = Feed.objects.select_related("organisation").filter(pk=feed_id).first()
        if feed is not None:
            import_feed(feed=feed, source=ImportSource.POLL)
            count += 1
    if default_task_backend.supports_defer:
        run_after = timezone.now() + dt.timedelta(seconds=settings.FEED_POLL_TICK_SECONDS)
        poll_feeds_task.using(run_after=run_after).enqueue()
    return count
