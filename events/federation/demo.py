"""Demo: a partner organisation with a calendar feed and three import runs, one of them
reporting a broken event, so a newcomer sees the import report at once.

Imported from bytes in memory (no network); the feed itself is switched off so the demo
never polls an outside address. Idempotent: nothing happens if the demo feed exists.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from community.models import Organisation
from events.federation.imports import import_calendar
from events.models import Feed, ImportSource, Origin

DEMO_FEED_URL = "https://calendar.example.org/praxis-demo/partner.ics"


def _vevent(uid: str, title: str, day: dt.date, hours: str, *, extra: str = "") -> str:
    start, end = hours.split("-")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261201T000000Z",
        f"DTSTART;TZID=Europe/Madrid:{day:%Y%m%d}T{start}00",
        f"DTEND;TZID=Europe/Madrid:{day:%Y%m%d}T{end}00",
        f"SUMMARY:{title}",
        *[line for line in extra.splitlines() if line],
        "END:VEVENT",
    ]
    return "\r\n".join(lines)


def _calendar(*events: str) -> bytes:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Partner university//Calendar//EN", "X-WR-CALNAME:Events"]
    return ("\r\n".join([*head, *events, "END:VCALENDAR"]) + "\r\n").encode()


def load_federation_demo(organisations: dict[str, Organisation]) -> Feed | None:
    organisation = next(iter(sorted(organisations.values(), key=lambda o: o.slug)), None)
    if organisation is None or Feed.objects.filter(url=DEMO_FEED_URL).exists():
        return None
    feed = Feed.objects.create(
        organisation=organisation,
        name="Partner university calendar (demo)",
        url=DEMO_FEED_URL,
        is_active=False,
        default_timezone="Europe/Madrid",
    )
    first = timezone.localdate() + dt.timedelta(days=10)
    seminar = _vevent("seminar-1@partner.example", "Erasmus+ info session", first, "1000-1200")
    weekly = _vevent(
        "tutoring@partner.example", "Peer tutoring hour", first, "1600-1700", extra="RRULE:FREQ=WEEKLY;COUNT=8"
    )
    workshop = _vevent(
        "workshop@partner.example", "Workshop: micro-credentials", first + dt.timedelta(days=3), "0930-1300"
    )
    runs = [
        _calendar(seminar, weekly, workshop),
        _calendar(seminar, weekly, workshop),
        _calendar(
            _vevent(
                "seminar-1@partner.example", "Erasmus+ info session (room 2.01)", first, "1000-1200", extra="SEQUENCE:1"
            ),
            weekly,
            workshop,
            # 30 February: the partner's tool wrote an impossible date; the run reports it and imports the rest.
            "BEGIN:VEVENT\r\nUID:open-day@partner.example\r\nDTSTAMP:20261201T000000Z\r\n"
            "DTSTART;TZID=Europe/Madrid:20270230T100000\r\nSUMMARY:Open day\r\nEND:VEVENT",
        ),
    ]
    for body in runs:
        import_calendar(
            organisation=organisation,
            body=body,
            source=ImportSource.COMMAND,
            origin=Origin.FEED,
            url=feed.url,
            feed=feed,
        )
    now = timezone.now()
    Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, last_success_at=now)
    return feed
