"""Occurrences for pages, read from the occurrence table with LIMIT (never expanded per request)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Func, IntegerField, Max, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from community.url_cache import object_url
from events.models import Event, EventStatus, Occurrence


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
_DAY = 86400


@dataclass(frozen=True)
class MonthEntry:
    """One occurrence in a month cell: no model rows are built for the grid."""

    pk: int
    start: dt.datetime
    time: str  # "09:30" in the calendar's zone
    title: str
    url: str
    cancelled: bool


def _offset_pieces(zone: dt.tzinfo, low: dt.datetime, high: dt.datetime) -> list[tuple[int, int]]:
    """The zone's UTC offset between two instants as ``[(until_epoch, offset_seconds), …]``,
    the last piece open-ended (``until_epoch`` 0): one piece for most months, two across a
    clock change. Found by probing each day and bisecting to the second where it changes."""

    def offset(instant: dt.datetime) -> int:
        return int(instant.astimezone(zone).utcoffset().total_seconds())

    pieces: list[tuple[int, int]] = []
    current, here = offset(low), low
    while here < high:
        following = min(here + dt.timedelta(days=1), high)
        if offset(following) != current:
            before, after = here, following
            while after - before > dt.timedelta(seconds=1):
                middle = before + (after - before) / 2
                before, after = (middle, after) if offset(middle) == current else (before, middle)
            pieces.append((int(after.timestamp()), current))
            current = offset(after)
            here = after
        else:
            here = following
    pieces.append((0, current))
    return pieces


class _LocalDayIndex(Func):
    """Days from ``base`` (a local midnight written as if it were UTC) to the occurrence's
    local date in a zone given as offset pieces: integer arithmetic on epoch seconds, the
    same on SQLite and PostgreSQL, so a month costs one small expression, not a CASE per day."""

    output_field = IntegerField()

    def __init__(self, start, *, base: int, pieces: list[tuple[int, int]]):
        super().__init__(start)
        self.base, self.pieces = base, pieces

    def _sql(self, compiler, connection, epoch: str):
        start_sql, params = compiler.compile(self.source_expressions[0])
        seconds = epoch.format(start_sql)
        if len(self.pieces) == 1:
            offset, offset_params = "%s", [self.pieces[0][1]]
        else:
            whens = " ".join(f"WHEN {seconds} < %s THEN %s" for _until, _offset in self.pieces[:-1])
            offset = f"CASE {whens} ELSE %s END"
            offset_params = []
            for until, value in self.pieces[:-1]:
                offset_params += [*params, until, value]
            offset_params.append(self.pieces[-1][1])
        sql = f"(({seconds} + {offset} - %s) / {_DAY})"
        return sql, [*params, *offset_params, self.base]

    def as_sqlite(self, compiler, connection, **extra):
        return self._sql(compiler, connection, "CAST(strftime('%%s', {}) AS INTEGER)")

    def as_postgresql(self, compiler, connection, **extra):
        return self._sql(compiler, connection, "CAST(FLOOR(EXTRACT(EPOCH FROM {})) AS BIGINT)")


def month_occurrences(
    masters: QuerySet | None, *, first: dt.date, last: dt.date, zone: dt.tzinfo, shown: int = MONTH_DAY_SHOWN
) -> tuple[dict[dt.date, list[MonthEntry]], dict[dt.date, int]]:
    """For each day from ``first`` to ``last`` (in ``zone``): its first ``shown`` occurrences by
    start, and how many start that day.

    Two queries whatever the number of events: the database numbers each day's occurrences
    (a window over the local day, computed from epoch seconds and the zone's offset) and only
    the first few of each day are fetched, as plain values, so a month with 40,000
    occurrences costs Python what a quiet one does.
    """
    low = dt.datetime.combine(first, dt.time(), zone)
    high = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)
    base = calendar.timegm(first.timetuple())
    day = _LocalDayIndex(F("start"), base=base, pieces=_offset_pieces(zone, low, high))
    in_range = _occurrences(masters).filter(start__gte=low, start__lt=high)
    ranked = (
        in_range.annotate(
            day_index=day, rank=Window(RowNumber(), partition_by=[F("day_index")], order_by=[F("start"), F("id")])
        )
        .filter(rank__lte=shown)
        .order_by("start", "id")
        .values_list("pk", "start", "day_index", "event_id", "event__title", "event__status", named=True)
    )
    by_day: dict[dt.date, list[MonthEntry]] = defaultdict(list)
    for row in ranked:
        by_day[first + dt.timedelta(days=row.day_index)].append(
            MonthEntry(
                pk=row.pk,
                start=row.start,
                time=row.start.astimezone(zone).strftime("%H:%M"),
                title=row.event__title,
                url=object_url("event-detail", "pk", row.event_id),
                cancelled=row.event__status == EventStatus.CANCELLED,
            )
        )
    counts = {
        first + dt.timedelta(days=row["day_index"]): row["n"]
        for row in in_range.order_by().annotate(day_index=day).values("day_index").annotate(n=Count("id"))
    }
    return dict(by_day), counts


def month_grid(
    year: int,
    month: int,
    by_day: dict[dt.date, list[MonthEntry]],
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
