"""Keep ``Event.updated`` true whenever something a feed shows of an event changes.

Feed ETags, Last-Modified, DTSTAMP and LAST-MODIFIED all come from ``updated``. Changes
that do not save the event row — its themes, a theme's or the organiser's name, a
theme deleted — touch the events they reach here, so a subscriber never keeps a stale
copy and an ETag changes exactly when a body does.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from community.models import Language, Organisation, Sector, Theme
from events.calendar_counters import EVENTS, FILTER_OPTIONS, bump, bump_for_events, organisation_scope
from events.id_lists import InIds
from events.models import Event, Feed, Origin
from events.occurrences import sync_occurrences


def touch_events(qs) -> int:
    """Mark events (and the overrides of those series) as changed now, and their feeds' counters."""
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        return 0
    # One parameter for the ids, however many: an organisation or theme can have 100,000 events.
    touched = Event.objects.filter(InIds("pk", ids) | InIds("series_id", ids)).update(updated=timezone.now())
    bump_for_events(event_ids=ids)
    return touched


@receiver(m2m_changed, sender=Event.themes.through)
@receiver(m2m_changed, sender=Event.sectors.through)
def touch_event_on_taxonomy_change(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action == "pre_clear" and reverse:
        # A theme's events are about to be cleared: remember which, pk_set is None on clear.
        instance._events_before_clear = list(instance.events.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        ids = pk_set if action != "post_clear" else getattr(instance, "_events_before_clear", [])
        touch_events(Event.objects.filter(pk__in=ids or []))
    else:
        touch_events(Event.objects.filter(pk=instance.pk))


@receiver(pre_save, sender=Theme)
@receiver(pre_save, sender=Organisation)
def remember_shown_names(sender, instance, **kwargs) -> None:
    """Feeds show a theme's name (CATEGORIES) and the organiser's name and page (CONTACT)."""
    if instance.pk is None:
        return
    stored = sender.objects.filter(pk=instance.pk).values("name", "slug").first()
    instance._shown_names_changed = stored is not None and (stored["name"], stored["slug"]) != (
        instance.name,
        instance.slug,
    )


@receiver(post_save, sender=Theme)
def touch_events_of_renamed_theme(sender, instance, created, **kwargs) -> None:
    if not created and getattr(instance, "_shown_names_changed", False):
        touch_events(Event.objects.filter(themes=instance))


@receiver(post_save, sender=Organisation)
def touch_events_of_renamed_organisation(sender, instance, created, **kwargs) -> None:
    if not created and getattr(instance, "_shown_names_changed", False):
        touch_events(Event.objects.filter(organiser=instance))


@receiver(pre_delete, sender=Theme)
def touch_events_of_deleted_theme(sender, instance, **kwargs) -> None:
    """Deleting a theme drops its links without an m2m signal."""
    touch_events(Event.objects.filter(themes=instance))


@receiver(pre_save, sender=Event)
def remember_organiser(sender, instance, raw=False, **kwargs) -> None:
    """An event moved to another organisation leaves the former one's feed: its counter moves too."""
    if raw or instance.pk is None:
        return
    instance._stored_organiser_id = Event.objects.filter(pk=instance.pk).values_list("organiser_id", flat=True).first()


@receiver(post_save, sender=Event)
def expand_written_event(sender, instance, raw=False, **kwargs) -> None:
    """Pages read occurrences, not rules: re-expand the series this row belongs to (which
    also moves its feeds' counters)."""
    if raw:
        return
    sync_occurrences(series_ids=[instance.series_id or instance.pk])
    former = getattr(instance, "_stored_organiser_id", None)
    if former is not None and former != instance.organiser_id:
        bump(scopes=[organisation_scope(former)])


@receiver(post_delete, sender=Event)
def count_deleted_event(sender, instance, **kwargs) -> None:
    """A row deleted outright (an organisation deleted, the admin) leaves its feeds."""
    bump(scopes=[EVENTS] + ([organisation_scope(instance.organiser_id)] if instance.organiser_id else []))


@receiver(pre_delete, sender=Feed)
def adopt_events_of_deleted_feed(sender, instance, **kwargs) -> None:
    """Events a deleted feed brought stay with their organisation as its own (origin local),
    never as feed events without a feed."""
    adopted = Event.objects.filter(feed=instance)
    ids = list(adopted.values_list("pk", flat=True))
    adopted.update(origin=Origin.LOCAL, feed=None, updated=timezone.now())
    bump_for_events(event_ids=ids)


@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
@receiver(post_save, sender=Theme)
@receiver(post_delete, sender=Theme)
@receiver(post_save, sender=Sector)
@receiver(post_delete, sender=Sector)
@receiver(post_save, sender=Language)
@receiver(post_delete, sender=Language)
def refresh_event_filter_options(sender, **kwargs) -> None:
    """The event list's filter panel offers these lists; its cached copies follow this counter."""
    bump(scopes=[FILTER_OPTIONS])
