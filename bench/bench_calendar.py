"""`/events/calendar.ics` for 10,000 events against icalendar alone, in one run.

(a) the floor: icalendar building a Calendar and one Event component per row from rows
    already in memory, then ``to_ical()`` (no VTIMEZONEs, raw descriptions: the least
    a feed of these rows can cost with icalendar);
(b) the whole view through Django's test client with the cache cleared (cold: query,
    HTML-to-text, VTIMEZONEs, rendering, response), plus a warm request served from
    the cache;
(c) a conditional request with If-None-Match: the 304 path, its time and queries.
Prints the figures and the ratio (b cold / a) and writes bench/results/calendar.json.
Medians of a few repeats, interleaved, because the machine is noisy.

Runs on a temporary SQLite file, or with DATABASE_URL on a throw-away database
created next to it (``test_bench_calendar``), never on the database itself.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "1"
_TMP = tempfile.mkdtemp(prefix="praxis-bench-calendar-")
USE_SERVER_DB = bool(os.environ.get("DATABASE_URL"))
if not USE_SERVER_DB:
    os.environ["DATABASE_URL"] = f"sqlite:///{_TMP}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from icalendar import Calendar as ICalendar  # noqa: E402
from icalendar import Event as IEvent  # noqa: E402
from icalendar.prop import vRecur  # noqa: E402

EVENTS = 10_000
REPEATS = 3
CONDITIONAL_REPEATS = 30
ZONES = ["Europe/Madrid", "Europe/Ljubljana", "America/New_York", "Asia/Kolkata", "UTC"]
URL = "/events/calendar.ics"


def _description(rng: random.Random, i: int) -> str:
    words = ("práctica", "formación", "innovación", "evaluation", "Erasmus+", "inclusión", "teachers", "VET")
    text = " ".join(rng.choice(words) for _ in range(70))
    html = f'<p>Session {i}: {text} &amp; <a href="https://example.org/p/{i}" rel="nofollow ugc noopener">more</a>.</p>'
    return (html + "<p>" + "x" * 500)[:496] + "</p>"


def seed() -> None:
    """10,000 master rows (10 % weekly series, some all-day, some cancelled) and 100 overrides."""
    from community.models import Organisation, Theme
    from events.models import Event
    from events.recurrence import series_end_of

    rng = random.Random(7)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {i}", slug=f"bench-org-{i}", type="university", country="ES")
        for i in range(20)
    )
    themes = Theme.objects.bulk_create(Theme(name=f"Theme {i}", slug=f"bench-theme-{i}") for i in range(10))
    now = timezone.now().replace(microsecond=0, second=0, minute=0)
    rows = []
    for i in range(EVENTS):
        tzid = ZONES[i % len(ZONES)]
        zone = zoneinfo.ZoneInfo(tzid)
        day = (now - dt.timedelta(days=30) + dt.timedelta(hours=13 * i)).astimezone(zone)
        all_day = i % 20 == 7
        start = day.replace(hour=0) if all_day else day.replace(hour=9 + i % 9)
        end = start + (dt.timedelta(days=1 + i % 3) if all_day else dt.timedelta(hours=2))
        event = Event(
            uid=f"bench-{i}@praxis",
            organiser=organisations[i % 20],
            title=f"Practice exchange {i}",
            description=_description(rng, i),
            start=start,
            end=end,
            timezone=tzid,
            all_day=all_day,
            rrule="FREQ=WEEKLY;COUNT=10" if i % 10 == 3 else "",
            status="cancelled" if i % 33 == 5 else "confirmed",
            venue="Centro de Formación",
            address="Calle Mayor 3",
            city="Catarroja",
            country="ES",
            latitude="39.403" if i % 4 == 0 else None,
            longitude="-0.404" if i % 4 == 0 else None,
        )
        event.series_end = series_end_of(event)
        rows.append(event)
    masters = Event.objects.bulk_create(rows, batch_size=1000)
    links = [
        Event.themes.through(event_id=e.pk, theme_id=themes[(e.pk + k) % 10].pk)
        for e in masters
        for k in range(e.pk % 3)
    ]
    Event.themes.through.objects.bulk_create(links, batch_size=2000)
    overrides = []
    for master in [e for e in masters if e.rrule][:100]:
        rid = master.start + dt.timedelta(weeks=2)
        overrides.append(
            Event(
                uid=master.uid,
                series=master,
                recurrence_id=rid,
                organiser=master.organiser,
                title=master.title,
                description=master.description,
                start=rid + dt.timedelta(hours=1),
                end=rid + dt.timedelta(hours=3),
                series_end=rid + dt.timedelta(hours=3),
                timezone=master.timezone,
            )
        )
    Event.objects.bulk_create(overrides)


def icalendar_alone(events: list) -> bytes:
    """The floor: the same rows as icalendar components, serialised by icalendar."""
    cal = ICalendar()
    cal.add("prodid", "-//bench//icalendar//EN")
    cal.add("version", "2.0")
    for master in events:
        for row in [master, *master.prefetched_overrides]:
            zone = zoneinfo.ZoneInfo(row.timezone)
            ev = IEvent()
            ev.add("uid", row.uid)
            ev.add("dtstamp", row.updated)
            if row.all_day:
                ev.add("dtstart", row.start.astimezone(zone).date())
                ev.add("dtend", row.end.astimezone(zone).date())
            else:
                ev.add("dtstart", row.start.astimezone(zone))
                ev.add("dtend", row.end.astimezone(zone))
            if row.recurrence_id:
                ev.add("recurrence-id", row.recurrence_id.astimezone(zone))
            if row.rrule:
                ev.add("rrule", vRecur.from_ical(row.rrule))
            ev.add("sequence", row.sequence)
            ev.add("status", row.status.upper())
            ev.add("summary", row.title)
            ev.add("description", row.description)
            ev.add("location", ", ".join(p for p in (row.venue, row.address, row.city, "Spain") if p))
            if row.latitude is not None:
                ev.add("geo", (float(row.latitude), float(row.longitude)))
            ev.add("url", f"{settings.SITE_URL}/events/{row.pk}/")
            themes = [t.name for t in row.themes.all()]
            if themes:
                ev.add("categories", themes)
            ev.add("last-modified", row.updated)
            cal.add_component(ev)
    return cal.to_ical()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    setup_test_environment()
    creation = None
    if USE_SERVER_DB:
        connection.settings_dict["TEST"]["NAME"] = "test_bench_calendar"
        creation = connection.creation
        old_name = creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0, interactive=False)
    try:
        t0 = time.perf_counter()
        seed()
        print(f"seeded {EVENTS} events in {time.perf_counter() - t0:.1f} s ({connection.vendor})", flush=True)
        return run()
    finally:
        if creation is not None:
            creation.destroy_test_db(old_name, verbosity=0)


def run() -> int:
    from events.calendars import public_calendar_scope
    from events.ical.export import event_queryset_for_feed

    rows = list(event_queryset_for_feed(public_calendar_scope().events()))  # in memory before (a) is timed
    client = Client()
    baseline, cold, cold_queries, warm = [], [], [], []
    body = b""
    for _ in range(REPEATS):
        seconds, ical_body = timed(lambda: icalendar_alone(rows))
        baseline.append(seconds)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            seconds, response = timed(lambda: client.get(URL))
        assert response.status_code == 200, response.status_code
        cold.append(seconds)
        cold_queries.append(len(ctx.captured_queries))
        body = response.content
        warm.append(timed(lambda: client.get(URL))[0])
    # What a subscriber's poll costs after one event of the 10,000 changed: the body is new,
    # but only that event's VEVENT is rendered again (events/ical/blocks.py).
    from events.models import Event

    after_edit = []
    for i in range(REPEATS):
        event = Event.objects.filter(recurrence_id__isnull=True).order_by("pk")[i]
        event.title = f"{event.title} (changed {i})"
        event.save()
        after_edit.append(timed(lambda: client.get(URL))[0])
    etag = client.get(URL)["ETag"]
    conditional, conditional_queries = [], []
    for _ in range(CONDITIONAL_REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            seconds, response = timed(lambda: client.get(URL, headers={"if-none-match": etag}))
        assert response.status_code == 304, response.status_code
        conditional.append(seconds)
        conditional_queries.append(len(ctx.captured_queries))
    result = {
        "events": EVENTS,
        "vevents": body.count(b"BEGIN:VEVENT"),
        "database": connection.vendor,
        "icalendar_alone_s": round(statistics.median(baseline), 3),
        "icalendar_alone_bytes": len(ical_body),
        "view_cold_s": round(statistics.median(cold), 3),
        "view_cold_bytes": len(body),
        "view_cold_queries": max(cold_queries),
        "view_warm_cache_s": round(statistics.median(warm), 3),
        "view_after_one_edit_s": round(statistics.median(after_edit), 3),
        "ratio_after_one_edit_to_icalendar": round(statistics.median(after_edit) / statistics.median(baseline), 3),
        "ratio_cold_to_icalendar": round(statistics.median(cold) / statistics.median(baseline), 3),
        "conditional_304_ms": round(statistics.median(conditional) * 1000, 2),
        "conditional_304_queries": max(conditional_queries),
        "repeats": REPEATS,
        "samples": {"icalendar_alone_s": baseline, "view_cold_s": cold, "view_warm_cache_s": warm},
    }
    print(
        f"icalendar alone: {result['icalendar_alone_s']:.3f} s ({len(ical_body):,} bytes)\n"
        f"view, cold:      {result['view_cold_s']:.3f} s ({len(body):,} bytes, {result['vevents']} VEVENTs,"
        f" {result['view_cold_queries']} queries)\n"
        f"view, cached:    {result['view_warm_cache_s']:.3f} s\n"
        f"view after one edit: {result['view_after_one_edit_s']:.3f} s"
        f" ({result['ratio_after_one_edit_to_icalendar']:.2f}x icalendar, target <= 0.2)\n"
        f"ratio cold/icalendar: {result['ratio_cold_to_icalendar']:.2f} (target <= 1.20)\n"
        f"304 If-None-Match: {result['conditional_304_ms']:.2f} ms, {result['conditional_304_queries']} queries"
    )
    out = ROOT / "bench" / "results" / "calendar.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["ratio_cold_to_icalendar"] <= 1.2 and result["conditional_304_queries"] <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
