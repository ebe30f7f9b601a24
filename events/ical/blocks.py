"""Each event's VEVENT lines rendered once per version and kept in the shared cache.

A feed of 10,000 events used to render every VEVENT on every cold request, although after
an edit only one of them changed. Here a feed first reads just (id, updated) of its rows and
of their overrides, asks the cache for those blocks in bulk, renders only the missing ones
(with icalendar's encoders, ``events.ical.export``) and puts the body together. A block's key
holds the row's ``updated``, its overrides' and the writer's version, so a stale block is
never used: every change that reaches a VEVENT touches ``updated`` (``events.signals``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.core.cache import cache
from django.db.models import QuerySet

from events.ical.export import assemble_calendar, event_queryset_for_feed, render_blocks
from events.models import Event

BLOCK_TIMEOUT = 7 * 24 * 3600
CHUNK = 4000  # ids per IN (...) and per cache round trip: under SQLite's variable limit (32,766)


def render_calendar_cached(
    qs: QuerySet[Event], *, version: str, name: str, description: str, url: str, source: str | None = None
) -> bytes:
    """The VCALENDAR of the master rows in ``qs``, from cached blocks where they are current."""
    masters = list(qs.order_by("start", "id").values_list("pk", "updated"))
    overrides: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for series_id, pk, updated in (
        Event.objects.filter(
            series__in=qs.order_by().values("pk"), recurrence_id__isnull=False, removed_at__isnull=True
        )
        .order_by("recurrence_id", "id")
        .values_list("series_id", "pk", "updated")
    ):
        overrides[series_id].append((pk, updated.isoformat()))
    keys = {
        pk: "praxis:vevent:"
        + hashlib.sha256(f"{version}|{pk}|{updated.isoformat()}|{overrides[pk]}".encode()).hexdigest()[:32]
        for pk, updated in masters
    }
    # A block is its lines joined into one string (one string pickles and unpickles far faster
    # than a list of lines) and the years per TZID it needs.
    blocks: dict[str, tuple[str, dict[str, list[int]]]] = {}
    ordered_keys = list(keys.values())
    for position in range(0, len(ordered_keys), CHUNK):
        blocks.update(cache.get_many(ordered_keys[position : position + CHUNK]))
    missing = [pk for pk, key in keys.items() if key not in blocks]
    for position in range(0, len(missing), CHUNK):
        chunk = missing[position : position + CHUNK]
        fresh = {}
        for pk, lines, years in render_blocks(event_queryset_for_feed(Event.objects.filter(pk__in=chunk))):
            fresh[keys[pk]] = ("\r\n".join(lines), years)
        cache.set_many(fresh, timeout=BLOCK_TIMEOUT)
        blocks.update(fresh)
    lines: list[str] = []
    years: dict[str, list[int]] = {}
    for pk, _updated in masters:
        block_text, block_years = blocks[keys[pk]]
        if block_text:
            lines.append(block_text)
        for tzid, (first, last) in block_years.items():
            span = years.setdefault(tzid, [first, last])
            span[0], span[1] = min(span[0], first), max(span[1], last)
    return assemble_calendar(lines, years, name=name, description=description, url=url, source=source)
