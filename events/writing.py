"""The one way in for every event: create, change, cancel, remove — and who may.

The front-end form, the Wagtail admin, the API, the demo loader and the feed importer
call these. The calendar's rules live in ``Event.clean()`` (``events.rules``), the stored
form in ``Event.normalise()``; these functions add what needs the person doing it: may
they write for this organisation, may they put a session into that conference.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Organisation, Project, Sector, Theme, User
from community.organisations import can_edit_content
from events.models import Event, EventKind, EventStatus
from events.occurrences import sync_occurrences


def organisations_editable_by(user: User) -> QuerySet[Organisation]:
    """Organisations whose events ``user`` may publish: admins and editors, and moderators for all."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser or user.has_perm("events.change_event"):
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=["admin", "editor"]).distinct()


def conferences_open_to(user: User) -> QuerySet[Event]:
    """Conferences ``user`` may add sessions to: published ones of organisations they may edit."""
    return Event.objects.filter(
        kind=EventKind.CONFERENCE,
        removed_at__isnull=True,
        recurrence_id__isnull=True,
        organiser__in=organisations_editable_by(user),
    )


def projects_open_to(user: User) -> QuerySet[Project]:
    """Projects ``user`` may link events to: those of organisations whose events they may publish."""
    return Project.objects.filter(partners__organisation__in=organisations_editable_by(user)).distinct()


def check_can_write(*, actor: User | None, event: Event) -> None:
    """Raise PermissionDenied unless ``actor`` may write ``event`` (None: the system itself)."""
    if actor is None:
        return
    if event.organiser_id is None or not can_edit_content(user=actor, organisation=event.organiser):
        raise PermissionDenied(_("You cannot publish events for this organisation."))
    if event.parent_id is not None and not can_edit_content(user=actor, organisation=event.parent.organiser):
        raise ValidationError({"parent": _("You cannot add sessions to this conference.")})


@transaction.atomic
def save_event(
    *,
    actor: User | None,
    event: Event,
    themes: Iterable[Theme] | None = None,
    sectors: Iterable[Sector] | None = None,
) -> Event:
    """Validate and store a new or changed event, with its themes and sectors if given.

    Raises ValidationError (by field) or PermissionDenied; nothing is stored then.
    """
    check_can_write(actor=actor, event=event)
    event.full_clean(validate_unique=True)
    if event.created_by_id is None and actor is not None and event._state.adding:
        event.created_by = actor
    event.save()
    if themes is not None:
        event.themes.set(themes)
    if sectors is not None:
        event.sectors.set(sectors)
    return event


def create_event(
    *,
    actor: User | None,
    organiser: Organisation,
    themes: Iterable[Theme] = (),
    sectors: Iterable[Sector] = (),
    **fields,
) -> Event:
    """A new event from field values (the demo loader, the API, scripts)."""
    return save_event(actor=actor, event=Event(organiser=organiser, **fields), themes=themes, sectors=sectors)


@transaction.atomic
def cancel_event(*, actor: User | None, event: Event) -> Event:
    """Mark an event cancelled: it stays in feeds as STATUS:CANCELLED so subscribers' copies cancel."""
    check_can_write(actor=actor, event=event)
    event.status = EventStatus.CANCELLED
    event.save()
    return event


@transaction.atomic
def remove_event(*, actor: User | None, event: Event) -> int:
    """Take an event off the site, with its overrides and (for a conference) its sessions.

    Rows are kept (``removed_at``) so history and provenance survive; every page, feed and
    API answer leaves them out. Returns the number of rows removed.
    """
    check_can_write(actor=actor, event=event)
    now = timezone.now()
    affected = Event.objects.filter(removed_at__isnull=True).filter(
        Q(pk=event.pk) | Q(series=event) | Q(parent=event) | Q(series__parent=event)
    )
    series = set(affected.values_list("series_id", flat=True)) | set(affected.values_list("pk", flat=True))
    count = affected.update(removed_at=now, updated=now)
    event.removed_at = now
    sync_occurrences(series_ids={pk for pk in series if pk is not None})
    return count


def prepare_for_bulk(events: Iterable[Event], *, now=None) -> list[Event]:
    """What ``save()`` does to each row, for writers that use ``bulk_create``/``bulk_update``
    (the feed importer): the stored form (``Event.normalise``: sanitised description, plain
    text, rule, ``series_end``) and a moved ``updated`` (bulk writes skip ``auto_now``, and
    feed ETags follow ``updated``). Validation is the caller's: ``event.full_clean()`` per row,
    so one bad row is reported and skipped rather than failing the batch. After the bulk
    write, call ``events.occurrences.sync_occurrences`` with the written series."""
    stamp = now or timezone.now()
    prepared = []
    for event in events:
        event.normalise()
        event.updated = stamp
        prepared.append(event)
    return prepared


def published_events() -> QuerySet[Event]:
    """Listed events (not removed, not overrides) that are not in a removed conference: what
    anyone may see, follow or chat in."""
    return Event.objects.listed().filter(Q(parent__isnull=True) | Q(parent__removed_at__isnull=True))


def published_event_or_none(pk: int) -> Event | None:
    """A published event, or None."""
    return published_events().select_related("organiser").filter(pk=pk).first()
