"""When each feed is fetched next, and what a run's outcome does to the feed's state.

The worker calls ``poll_due_feeds`` periodically (the ``poll_feeds_task`` re-enqueues
itself). Feeds are claimed with a conditional UPDATE on ``claimed_until``, so any number
of workers never fetch the same feed twice at once; a claim that a crashed worker left
behind expires after ``CLAIM_SECONDS``.

After a failure the next attempt waits the poll interval times 2^(failures-1), capped at
a day; after ``FEED_MAX_FAILURES`` consecutive failures the feed is paused and the
organisation's admins get an email. Resuming (or "refresh now") clears the pause.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Role
from events.models import Feed, ImportOutcome, ImportRun

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 600
_STATE_FIELDS = (
    "last_polled_at",
    "claimed_until",
    "consecutive_failures",
    "last_error",
    "last_error_at",
    "next_poll_at",
    "paused_at",
    "last_success_at",
    "etag",
    "last_modified_header",
    "body_hash",
    "context_hash",
)
MAX_BACKOFF = dt.timedelta(days=1)


def next_poll_after_failure(*, interval: dt.timedelta, failures: int) -> dt.timedelta:
    return min(interval * (2 ** max(failures - 1, 0)), max(MAX_BACKOFF, interval))


def record_outcome(*, feed: Feed, run: ImportRun) -> None:
    """Update the feed's state from ``run``: success resets the count, failure backs off or pauses."""
    now = run.finished
    feed.last_polled_at = now
    feed.claimed_until = None
    just_paused = False
    if run.outcome == ImportOutcome.FAILED:
        feed.consecutive_failures += 1
        feed.last_error, feed.last_error_at = run.message[:2000], now
        feed.next_poll_at = now + next_poll_after_failure(
            interval=feed.poll_interval, failures=feed.consecutive_failures
        )
        if feed.consecutive_failures >= settings.FEED_MAX_FAILURES and feed.paused_at is None:
            feed.paused_at = now
            just_paused = True
    else:
        feed.consecutive_failures = 0
        feed.last_success_at = now
        feed.next_poll_at = now + feed.poll_interval
    # One UPDATE, no save(): no signals, so no Wagtail reference-index task per poll.
    Feed.objects.filter(pk=feed.pk).update(**{name: getattr(feed, name) for name in _STATE_FIELDS})
    if just_paused:
        notify_feed_paused(feed=feed)


def notify_feed_paused(*, feed: Feed) -> int:
    """Email the organisation's admins that their feed stopped; returns how many were told."""
    admins = list(
        feed.organisation.memberships.filter(role=Role.ADMIN)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not admins:
        return 0
    link = settings.SITE_URL + reverse("organisation-feeds", kwargs={"slug": feed.organisation.slug})
    send_mail(
        _("Praxis paused your calendar feed “%(name)s”") % {"name": feed.name},
        _(
            "The feed %(url)s failed %(count)s times in a row and is paused.\n"
            "Last error: %(error)s\n\nFix the feed, then press “Refresh now” on %(link)s\n"
        )
        % {"url": feed.url, "count": feed.consecutive_failures, "error": feed.last_error, "link": link},
        None,
        admins,
    )
    return len(admins)


def due_feeds(now: dt.datetime | None = None):
    now = now or timezone.now()
    return (
        Feed.objects.filter(is_active=True, paused_at__isnull=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    )


def claim_due_feeds(*, now: dt.datetime | None = None, limit: int | None = None) -> list[int]:
    """Ids of due feeds this worker now owns (each claimed by a conditional UPDATE)."""
    now = now or timezone.now()
    claimed = []
    for pk in (
        due_feeds(now).order_by("next_poll_at", "pk").values_list("pk", flat=True)[: limit or settings.FEED_POLL_BATCH]
    ):
        won = due_feeds(now).filter(pk=pk).update(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS))
        if won:
            claimed.append(pk)
    return claimed


def resume_feed(*, feed: Feed) -> None:
    """Clear a pause and the failure count, and make the feed due now."""
    feed.paused_at = None
    feed.consecutive_failures = 0
    feed.next_poll_at = timezone.now()
    Feed.objects.filter(pk=feed.pk).update(paused_at=None, consecutive_failures=0, next_poll_at=feed.next_poll_at)
