"""Keep the occurrence table true: expand series when they are written, never per request.

``sync_occurrences`` is called after every write (``events.signals`` on save, the write
path's removal, bulk writers after ``bulk_create``) and by ``manage.py sync_occurrences``
for an operator who changes the horizon or wants it moved forward (it is also enqueued
daily by the worker). Each call replaces the named series' rows in one transaction.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from events.bulk_rows import insert_rows
from events.calendar_counters import bump_for_events
from events.id_lists import InIds
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


class SeriesColumns:
    """The columns of one Event that ``expand`` reads, without a model instance.

    Even with ``.only()``, building 10,000 Event instances (``Model.__init__``, the visible
    state each keeps) cost four times reading the same columns as tuples: a tenth of a first
    import. ``expand`` reads these attributes, and the three properties below are Event's own.
    """

    __slots__ = (*_EXPANSION_FIELDS, "prefetched_overrides")

    def __init__(self, *values: object) -> None:
        for name, value in zip(_EXPANSION_FIELDS, values, strict=True):
            setattr(self, name, value)
        self.prefetched_overrides: list[SeriesColumns] = []

    @property
    def pk(self) -> int:
        return self.id

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule or self.rdates)

    @property
    def local_start(self) -> dt.datetime:
        return self.start.astimezone(zoneinfo.ZoneInfo(self.timezone))

    @property
    def local_end(self) -> dt.datetime:
        return self.end.astimezone(zoneinfo.ZoneInfo(self.timezone))


def _masters(ids: Iterable[int]) -> list[SeriesColumns]:
    """The live series among ``ids``, each with its live overrides (two queries)."""
    live = Event.objects.filter(removed_at__isnull=True)
    masters = [
        SeriesColumns(*values)
        for values in live.filter(InIds("pk", ids), recurrence_id__isnull=True).values_list(*_EXPANSION_FIELDS)
    ]
    by_id = {series.id: series for series in masters}
    if by_id:
        overrides = live.filter(InIds("series_id", by_id), recurrence_id__isnull=False)
        for values in overrides.values_list(*_EXPANSION_FIELDS):
            override = SeriesColumns(*values)
            by_id[override.series_id].prefetched_overrides.append(override)
    return masters


def _insert(rows: list[tuple]) -> None:
    """Rows as tuples in multi-row statements (``events.bulk_rows``): building an ``Occurrence``
    object per row and ``bulk_create``'s per-field preparation cost more than the insert itself."""
    adapt = connection.ops.adapt_datetimefield_value
    values = [
        (series, event, adapt(start), adapt(end), adapt(recurrence_id), duration, listed)
        for series, event, start, end, recurrence_id, duration, listed in rows
    ]
    insert_rows(Occurrence, _COLUMNS, values, batch=BATCH)


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
    Occurrence.objects.filter(InIds("series_id", ids)).delete()
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
    Occurrence.objects.exclude(InIds("series_id", ids)).delete()  # every series: one parameter
    total = 0
    for position in range(0, len(ids), batch):
        total += sync_occurrences(series_ids=ids[position : position + batch], now=now)
    return total
