"""`/events/calendar.ics` at 1,000, 10,000 and 100,000 events (BENCH_SIZES) against icalendar alone.

(a) the floor: icalendar building a Calendar and one Event component per row from rows
    already in memory, then ``to_ical()`` (no VTIMEZONEs, raw descriptions: the least
    a feed of these rows can cost with icalendar);
(b) the whole view through Django's test client, body read to the end: first with no
    VEVENT block stored (every block rendered: what a feed costs the first time, or after
    a new writer version), then "cold" with the body cache cleared and the blocks stored
    (what every feed costs after its events were written once), then cached, with and
    without gzip;
(c) a conditional request with If-None-Match: the 304 path, its time and queries;
(d) the memory the cold render allocates at its peak (tracemalloc, a separate request).
Prints the figures and the ratios and writes bench/results/calendar-<database>.json.
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
# As production serves feeds: DEBUG off (DEBUG keeps and logs every statement). BENCH_DEBUG=1: on.
os.environ["DEBUG"] = os.environ.get("BENCH_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP
os.environ.setdefault("STATIC_FROM_SOURCE", "1")
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
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from icalendar import Calendar as ICalendar  # noqa: E402
from icalendar import Event as IEvent  # noqa: E402
from icalendar.prop import vRecur  # noqa: E402

REPEATS = 3
CONDITIONAL_REPEATS = 30
ZONES = ["Europe/Madrid", "Europe/Ljubljana", "America/New_York", "Asia/Kolkata", "UTC"]
URL = "/events/calendar.ics"


def _description(rng: random.Random, i: int) -> str:
    words = ("práctica", "formación", "innovación", "evaluation", "Erasmus+", "inclusión", "teachers", "VET")
    text = " ".join(rng.choice(words) for _ in range(70))
    html = f'<p>Session {i}: {text} &amp; <a href="https://example.org/p/{i}" rel="nofollow ugc noopener">more</a>.</p>'
    return (html + "<p>" + "x" * 500)[:496] + "</p>"


def seed(first: int, last: int) -> None:
    """Master rows ``first``..``last`` (10 % weekly series, some all-day, some cancelled) and
    one override per 100 rows."""
    from community.models import Organisation, Theme
    from events.models import Event
    from events.recurrence import series_end_of

    if not Organisation.objects.filter(slug="bench-org-0").exists():
        Organisation.objects.bulk_create(
            Organisation(name=f"Organisation {i}", slug=f"bench-org-{i}", type="university", country="ES")
            for i in range(20)
        )
        Theme.objects.bulk_create(Theme(name=f"Theme {i}", slug=f"bench-theme-{i}") for i in range(10))
    organisations = list(Organisation.objects.filter(slug__startswith="bench-org-").order_by("pk"))
    themes = list(Theme.objects.filter(slug__startswith="bench-theme-").order_by("pk"))
    rng = random.Random(first)
    now = timezone.now().replace(microsecond=0, second=0, minute=0)
    # Spread over the same span whatever the size: 30 days back to two years ahead.
    step = dt.timedelta(days=760) / max(last, 1)
    rows = []
    for i in range(first, last):
        tzid = ZONES[i % len(ZONES)]
        zone = zoneinfo.ZoneInfo(tzid)
        day = (now - dt.timedelta(days=30) + step * i).astimezone(zone)
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
    for master in [e for e in masters if e.rrule][: max(1, (last - first) // 100)]:
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
    Event.objects.bulk_create(overrides, batch_size=1000)


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


SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]


def main() -> int:
    setup_test_environment()
    creation = None
    if USE_SERVER_DB:
        # Beside the database named in DATABASE_URL (each engineer's own), never on it.
        connection.settings_dict["TEST"]["NAME"] = f"test_{connection.settings_dict['NAME']}_calendar"
        creation = connection.creation
        old_name = creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0, interactive=False)
    try:
        results, seeded = [], 0
        for size in sorted(SIZES):
            t0 = time.perf_counter()
            seed(seeded, size)
            seeded = size
            print(f"seeded {size} events in {time.perf_counter() - t0:.1f} s ({connection.vendor})", flush=True)
            results.append(run(size))
    finally:
        if creation is not None:
            creation.destroy_test_db(old_name, verbosity=0)
    out = ROOT / "bench" / "results" / f"calendar-{connection.vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"database": connection.vendor, "sizes": results}, indent=2) + "\n")
    print("\n| events | icalendar build+serialise | first render (no stored block) | cold (blocks stored) "
          "| ratio cold (target <= 0.2) | cached, plain / gzip (target gzip <= 1.2x) "
          "| 304 (queries; target >= 0.5x a bare JsonResponse) "
          "| peak memory of a cold render (target <= 50 MB at 100k) |")  # fmt: skip
    for r in results:
        print(
            f"| {r['events']:,} | {r['icalendar_alone_s']:.3f} s | {r['view_first_s']:.3f} s "
            f"({r['ratio_first_to_icalendar']:.2f}x) | {r['view_cold_s']:.3f} s | {r['ratio_cold_to_icalendar']:.3f}x "
            f"| {r['view_cached_plain_s']:.3f} / {r['view_cached_gzip_s']:.3f} s ({r['ratio_gzip_to_plain']:.2f}x) "
            f"| {r['conditional_304_ms']:.2f} ms ({r['conditional_304_queries']}; "
            f"{r['ratio_304_rps_to_bare_json']:.2f}x a bare JsonResponse's req/s) | {r['cold_peak_mb']:.1f} MB |"
        )
    return 0 if all(r["conditional_304_queries"] <= 2 for r in results) else 1


def bare_json(request):
    """The ceiling for a 304: a bare JsonResponse through the same stack."""
    from django.http import JsonResponse

    return JsonResponse({"ok": True})


urlpatterns = [path("bare-json/", bare_json)]


def _read(client, url, **headers) -> tuple[float, bytes, int]:
    """Seconds to the last byte of the body, the body and the queries."""
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        body = response.getvalue()
        seconds = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return seconds, body, len(ctx.captured_queries)


def run(size: int) -> dict:
    import tracemalloc

    from events.calendars import public_calendar_scope
    from events.ical.export import event_queryset_for_feed
    from events.models import Event, VeventBlock

    repeats = REPEATS if size <= 10_000 else 1
    client = Client()
    client.get(f"/events/{Event.objects.order_by('pk').values_list('pk', flat=True).first()}.ics").getvalue()  # warm
    # (b) first: no block stored yet.
    VeventBlock.objects.all().delete()
    cache.clear()
    first_s, _body, _q = _read(client, URL)
    baseline, cold, cold_queries = [], [], []
    body = b""
    ical_len = 0
    for _ in range(repeats):
        rows = list(event_queryset_for_feed(public_calendar_scope().events()))  # in memory before (a) is timed
        seconds, ical_body = timed(lambda rows=rows: icalendar_alone(rows))
        baseline.append(seconds)
        ical_len = len(ical_body)
        del rows, ical_body
        cache.clear()
        seconds, body, queries = _read(client, URL)
        cold.append(seconds)
        cold_queries.append(queries)
    plain = [_read(client, URL)[0] for _ in range(repeats)]
    zipped = [_read(client, URL, accept_encoding="gzip")[0] for _ in range(repeats)]
    # (d) what a cold render allocates at its peak, the body read chunk by chunk and dropped.
    cache.clear()
    tracemalloc.start()
    response = client.get(URL)
    sent = sum(len(chunk) for chunk in response.streaming_content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # After one event changed: the body is new, one VEVENT is rendered again.
    after_edit = []
    for i in range(repeats):
        event = Event.objects.filter(recurrence_id__isnull=True).order_by("pk")[i]
        event.title = f"{event.title} (changed {i})"
        event.save()
        after_edit.append(_read(client, URL)[0])
    etag = client.get(URL)["ETag"]
    conditional, conditional_queries = [], []
    for _ in range(CONDITIONAL_REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            seconds, response = timed(lambda: client.get(URL, headers={"if-none-match": etag}))
        assert response.status_code == 304, response.status_code
        conditional.append(seconds)
        conditional_queries.append(len(ctx.captured_queries))
    from django.test import override_settings

    with override_settings(ROOT_URLCONF=__name__):
        bare = []
        for _ in range(CONDITIONAL_REPEATS):
            seconds, response = timed(lambda: client.get("/bare-json/"))
            assert response.status_code == 200, response.status_code
            bare.append(seconds)
    base = statistics.median(baseline)
    result = {
        "events": size,
        "vevents": body.count(b"BEGIN:VEVENT"),
        "database": connection.vendor,
        "icalendar_alone_s": round(base, 3),
        "icalendar_alone_bytes": ical_len,
        "view_first_s": round(first_s, 3),
        "ratio_first_to_icalendar": round(first_s / base, 3),
        "view_cold_s": round(statistics.median(cold), 3),
        "view_cold_bytes": len(body),
        "view_cold_queries": max(cold_queries),
        "ratio_cold_to_icalendar": round(statistics.median(cold) / base, 3),
        "view_cached_plain_s": round(statistics.median(plain), 3),
        "view_cached_gzip_s": round(statistics.median(zipped), 3),
        "ratio_gzip_to_plain": round(statistics.median(zipped) / statistics.median(plain), 3),
        "cold_peak_mb": round(peak / 1e6, 1),
        "cold_bytes_streamed": sent,
        "view_after_one_edit_s": round(statistics.median(after_edit), 3),
        "ratio_after_one_edit_to_icalendar": round(statistics.median(after_edit) / base, 3),
        "conditional_304_ms": round(statistics.median(conditional) * 1000, 2),
        "conditional_304_queries": max(conditional_queries),
        "bare_json_ms": round(statistics.median(bare) * 1000, 2),
        "ratio_304_rps_to_bare_json": round(statistics.median(bare) / statistics.median(conditional), 3),
        "repeats": repeats,
    }
    print(json.dumps(result), flush=True)
    return result


if __name__ == "__main__":
    sys.exit(main())
