"""The one place the import path writes Event rows: in bulk, only what really changed.

Key: (organiser, uid, recurrence_id); another organisation's UID never matches. Rules:

- An older version never overwrites a newer one: a lower SEQUENCE loses, and with equal
  SEQUENCE an older LAST-MODIFIED loses.
- Only rows whose values differ are written (``bulk_create`` / ``bulk_update`` in batches
  of ``BATCH``), with ``updated`` and ``series_end`` set explicitly: bulk writes skip
  ``save()``, so nothing else would keep them true, and ``updated`` drives feed ETags.
  No ``save()`` per row also means no signal and no Wagtail reference-index task per row.
- Overrides (RECURRENCE-ID) are written after their masters so they can point at them,
  whatever order the feed had; an override whose master exists nowhere is reported.
- Events gone from a clean fetch are marked removed (``removed_at``), never deleted, and
  restored when they come back.

The caller holds the transaction (one per run). Each row passes the event core's rules
(``Event.clean``, reported per event when it fails) and is stored in its one form
(``Event.normalise``: plain text, rule, RDATE/EXDATE, ``series_end``); the occurrence table
follows every write (``events.occurrences.sync_occurrences``).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Organisation
from events.bulk_rows import column_adapter, insert_rows, update_rows
from events.federation.normalise import IncomingEvent
from events.id_lists import InIds
from events.models import Event, EventStatus, Feed, ImportedBlock, Origin
from events.occurrences import sync_occurrences
from events.recurrence import series_end_of

BATCH = 500
Key = tuple[str, dt.datetime | None]

# Columns an import owns; compared to decide "unchanged" and written when not.
WRITTEN_FIELDS = (
    "title",
    "description",
    "description_text",
    "start",
    "end",
    "timezone",
    "all_day",
    "rrule",
    "rdates",
    "exdates",
    "status",
    "sequence",
    "source_last_modified",
    "venue",
    "url",
    "online_url",
    "latitude",
    "longitude",
)
# What an update writes: the above, what they imply, and the row's bookkeeping.
UPDATED_FIELDS = (*WRITTEN_FIELDS, "search_text", "series", "series_end", "removed_at", "updated", "feed", "origin")


@dataclass
class UpsertProblem:
    position: int | None
    uid: str
    kind: str
    message: str
    prop: str = ""


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    removed: int = 0
    failed: int = 0
    problems: list[UpsertProblem] = field(default_factory=list)
    ids: dict[Key, int] = field(default_factory=dict)  # the row each incoming event now maps to

    def fail(self, incoming: IncomingEvent, kind: str, message: str, prop: str = "") -> None:
        self.failed += 1
        self.problems.append(UpsertProblem(incoming.position, incoming.uid, kind, message, prop))


class StaleVersionError(Exception):
    """The incoming version is older than the stored one (the partner API answers 409)."""

    def __init__(self, event: Event) -> None:
        super().__init__(_("A newer version (SEQUENCE %(seq)s) is already stored.") % {"seq": event.sequence})
        self.event = event


def new_event(organisation: Organisation) -> Event:
    """An unsaved feed Event of ``organisation`` with every other field at its default."""
    return Event(organiser=organisation, origin=Origin.FEED)


def _copy_event(prototype: Event) -> Event:
    """What ``copy.copy`` gives for a model instance (Django's ``__getstate__``: the field
    values, and a ModelState copy with its own cache of related objects), minus the pickle
    protocol's generic machinery around it."""
    event = Event.__new__(Event)
    state = prototype.__dict__.copy()
    state["_state"] = copy.copy(prototype._state)
    state["_state"].fields_cache = dict(prototype._state.fields_cache)
    event.__dict__.update(state)
    return event


def _values(incoming: IncomingEvent, organisation: Organisation, prototype: Event | None = None) -> dict[str, object]:
    """The row's values in the stored form of every other writer (``Event.normalise``), after
    the calendar's rules (``Event.clean``); raises ValidationError naming the field.

    A bulk caller passes a ``prototype`` from ``new_event``, copied per row: ``Model.__init__``
    of the Event model cost ten times the copy, and was a tenth of a first import.
    """
    event = _copy_event(prototype) if prototype is not None else new_event(organisation)
    event.uid = incoming.uid
    event.title = incoming.title
    event.description = incoming.description
    event.start, event.end = incoming.start, incoming.end
    event.timezone, event.all_day = incoming.timezone, incoming.all_day
    event.rrule, event.rdates, event.exdates = incoming.rrule, incoming.rdates, incoming.exdates
    event.status = incoming.status
    event.venue, event.url, event.online_url = incoming.venue, incoming.url, incoming.online_url
    event.latitude, event.longitude = incoming.latitude, incoming.longitude
    event.clean()
    event.normalise(html_is_sanitised=True, text=incoming.description_text or None)
    return {
        "title": event.title,
        "description": event.description,
        "description_text": event.description_text,
        "start": event.start,
        "end": event.end,
        "timezone": event.timezone,
        "all_day": event.all_day,
        "rrule": event.rrule,
        "rdates": event.rdates,
        "exdates": event.exdates,
        "status": event.status,
        "sequence": incoming.sequence,
        "source_last_modified": incoming.last_modified,
        "venue": event.venue,
        "url": event.url,
        "online_url": event.online_url,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "search_text": event.search_text,  # what the calendar's and the site's keyword search read
    }


