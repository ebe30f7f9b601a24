"""Occurrences for pages, read from the occurrence table with LIMIT (never expanded per request)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

from django.db.models import Case, Count, F, IntegerField, Max, Prefetch, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from events.models import Event, Occurrence


def with_overrides(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related(
        Prefetch(
            "overrides",
            queryset=Event.objects.filter(removed_at__isnull=True).select_related("organiser"),
            to_attr="prefetched_overrides",
        )
    )


def upcoming_page(
    masters: QuerySet | None,
    *,
    since: dt.datetime,
    until: dt.datetime | None,
    after: tuple[dt.datetime, int] | None,
    size: int,
) -> list[Occurrence]:
    """A page of occurrences not over at ``since``, by keyset on (start, id): every occurrence
    is reachable, however many share a start time, and one running for days is on one page.

    Each query is a range on the (listed, start, id) index with LIMIT: what is happening now
    is looked for only as far back as the longest occurrence lasts. ``masters`` None means
    the whole shared calendar (no filter: no subquery).
    """
    return _upcoming(_occurrences(masters), since=since, until=until, after=after, size=size)


def _upcoming(
    qs: QuerySet, *, since: dt.datetime, until: dt.datetime | None, after: tuple[dt.datetime, int] | None, size: int
) -> list:
    base = qs.filter(end__gt=since)
    if until is not None:
        base = base.filter(start__lt=until)
    if after is not None:
        after_start, after_id = after
        qs = base.filter(Q(start__gt=after_start) | Q(start=after_start, id__gt=after_id))
        return list(qs.order_by("start", "id")[:size])
    longest = _longest()
    ongoing = list(
        base.filter(start__gte=since - dt.timedelta(seconds=longest), start__lt=since).order_by("start", "id")[:size]
    )
    later = list(base.filter(start__gte=since).order_by("start", "id")[: size - len(ongoing)])
    return ongoing + later


def _longest() -> int:
    return Occurrence.objects.aggregate(longest=Max("duration"))["longest"] or 0


def _occurrences(masters: QuerySet | None) -> QuerySet[Occurrence]:
    qs = Occurrence.objects.filter(listed=True).select_related("event__organiser", "event__parent")
    if masters is not None:
        qs = qs.filter(series__in=masters.order_by().values("pk"))
    return qs


def upcoming_series_page(
    masters: QuerySet | None,
    *,
    since: dt.datetime,
    until: dt.datetime | None,
    after: tuple[dt.datetime, int] | None,
    size: int,
    reach: int = 4,
) -> tuple[list[int], bool]:
    """A page of at most ``size`` upcoming occurrences where a series shows once, at its next
    occurrence (marked as repeating), instead of a card per week pushing everything else off
    the page. Returns the page's occurrence ids in order (``events.summary_cards`` turns them
    into cards) and whether more follow.

    One keyset read of ``reach`` pages' worth of rows, so the cost is the same for every
    page; when a few series fill all of that, the page is shorter and "Later events" goes on.
    """
    # The keys only: no rows are built here, not even for the occurrences shown.
    keys = Occurrence.objects.filter(listed=True)
    if masters is not None:
        keys = keys.filter(series__in=masters.order_by().values("pk"))
    batch = _upcoming(
        keys.values_list("id", "series_id", named=True), since=since, until=until, after=after, size=size * reach + 1
    )
    chosen: list[int] = []
    seen: set[int] = set()
    more = len(batch) > size * reach
    for key in batch:
        if key.series_id in seen:
            continue
        if len(chosen) == size:
            more = True
            break
        seen.add(key.series_id)
        chosen.append(key.id)
    return chosen, more


def group_by_day(occurrences: list, zone: dt.tzinfo | None = None) -> list[tuple[dt.date, list]]:
    """Group by calendar day, in ``zone`` or else in each event's own zone (a 09:00
    session in Ljubljana belongs to its local day wherever the reader is)."""
    days: dict[dt.date, list] = defaultdict(list)
    for occurrence in occurrences:
        event = getattr(occurrence, "event", occurrence)
        days[occurrence.start.astimezone(zone or event.zone).date()].append(occurrence)
    return sorted(days.items())


MONTH_DAY_SHOWN = 4


def month_occurrences(
    masters: QuerySet | None, *, first: dt.date, last: dt.date, zone: dt.tzinfo, shown: int = MONTH_DAY_SHOWN
) -> tuple[dict[dt.date, list[Occurrence]], dict[dt.date, int]]:
    """For each day from ``first`` to ``last`` (in ``zone``): its first ``shown`` occurrences by
    start, and how many start that day.

    Two queries whatever the number of events: the database numbers each day's occurrences
    (a window function over a day bucket) and only the first few of each day are fetched
    and built, so a month with 40,000 occurrences costs Python what a quiet one does.
    """
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    bounds = [
        (
            day,
            dt.datetime.combine(day, dt.time(), zone),
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone),
        )
        for day in days
    ]
    bucket = Case(
        *[When(start__gte=low, start__lt=high, then=Value(index)) for index, (_day, low, high) in enumerate(bounds)],
        default=Value(-1),
        output_field=IntegerField(),
    )
    in_range = _occurrences(masters).filter(start__gte=bounds[0][1], start__lt=bounds[-1][2])
    ranked = in_range.annotate(
        day_index=bucket,
        rank=Window(RowNumber(), partition_by=[F("day_index")], order_by=[F("start").asc(), F("id").asc()]),
    ).filter(rank__lte=shown)
    by_day: dict[dt.date, list[Occurrence]] = defaultdict(list)
    for occurrence in ranked.order_by("start", "id"):
        by_day[days[occurrence.day_index]].append(occurrence)
    counts = {
        days[row["day_index"]]: row["n"]
        for row in in_range.order_by().annotate(day_index=bucket).values("day_index").annotate(n=Count("id"))
        if row["day_index"] >= 0
    }
    return dict(by_day), counts


def month_grid(
    year: int,
    month: int,
    by_day: dict[dt.date, list[Occurrence]],
    counts: dict[dt.date, int],
    *,
    today: dt.date | None = None,
) -> list[list[dict]]:
    """Weeks of days (Monday first) for a month view. A day shows its first few occurrences and
    how many more there are (the list view for that day has them all), so a busy month costs
    the same to draw as a quiet one."""
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for d in week:
            day = by_day.get(d, [])
            row.append(
                {
                    "date": d,
                    "in_month": d.month == month,
                    "today": d == today,
                    "occurrences": day[:MONTH_DAY_SHOWN],
                    "more": max(0, counts.get(d, len(day)) - MONTH_DAY_SHOWN),
                }
            )
        weeks.append(row)
    return weeks
