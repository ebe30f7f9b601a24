"""A feed streamed from stored VEVENT blocks: a web process never holds the whole body.

Each master row's VEVENT lines (with its overrides) are rendered once and stored in
``VeventBlock`` under a key of everything they depend on: the writer's version, the row's
``updated`` and its overrides' (every change that reaches a VEVENT touches ``updated``,
``events.signals``). A feed then makes two passes over its rows:

1. (id, updated, stored key, stored years) in (start, id) order: render and store the blocks whose key is
   stale or missing (after an edit, one), and gather the years per TZID the VTIMEZONEs
   must cover, since those come first in the body;
2. the stored text, by chunks of those ids, written out in that order as it comes.

Memory stays at one chunk of text plus the ids (about 4 MB at 100,000 rows), whatever the
feed's size; only the narrow rows of pass 1 are sorted, never the text.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet

from events.ical.export import CALENDAR_TAIL, calendar_head, event_queryset_for_feed, render_blocks
from events.models import Event, VeventBlock

CHUNK = 2000  # rows per fetch of the streaming read
RENDER_CHUNK = 500  # stale blocks rendered and stored per batch
FLUSH_CHARS = 256 * 1024  # characters of VEVENT text per chunk written out


def _block_key(version: str, pk: int, updated, overrides: list[tuple[int, str]]) -> str:
    return hashlib.sha256(f"{version}|{pk}|{updated.isoformat()}|{overrides}".encode()).hexdigest()[:32]


def _merge_years(into: dict[str, list[int]], years: dict[str, list[int]]) -> None:
    for tzid, (first, last) in years.items():
        span = into.setdefault(tzid, [first, last])
        span[0], span[1] = min(span[0], first), max(span[1], last)


def _overrides_of(rows: QuerySet[Event]) -> dict[int, list[tuple[int, str]]]:
    overrides: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for series_id, pk, updated in (
        Event.objects.filter(
            series__in=rows.order_by().values("pk"), recurrence_id__isnull=False, removed_at__isnull=True
        )
        .order_by("recurrence_id", "id")
        .values_list("series_id", "pk", "updated")
    ):
        overrides[series_id].append((pk, updated.isoformat()))
    return overrides


def _store(stale: dict[int, str]) -> dict[int, tuple[str, dict[str, list[int]]]]:
    """Render these master rows and store their blocks under the given keys."""
    rendered = {}
    ids = list(stale)
    for position in range(0, len(ids), RENDER_CHUNK):
        chunk = ids[position : position + RENDER_CHUNK]
        fresh = [
            VeventBlock(event_id=pk, key=stale[pk], text="\r\n".join(lines), years=years)
            for pk, lines, years in render_blocks(event_queryset_for_feed(Event.objects.filter(pk__in=chunk)))
        ]
        VeventBlock.objects.bulk_create(
            fresh, update_conflicts=True, unique_fields=["event"], update_fields=["key", "text", "years"]
        )
        rendered.update((block.event_id, (block.text, block.years)) for block in fresh)
    return rendered


def refresh_blocks(rows: QuerySet[Event], *, version: str) -> tuple[list[int], dict[str, list[int]]]:
    """Pass 1: bring the stored blocks of ``rows`` up to date. Returns their ids in (start, id)
    order (sorting these narrow rows, not the wide text) and the years per TZID they need."""
    overrides = _overrides_of(rows)
    years: dict[str, list[int]] = {}
    stale: dict[int, str] = {}
    order: list[int] = []
    for pk, updated, key, block_years in (
        rows.order_by("start", "id")
        .values_list("pk", "updated", "vevent_block__key", "vevent_block__years")
        .iterator(CHUNK)
    ):
        order.append(pk)
        wanted = _block_key(version, pk, updated, overrides.get(pk, []))
        if key == wanted:
            _merge_years(years, block_years)
        else:
            stale[pk] = wanted
    for _text, block_years in _store(stale).values():
        _merge_years(years, block_years)
    return order, years


def stream_calendar(
    qs: QuerySet[Event], *, version: str, name: str, description: str, url: str, source: str | None = None
) -> Iterator[bytes]:
    """The VCALENDAR of the master rows in ``qs`` as chunks of bytes, from stored blocks.

    Gives the same bytes as ``events.ical.export.render_calendar`` of the same rows.
    """
    # A DISTINCT queryset (theme and sector filters) is read through its ids, so the join to
    # the blocks and the ordering stay outside its DISTINCT.
    rows = Event.objects.filter(pk__in=qs.values("pk")) if qs.query.distinct else qs
    order, years = refresh_blocks(rows, version=version)
    yield calendar_head(years, name=name, description=description, url=url, source=source).encode()
    parts: list[str] = []
    size = 0
    for position in range(0, len(order), CHUNK):
        chunk = order[position : position + CHUNK]
        texts = dict(VeventBlock.objects.filter(event_id__in=chunk).values_list("event_id", "text"))
        for pk in chunk:
            text = texts.get(pk)
            if text is None:  # its block went away between the two passes: render it now
                text = "\r\n".join(
                    next(iter(render_blocks(event_queryset_for_feed(Event.objects.filter(pk=pk)))), (0, [], {}))[1]
                )
            if text:
                parts.append("\r\n")
                parts.append(text)
                size += len(text)
            if size >= FLUSH_CHARS:
                yield "".join(parts).encode()
                parts, size = [], 0
    parts.append(CALENDAR_TAIL)
    yield "".join(parts).encode()