_PROPERTY_OF_FIELD = {
    "start": "DTSTART", "end": "DTEND", "rrule": "RRULE", "rdates": "RDATE", "exdates": "EXDATE",
    "uid": "UID", "latitude": "GEO", "longitude": "GEO", "online_url": "URL", "url": "URL", "title": "SUMMARY",
}  # fmt: skip


def _checked_values(
    item: IncomingEvent, organisation: Organisation, result: UpsertResult, prototype: Event
) -> dict | None:
    """``_values``, or None with the refusal reported (the rest of the feed goes on)."""
    try:
        return _values(item, organisation, prototype)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items())) if hasattr(exc, "error_dict") else ("", exc.messages)
        result.fail(item, "invalid", " ".join(messages), _PROPERTY_OF_FIELD.get(field, field.upper()))
        return None


def is_older(incoming: IncomingEvent, existing: Event) -> bool:
    if incoming.sequence != existing.sequence:
        return incoming.sequence < existing.sequence
    if incoming.last_modified and existing.source_last_modified:
        return incoming.last_modified < existing.source_last_modified
    return False


def _chunks(items: Sequence, size: int = BATCH) -> Iterable[Sequence]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _existing(organisation: Organisation, uids: list[str]) -> dict[Key, Event]:
    rows: dict[Key, Event] = {}
    for chunk in _chunks(uids):
        for event in Event.objects.filter(organiser=organisation, uid__in=chunk):
            rows[(event.uid, event.recurrence_id)] = event
    return rows


def _series_end(values: dict[str, object]) -> dt.datetime | None:
    if not values["rrule"] and not values["rdates"]:
        return values["end"]  # type: ignore[return-value]
    return series_end_of(SimpleNamespace(**values))  # type: ignore[arg-type]


# The first key of the advisory locks this module takes ("PRAX"); the second is the organisation.
_LOCK_SPACE = 0x50524158


