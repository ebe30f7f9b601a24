"""Occurrences for pages, read from the occurrence table with LIMIT (never expanded per request)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

from django.db.models import Prefetch, Q, QuerySet

from events.models import Event, Occurrence
from events.recurrence import MAX_OCCURRENCES


def with_overrides(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related(
        Prefetch(
            "overrides",
            queryset=Event.objects.filter(removed_at__isnull=True).select_related("organiser"),
            to_attr="prefetched_overrides",
        )
    )


def occurrences_in_window(
    masters: QuerySet, start: dt.datetime, end: dt.datetime, *, cap: int = MAX_OCCURRENCES
) -> list[Occurrence]:
    """Occurrences of the series in ``masters`` overlapping [start, end), in time order, at most ``cap``.

    Read from the occurrence table (expanded when events are written): one range query
    whatever the number of series.
    """
    return list(_occurrences(masters).filter(start__lt=end, end__gt=start).order_by("start", "id")[:cap])


def upcoming_page(
    masters: QuerySet,
    *,
    since: dt.datetime,
    until: dt.datetime | None,
    after: tuple[dt.datetime, int] | None,
    size: int,
) -> list[Occurrence]:
    """A page of upcoming occurrences by keyset on (start, id): every occurrence is reachable,
    however many share a start time, and an event running for days is on one page only."""
    qs = _occurrences(masters).filter(end__gt=since)
    if until is not None:
        qs = qs.filter(start__lt=until)
    if after is not None:
        after_start, after_id = after
        qs = qs.filter(Q(start__gt=after_start) | Q(start=after_start, id__gt=after_id))
    return list(qs.order_by("start", "id")[:size])


def _occurrences(masters: QuerySet) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(series__in=masters.order_by().values("pk")).select_related(
        "event__organiser", "event__parent"
    )


def group_by_day(occurrences: list, zone: dt.tzinfo | None = None) -> list[tuple[dt.date, list]]:
    """Group by calendar day, in ``zone`` or else in each event's own zone (a 09:00
    session in Ljubljana belongs to its local day wherever the reader is)."""
    days: dict[dt.date, list] = defaultdict(list)
    for occurrence in occurrences:
        event = getattr(occurrence, "event", occurrence)
        days[occurrence.start.astimezone(zone or event.zone).date()].append(occurrence)
    return sorted(days.items())


def month_grid(year: int, month: int, occurrences: list[Occurrence], zone: dt.tzinfo | None = None) -> list[list[dict]]:
    """Weeks of days (Monday first) for a month view; days outside the month are None."""
    by_day = dict(group_by_day(occurrences, zone))
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"date": d, "in_month": d.month == month, "occurrences": by_day.get(d, [])} for d in week])
    return weeks
