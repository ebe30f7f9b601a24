"""Occurrences for pages: expand the series in a window, bounded, with overrides
fetched in one query for the whole page."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections import defaultdict

from django.db.models import Prefetch, QuerySet

from events.models import Event
from events.recurrence import MAX_OCCURRENCES, WINDOW_MAX_DAYS, Occurrence, expand


def with_overrides(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related(
        Prefetch(
            "overrides",
            queryset=Event.objects.filter(removed_at__isnull=True).select_related("organiser"),
            to_attr="prefetched_overrides",
        )
    )


def occurrences_in_window(
    qs: QuerySet, start: dt.datetime, end: dt.datetime, *, cap: int = MAX_OCCURRENCES
) -> list[Occurrence]:
    """Every occurrence of the events in ``qs`` inside [start, end), sorted, at most ``cap``."""
    end = min(end, start + dt.timedelta(days=WINDOW_MAX_DAYS))
    events = with_overrides(qs.in_window(start, end).select_related("organiser", "parent"))
    occurrences = itertools.chain.from_iterable(expand(event, start, end, cap=cap) for event in events)
    return sorted(occurrences, key=lambda o: (o.start, o.event.pk))[:cap]


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