def hold_organisation_imports(organisation_id: int) -> None:
    """Let one import writer at a time (feeds, uploads, the partner API) write an organisation's
    events, until the caller's transaction ends.

    Two at once — a poll and "refresh now", two POSTs of one UID — would both find a UID new
    (one then fails on the unique constraint), or both replace a series' occurrences (each
    deleting only the rows it saw: duplicates). The second now waits and then reads the first's
    rows. PostgreSQL: a transaction-scoped advisory lock, which blocks nothing else; SQLite
    serialises write transactions itself (every one is IMMEDIATE).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("hold_organisation_imports needs a transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_SPACE, organisation_id % 2**31])


def upsert_events(
    *,
    organisation: Organisation,
    incoming: list[IncomingEvent],
    origin: str,
    feed: Feed | None = None,
    now: dt.datetime | None = None,
) -> UpsertResult:
    """Create, update or leave each incoming event; count and report. Run inside a transaction:
    the organisation's other import writers wait for it (``hold_organisation_imports``)."""
    hold_organisation_imports(organisation.pk)
    now = now or timezone.now()
    result = UpsertResult()
    latest: dict[Key, IncomingEvent] = {}
    for item in incoming:  # the same key twice in one source: the newer version wins
        other = latest.get(item.key)
        if other is None or (item.sequence, item.last_modified or now) >= (other.sequence, other.last_modified or now):
            if other is not None:
                result.unchanged += 1
            latest[item.key] = item
        else:
            result.unchanged += 1
    existing = _existing(organisation, sorted({uid for uid, _rid in latest}))

    to_update: list[Event] = []
    prototype = new_event(organisation)
    created_keys: set[Key] = set()
    masters = [item for item in latest.values() if item.recurrence_id is None]
    overrides = [item for item in latest.values() if item.recurrence_id is not None]
    for group in (masters, overrides):
        to_create: list[tuple[Key, dict[str, object]]] = []
        for item in group:
            row = existing.get(item.key)
            values = _checked_values(item, organisation, result, prototype)
            if values is None:
                continue
            if item.recurrence_id is not None:
                master_id = result.ids.get((item.uid, None)) or getattr(existing.get((item.uid, None)), "pk", None)
                if master_id is None:
                    result.fail(
                        item,
                        "override_without_master",
                        _("This is a change to one occurrence (RECURRENCE-ID) of a series that is not in the feed."),
                        "RECURRENCE-ID",
                    )
                    continue
                values["series_id"] = master_id
            if row is not None:
                result.ids[item.key] = row.pk
                if is_older(item, row):
                    result.unchanged += 1
                    message = _("Older than the stored version (SEQUENCE %(seq)s); kept the stored one.")
                    result.problems.append(
                        UpsertProblem(
                            item.position, item.uid, "stale_version", message % {"seq": row.sequence}, "SEQUENCE"
                        )
                    )
                    continue
                changed = row.removed_at is not None or any(
                    getattr(row, name) != value for name, value in values.items()
                )
                if not changed:
                    result.unchanged += 1
                    continue
                was_cancelled = row.status == EventStatus.CANCELLED
                for name, value in values.items():
                    setattr(row, name, value)
                row.removed_at = None
                row.updated = now
                row.series_end = series_end_of(row)
                if feed is not None:
                    row.feed = feed
                    row.origin = Origin.FEED
                to_update.append(row)
                if row.status == EventStatus.CANCELLED and not was_cancelled:
                    result.cancelled += 1
                else:
                    result.updated += 1
            else:
                values.update(
                    organiser_id=organisation.pk,
                    uid=item.uid,
                    recurrence_id=item.recurrence_id,
                    origin=origin,
                    feed_id=feed.pk if feed else None,
                    language_id=feed.default_language_id if feed else None,
                    created=now,
                    updated=now,
                )
                values["series_end"] = _series_end(values)
                to_create.append((item.key, values))
                if item.status == EventStatus.CANCELLED:
                    result.cancelled += 1
                else:
                    result.created += 1
        # Masters are in the database before overrides are built, so overrides get their series' pk.
        created_ids = insert_events([values for _key, values in to_create])
        result.ids.update(zip([key for key, _values in to_create], created_ids, strict=True))
        created_keys.update(key for key, _values in to_create)
        _add_default_taxonomy(created_ids, feed)
    _update(to_update)
    if feed is not None:
        _record_blocks(feed, [item for item in latest.values() if item.key in result.ids], result.ids, created_keys)
    written = [row.series_id or row.pk for row in to_update] + [
        result.ids[key] for key in created_keys if key[1] is None
    ]
    overrides_of = [
        result.ids[(uid, None)] for uid, rid in created_keys if rid is not None and (uid, None) in result.ids
    ]
    sync_occurrences(series_ids=[*written, *overrides_of])
    return result


def insert_events(rows: list[dict[str, object]]) -> list[int]:
    """``INSERT … RETURNING id`` of many new Event rows; returns their ids in order.

    What ``bulk_create`` does (the same columns and adapted values: a test compares the
    stored rows), minus Django compiling every field of every row, which was three
    quarters of a first import's database time at 10,000 rows. A column a row does not
    name takes the value a new ``Event()`` has.
    """
    if not rows:
        return []
    fields = [f for f in Event._meta.concrete_fields if not f.primary_key]
    prototype = Event()
    # Per column: its name, the value a new Event() stores, and how a given value is adapted
    # (None: as it is). Each row is then one pass over this plan.
    plan = [
        (f.attname, f.get_db_prep_save(f.value_from_object(prototype), connection), column_adapter(f)) for f in fields
    ]
    prepared = []
    for row in rows:
        values: list[object] = []
        append = values.append
        for attname, default, convert in plan:
            if attname not in row:
                append(default)
            elif convert is None:
                append(row[attname])
            else:
                append(convert(row[attname]))
        prepared.append(values)
    return insert_rows(Event, [f.attname for f in fields], prepared, returning=True, batch=BATCH)


def _update(to_update: list[Event]) -> None:
    plan = [(f.attname, column_adapter(f)) for f in (Event._meta.get_field(name) for name in UPDATED_FIELDS)]
    rows = [(row.pk, *[_adapted(adapt, getattr(row, name)) for name, adapt in plan]) for row in to_update]
    update_rows(Event, [name for name, _adapt in plan], rows)


def _adapted(adapt: Callable[[object], object] | None, value: object) -> object:
    return value if adapt is None else adapt(value)


def _add_default_taxonomy(created: list[int], feed: Feed | None) -> None:
    if feed is None or not created:
        return
    theme_ids = list(feed.default_themes.values_list("pk", flat=True))
    sector_ids = list(feed.default_sectors.values_list("pk", flat=True))
    themes = Event.themes.through
    sectors = Event.sectors.through
    themes.objects.bulk_create([themes(event_id=e, theme_id=t) for e in created for t in theme_ids], batch_size=BATCH)
    sectors.objects.bulk_create(
        [sectors(event_id=e, sector_id=s) for e in created for s in sector_ids], batch_size=BATCH
    )


