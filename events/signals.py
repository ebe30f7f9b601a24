"""Keep ``Event.updated`` true when only an event's themes or sectors change.

Feed ETags and LAST-MODIFIED are computed from ``updated``; a change to an m2m
relation does not save the row, so without this a subscriber would keep a stale copy.
"""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone

from events.models import Event


@receiver(m2m_changed, sender=Event.themes.through)
@receiver(m2m_changed, sender=Event.sectors.through)
def touch_event_on_taxonomy_change(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        # A theme/sector gained or lost events: touch those events (all of them on clear).
        qs = Event.objects.filter(pk__in=pk_set) if pk_set else Event.objects.none()
    else:
        qs = Event.objects.filter(pk=instance.pk)
    qs.update(updated=timezone.now())
