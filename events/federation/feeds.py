"""Adding, changing, removing and refreshing an organisation's feeds.

The organisation page, the admin and the partner API all call these; permission is the
caller's job (an editor of the organisation, or its API key), the organisation is always
given, so a feed id from another organisation is simply not found.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from community.models import Organisation
from events.federation.poll import resume_feed
from events.models import Feed, ImportSource
from events.tasks import import_feed_task

FEED_FIELDS = ("name", "url", "is_active", "poll_interval", "default_timezone", "default_language")
FEED_M2M = ("default_themes", "default_sectors")


def feeds_of(organisation: Organisation):
    return Feed.objects.filter(organisation=organisation).order_by("name", "pk")


@transaction.atomic
def save_feed(*, organisation: Organisation, feed: Feed | None = None, values: dict) -> Feed:
    """Create or change a feed; raises ValidationError (URL refused, interval too short, …)."""
    feed = feed or Feed(organisation=organisation)
    if feed.organisation_id != organisation.pk:
        raise Feed.DoesNotExist
    old_url = feed.url
    old_defaults = (feed.default_timezone, feed.default_language_id) if feed.pk else None
    for name in FEED_FIELDS:
        if name in values:
            setattr(feed, name, values[name])
    feed.full_clean()
    if feed.pk is None or feed.url != old_url or old_defaults != (feed.default_timezone, feed.default_language_id):
        feed.forget_validators()  # what the feed means changed: read everything on the next poll
        feed.next_poll_at = timezone.now()
    feed.save()
    for name in FEED_M2M:
        if name in values:
            getattr(feed, name).set(values[name])
    return feed


def delete_feed(*, feed: Feed) -> None:
    """Stop polling and forget the feed; its events stay (no longer linked to it)."""
    feed.delete()


def request_refresh(*, feed: Feed) -> None:
    """ "Refresh now": clear a pause and enqueue an import at once (after the transaction commits)."""
    resume_feed(feed=feed)
    transaction.on_commit(lambda: import_feed_task.enqueue(feed.pk, ImportSource.REFRESH))
