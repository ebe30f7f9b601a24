"""Each event's VEVENT content lines, rendered once and stored beside the row.

A cold feed used to render every VEVENT (0.57x icalendar's own build+serialise at 10k
events) and held the whole body in memory. With the lines stored here, a feed is one
streaming read of ``text`` in (start, id) order plus the VTIMEZONEs that ``years`` asks for
(``events.ical.blocks``). ``key`` is a hash of everything the lines depend on (the writer's
version, the row's ``updated``, its overrides'), so a stale block is never served: it is
rendered again and replaced on the next read.
"""

from __future__ import annotations

from django.db import models


class VeventBlock(models.Model):
    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, primary_key=True, related_name="vevent_block"
    )
    key = models.CharField(max_length=32)
    text = models.TextField(blank=True)
    # {tzid: [first year, last year]}: which VTIMEZONE spans the feed's head must carry.
    years = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"VEVENT of {self.event_id}"
