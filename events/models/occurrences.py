"""Occurrences materialised when an event is written, so pages read them with LIMIT.

Expanding rules per request made ``/events/`` cost grow with the number of series; a
row per occurrence over a bounded horizon (``OCCURRENCE_PAST_DAYS`` back,
``OCCURRENCE_FUTURE_DAYS`` ahead) keeps every list a range scan on (start, id).
``events.occurrences.sync_occurrences`` keeps the table true; the rules stay the
source of truth (feeds export them, not these rows).
"""

from __future__ import annotations

import zoneinfo

from django.db import models


class Occurrence(models.Model):
    series = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="occurrence_rows")
    # The row that shows: the series itself, or the override that replaces this occurrence.
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    recurrence_id = models.DateTimeField(null=True, blank=True)
    # Seconds from start to end: the longest one bounds how far back "happening now" reaches,
    # so that lookup is a range on the start index, not a scan of every future row.
    duration = models.PositiveIntegerField(default=0)
    # A top-level event (not a conference session): what the shared calendar lists.
    listed = models.BooleanField(default=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            # Partial, so "WHERE listed" (how Django writes a true boolean on SQLite) can use it.
            models.Index(fields=["start", "id"], condition=models.Q(listed=True), name="occurrence_listed_start"),
            models.Index(fields=["series", "start"], name="occurrence_series_start"),
            models.Index(fields=["duration"], name="occurrence_duration"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} @ {self.start.isoformat()}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.event.timezone)

    @property
    def local_start(self):
        return self.start.astimezone(self.zone)

    @property
    def local_end(self):
        return self.end.astimezone(self.zone)
