"""Calendars for the federation tests, written as text so each test shows what the partner sent."""

from __future__ import annotations

import factory

from events.models import Feed
from tests.factories import OrganisationFactory


class FeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feed

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Feed {n}")
    url = "http://127.0.0.1:9/cal.ics"


def vevent(
    uid: str,
    *,
    summary: str = "Workshop",
    start: str = "20270310T100000",
    end: str = "20270310T120000",
    tzid: str = "Europe/Madrid",
    extra: str = "",
) -> str:
    tz = f";TZID={tzid}" if tzid else ""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261201T000000Z",
        f"DTSTART{tz}:{start}",
        f"DTEND{tz}:{end}",
        f"SUMMARY:{summary}",
    ]
    lines += [line for line in extra.strip().splitlines() if line.strip()]
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


def calendar(*events: str, head: str = "") -> bytes:
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Partner//Test//EN"]
    parts += [line for line in head.strip().splitlines() if line.strip()]
    parts += list(events)
    parts.append("END:VCALENDAR")
    return ("\r\n".join(parts) + "\r\n").encode()
