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


def group_by_day(occurrences: list[Occurrence], zone: dt.tzinfo) -> list[tuple[dt.date, list[Occurrence]]]:
    days: dict[dt.date, list[Occurrence]] = defaultdict(list)
    for occurrence in occurrences:
        days[occurrence.start.astimezone(zone).date()].append(occurrence)
    return sorted(days.items())


def month_grid(year: int, month: int, occurrences: list[Occurrence], zone: dt.tzinfo) -> list[list[dict]]:
    """Weeks of days (Monday first) for a month view; days outside the month are None."""
    by_day = dict(group_by_day(occurrences, zone))
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"date": d, "in_month": d.month == month, "occurrences": by_day.get(d, [])} for d in week])
    return weeks
