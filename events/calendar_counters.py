"""Which calendar scopes a write touches, and the counters that say so.

Scopes: ``events`` (every event: the public feed, its filtered variants and single-event
feeds) and ``organisation:<id>`` (what one organisation publishes). A member's personal
feed reads ``events`` and the member's ``Profile.updated`` (moved on every follow and
unfollow, ``events.following``), so no write fans out to followers.

Bumped by everything that writes events: ``sync_occurrences`` (called after every save,
removal and bulk write), ``events.signals.touch_events`` (themes, renames), deletes, and
a deleted feed's adopted events. A bump only ever invalidates; the ETag itself is still
computed from the rows, so a bump with no visible change costs one aggregate, never a
wrong 304.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import F
from django.utils import timezone

from events.id_lists import InIds
from events.models import CalendarCounter, Event

EVENTS = "events"
# The event list's filter options (organisations, themes, sectors, languages): see events.filter_panel.
FILTER_OPTIONS = "event-filters"


def organisation_scope(organisation_id: int) -> str:
    return f"organisation:{organisation_id}"


def bump(*, scopes: Iterable[str]) -> None:
    """Move these counters on (two queries, whatever their number)."""
    names = sorted(set(scopes))
    if not names:
        return
    now = timezone.now()
    CalendarCounter.objects.bulk_create(
        [CalendarCounter(scope=name, version=0, changed_at=now) for name in names], ignore_conflicts=True
    )
    CalendarCounter.objects.filter(scope__in=names).update(version=F("version") + 1, changed_at=now)


def scopes_of_events(event_ids: Iterable[int], *, organisation_ids: Iterable[int | None] = ()) -> set[str]:
    """``events`` and the organisations of these rows and of their series (an override shows
    in its master's VEVENT)."""
    ids = list(set(event_ids))
    scopes = {EVENTS}
    organisers = set(organisation_ids)
    if ids:
        # Distinct pairs: a feed's 10,000 events are one or two pairs, not 10,000 rows to send back.
        pairs = Event.objects.filter(InIds("pk", ids)).values_list("organiser_id", "series__organiser_id")
        for own, series in pairs.order_by().distinct():
            organisers.update((own, series))
    scopes.update(organisation_scope(pk) for pk in organisers if pk is not None)
    return scopes


def bump_for_events(*, event_ids: Iterable[int], organisation_ids: Iterable[int | None] = ()) -> None:
    """After a write to these events (and, for a moved event, its former organisers)."""
    bump(scopes=scopes_of_events(event_ids, organisation_ids=organisation_ids))


def read(*, scopes: list[str]) -> tuple[int, ...]:
    """The counters' values in ``scopes`` order (0 for a scope never bumped), in one query.

    Every feed request asks this first (a 304 asks nothing else), so it is plain SQL: building
    the ORM query cost more than running it.
    """
    table = connection.ops.quote_name(CalendarCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, version FROM {table} WHERE scope IN ({', '.join(['%s'] * len(scopes))})",  # noqa: S608
            scopes,
        )
        found = dict(cursor.fetchall())
    return tuple(found.get(name, 0) for name in scopes)
