"""An event's discussion thread: the link lives here so community never needs to know events."""

from __future__ import annotations

from django.db import models

from events.models.events import Event


class EventDiscussion(models.Model):
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="discussion")
    thread = models.OneToOneField("community.Thread", on_delete=models.CASCADE, related_name="event_discussion")

    def __str__(self) -> str:
        return f"Discussion of {self.event}"
