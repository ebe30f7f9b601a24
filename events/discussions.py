"""Events' discussion threads, made on first use through community's discussion functions."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from community.models import Thread
from events.models import Event, EventDiscussion


def event_thread(*, event: Event) -> Thread:
    """The event's thread (one per event, whatever the race); posting goes through community.discussions."""
    link = EventDiscussion.objects.select_related("thread").filter(event=event).first()
    if link is not None:
        return link.thread
    try:
        with transaction.atomic():
            thread = Thread.objects.create(title=event.title[:200])
            EventDiscussion.objects.create(event=event, thread=thread)
            return thread
    except IntegrityError:
        return EventDiscussion.objects.select_related("thread").get(event=event).thread
