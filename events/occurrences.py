"""Keep the occurrence table true: expand series when they are written, never per request.

``sync_occurrences`` is called after every write (``events.signals`` on save, the write
path's removal, bulk writers after ``bulk_create``) and by ``manage.py sync_occurrences``
for an operator who changes the horizon or wants it moved forward (it is also enqueued
daily by the worker). Each call replaces the named series' rows in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from events.calendar_counters import bump_for_events
from events.models import Event, Occurrence
from events.recurrence import expand

# A daily series over three years is 1,096 rows; more than this is not a calendar entry.
MAX_PER_SERIES = 2_000
BATCH = 500


def horizon(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    now = now or timezone.now()
    return (
        now - dt.timedelta(days=settings.OCCURRENCE_PAST_DAYS),
        now + dt.timedelta(days=settings.OCCURRENCE_FUTURE_DAYS),
    )


# What expanding a series reads: loading whole rows (descriptions and all) for 10,000
# imported events cost more than expanding them.
_EXPANSION_FIELDS = (
    "id", "series_id", "parent_id", "start", "end", "timezone", "all_day", "rrule", "rdates", "exdates",
    "recurrence_id",
)  # fmt: skip


def _masters(ids: Iterable[int]) -> QuerySet[Event]:
    overrides = Event.objects.filter(removed_at__isnull=True, recurrence_id__isnull=False).only(*_EXPANSION_FIELDS)
    return (
        Event.objects.filter(pk__in=list(ids), recurrence_id__isnull=True, removed_at__isnull=True)
        .only(*_EXPANSION_FIELDS)
        .prefetch_related(Prefetch("overrides", queryset=overrides, to_attr="prefetched_overrides"))
    )


def _insert(rows: list[tuple]) -> None:
    """Rows as tuples in one multi-row statement per batch: building an ``Occurrence`` object
    per row and ``bulk_create``'s per-field preparation cost more than the insert itself."""
    if not rows:
        return
    ops = connection.ops
    table = connection.ops.quote_name(Occurrence._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in _COLUMNS)
    placeholders = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    adapt = ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for position in range(0, len(rows), BATCH):
            chunk = rows[position : position + BATCH]
            values = [
                (series, event, adapt(start), adapt(end), adapt(recurrence_id), duration, listed)
                for series, event, start, end, recurrence_id, duration, listed in chunk
            ]
            # Names from the model, values as parameters: nothing from a request reaches the text.
            sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([placeholders] * len(values))  # noqa: S608
            cursor.execute(sql, [value for row in values for value in row])


_COLUMNS = ("series_id", "event_id", "start", "end", "recurrence_id", "duration", "listed")


@transaction.atomic
def sync_occurrences(*, series_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Replace the occurrences of these series (removed ones just lose theirs); returns rows written.

    Every writer calls this after writing, so it also moves the calendar counters of these
    series (``events.calendar_counters``): a feed's cached version is then recomputed.
    """
    ids = sorted(set(series_ids))
    if not ids:
        return 0
    bump_for_events(event_ids=ids)
    Occurrence.objects.filter(series_id__in=ids).delete()
    first, last = horizon(now)
    rows: list[tuple] = []
    ahead = dt.timedelta(days=settings.OCCURRENCE_FUTURE_DAYS)
    for series in _masters(ids):
        listed = series.parent_id is None
        # An event planned far ahead still gets its first occurrences: the horizon runs from
        # the series' own start when that is later than the global horizon allows.
        until = max(last, series.start + ahead)
        for occurrence in expand(series, first, until, cap=MAX_PER_SERIES):
            rows.append(
                (
                    series.pk,
                    occurrence.event.pk,
                    occurrence.start.astimezone(dt.UTC),
                    occurrence.end.astimezone(dt.UTC),
                    occurrence.recurrence_id,
                    max(0, int((occurrence.end - occurrence.start).total_seconds())),
                    listed,
                )
            )
    _insert(rows)
    return len(rows)


def sync_all_occurrences(*, now: dt.datetime | None = None, batch: int = 1000) -> int:
    """Rebuild the whole table (after a change of horizon, or to move it forward)."""
    ids = list(Event.objects.filter(recurrence_id__isnull=True).values_list("pk", flat=True))
    Occurrence.objects.exclude(series_id__in=ids).delete()
    total = 0
    for position in range(0, len(ids), batch):
        total += sync_occurrences(series_ids=ids[position : position + batch], now=now)
    return total