def _record_blocks(feed: Feed, items: list[IncomingEvent], ids: dict[Key, int], created: set[Key]) -> None:
    """Remember each row's block hash, so the same block is not parsed on the next run.

    Rows created in this run have no block yet; other rows may have one, which is deleted
    first. Then one multi-row INSERT (``bulk_rows``) for all: an upsert through the ORM
    (``bulk_create(update_conflicts=True)``) cost more than the rows' UPDATE when a whole
    feed changed.
    """
    replaced = [ids[item.key] for item in items if item.key not in created]
    if replaced:
        ImportedBlock.objects.filter(InIds("event_id", replaced)).delete()
    rows = [(ids[item.key], feed.pk, item.block_hash) for item in items]
    insert_rows(ImportedBlock, ["event_id", "feed_id", "block_hash"], rows, batch=BATCH)


def remove_missing(
    *, feed: Feed, seen: set[Key], kept_uids: frozenset[str] = frozenset(), now: dt.datetime | None = None
) -> int:
    """Mark the feed's events that a clean fetch no longer holds as removed; return how many.

    ``kept_uids`` are UIDs of events that are in the feed but failed to import this time:
    a broken VEVENT must not make its stored event disappear.
    """
    now = now or timezone.now()
    gone = [
        pk
        for pk, uid, rid in Event.objects.filter(feed=feed, removed_at__isnull=True).values_list(
            "pk", "uid", "recurrence_id"
        )
        if (uid, rid) not in seen and uid not in kept_uids
    ]
    if not gone:
        return 0
    rows = Event.objects.filter(InIds("pk", gone))
    series = {pk for pair in rows.values_list("pk", "series_id") for pk in pair if pk is not None}
    rows.update(removed_at=now, updated=now)
    ImportedBlock.objects.filter(InIds("event_id", gone)).delete()
    sync_occurrences(series_ids=series)
    return len(gone)


def known_blocks(feed: Feed) -> dict[str, Key]:
    """Block hash → key of the row it made, for the feed's live events."""
    rows = ImportedBlock.objects.filter(feed=feed, event__removed_at__isnull=True).values_list(
        "block_hash", "event__uid", "event__recurrence_id"
    )
    return {block: (uid, rid) for block, uid, rid in rows}


def remove_event(*, event: Event, now: dt.datetime | None = None) -> None:
    """Hide one event (and its overrides) from the calendar and feeds, keeping its history."""
    now = now or timezone.now()
    Event.objects.filter(Q(pk=event.pk) | Q(series=event)).update(removed_at=now, updated=now)
    ImportedBlock.objects.filter(Q(event=event) | Q(event__series=event)).delete()
    event.removed_at = event.updated = now
    sync_occurrences(series_ids=[event.series_id or event.pk])


def upsert_one(*, organisation: Organisation, incoming: IncomingEvent, sequence_given: bool) -> tuple[Event, bool]:
    """Create or update one master event from the partner API; returns (event, created).

    A given SEQUENCE lower than the stored one raises StaleVersionError (409). Without one,
    or with the stored one, a change raises SEQUENCE by one so calendar clients take it.
    """
    values = _values(incoming, organisation)  # the event core's rules: a ValidationError names the field
    with transaction.atomic():
        hold_organisation_imports(organisation.pk)  # a second POST of the same UID reads this one's row
        return _upsert_one(organisation=organisation, incoming=incoming, sequence_given=sequence_given, values=values)


def _upsert_one(
    *, organisation: Organisation, incoming: IncomingEvent, sequence_given: bool, values: dict[str, object]
) -> tuple[Event, bool]:
    existing = Event.objects.filter(organiser=organisation, uid=incoming.uid, recurrence_id__isnull=True).first()
    if existing is not None:
        if sequence_given and incoming.sequence < existing.sequence:
            raise StaleVersionError(existing)
        content_changed = existing.removed_at is not None or any(
            getattr(existing, name) != value
            for name, value in values.items()
            if name not in ("sequence", "source_last_modified")
        )
        if not sequence_given or incoming.sequence == existing.sequence:
            incoming.sequence = existing.sequence + (1 if content_changed else 0)
        incoming.last_modified = incoming.last_modified or existing.source_last_modified
    result = upsert_events(organisation=organisation, incoming=[incoming], origin=Origin.API)
    if result.failed:
        raise ValidationError(result.problems[0].message)
    return Event.objects.get(pk=result.ids[incoming.key]), existing is None
