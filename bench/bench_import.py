"""Importing a 10,000-event partner feed, against icalendar's bare parse of the same bytes, in one run.

The feed: 10,000 VEVENTs, 10 % weekly series with an override each, TZID'd times in five
zones with their VTIMEZONEs, 500-character folded descriptions; served from 127.0.0.1
with ETag and Last-Modified by a thread in this process.

(a) ceiling: ``Calendar.from_ical(body)`` alone, median of 3;
(b) first import through ``import_feed`` (fetch → parse → normalise → upsert → report), median of 3,
    alternating with (a) so both see the same load;
(c) unchanged feed: answered 304, and again with the validators stripped (the body hash decides);
(d) 1 % of events changed: rows written must equal the events changed; then every event
    changed (no ceiling: a partner rewriting its whole feed);
(e) peak memory (RSS growth) of the first import and of a bare parse, each in a fresh process
    on a fresh database of the run's kind.

Prints each figure beside its ceiling and writes bench/results/import.json. Runs on a
temporary SQLite file, or with DATABASE_URL on a throw-away database beside it, with DEBUG
off as in the worker (``BENCH_DEBUG=1`` for DEBUG on).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Imports run in the task worker, where DEBUG is off. With DEBUG on, Django keeps every
# statement and, on SQLite, quotes each parameter of each 500-row INSERT through the database:
# a cost no deployment pays (BENCH_DEBUG=1 measures it anyway, as this bench did until 2026-12-02).
os.environ["DEBUG"] = os.environ.get("BENCH_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ["FETCH_ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["FEED_MAX_BYTES"] = str(50 * 1024 * 1024)
_TMP = tempfile.mkdtemp(prefix="praxis-bench-import-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_TMP}/bench.sqlite3"

EVENTS = 10_000
REPEATS = 3
ZONES = ["Europe/Madrid", "Europe/Ljubljana", "America/New_York", "Asia/Kolkata", "Europe/London"]


def _fold(line: str) -> str:
    out, data = [], line
    while len(data) > 74:
        out.append(data[:74])
        data = data[74:]
    out.append(data)
    return "\r\n ".join(out)


def _vtimezones() -> list[str]:
    import zoneinfo

    from icalendar import Timezone

    lines: list[str] = []
    for name in ZONES:
        component = Timezone.from_tzinfo(
            zoneinfo.ZoneInfo(name), first_date=dt.date(2026, 1, 1), last_date=dt.date(2029, 1, 1)
        )
        lines += component.to_ical().decode().strip().split("\r\n")
    return lines


def generate_feed(changed: set[int] | None = None) -> bytes:
    """The feed; events in ``changed`` carry another title and a higher SEQUENCE."""
    rng = random.Random(11)
    changed = changed or set()
    words = ("practice", "training", "innovation", "evaluation", "Erasmus", "inclusion", "teachers", "VET", "school")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Bench//Partner//EN",
        "X-WR-CALNAME:Bench partner",
        *_vtimezones(),
    ]
    base = dt.datetime(2027, 1, 4, 9, 0)  # noqa: DTZ001 - wall-clock time, written with a TZID
    for i in range(EVENTS):
        zone = ZONES[i % len(ZONES)]
        start = base + dt.timedelta(days=rng.randrange(0, 700), hours=rng.randrange(0, 9))
        end = start + dt.timedelta(hours=rng.choice((1, 2, 3)))
        text = " ".join(rng.choice(words) for _ in range(90))[:500]
        seq = 1 if i in changed else 0
        title = f"Event {i}{' (moved)' if i in changed else ''}"
        event = [
            "BEGIN:VEVENT",
            f"UID:bench-{i}@partner.example",
            "DTSTAMP:20261201T000000Z",
            f"DTSTART;TZID={zone}:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={zone}:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{title}",
            _fold(f"DESCRIPTION:{text}"),
            f"LOCATION:Room {i % 40}",
            f"SEQUENCE:{seq}",
            "LAST-MODIFIED:20261201T000000Z",
        ]
        recurring = i % 10 == 0
        if recurring:
            event.append("RRULE:FREQ=WEEKLY;COUNT=10")
        event.append("END:VEVENT")
        lines += event
        if recurring:
            moved = start + dt.timedelta(days=7)
            lines += [
                "BEGIN:VEVENT",
                f"UID:bench-{i}@partner.example",
                "DTSTAMP:20261201T000000Z",
                f"RECURRENCE-ID;TZID={zone}:{moved:%Y%m%dT%H%M%S}",
                f"DTSTART;TZID={zone}:{moved + dt.timedelta(hours=2):%Y%m%dT%H%M%S}",
                f"DTEND;TZID={zone}:{moved + dt.timedelta(hours=3):%Y%m%dT%H%M%S}",
                f"SUMMARY:{title} (this week later)",
                _fold(f"DESCRIPTION:{text}"),
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


class FeedState:
    body = b""
    validators = True

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


STATE = FeedState()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if STATE.validators and self.headers.get("If-None-Match") == STATE.etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("Content-Length", str(len(STATE.body)))
        if STATE.validators:
            self.send_header("ETag", STATE.etag)
            self.send_header("Last-Modified", "Tue, 01 Dec 2026 00:00:00 GMT")
        self.end_headers()
        self.wfile.write(STATE.body)


def _rss_kb() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def memory_child(kind: str, path: str) -> None:
    """Run in a fresh process: print the peak RSS growth (KiB) of one bare parse or one import."""
    import django

    django.setup()
    body = Path(path).read_bytes()
    if kind == "bare":
        from icalendar import Calendar

        before = _rss_kb()
        Calendar.from_ical(body)
    else:
        from django.core.management import call_command

        from community.models import Organisation
        from events.federation.imports import import_calendar

        call_command("migrate", verbosity=0)
        organisation = Organisation.objects.create(name="Memory", slug="memory", type="ngo", country="ES")
        before = _rss_kb()
        import_calendar(organisation=organisation, body=body, source="command", origin="feed")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"growth_kb": peak - before}))


def _memory(kind: str, path: str) -> float:
    """Run a memory child on a fresh database of the run's own kind (SQLite file, or a new
    PostgreSQL database beside DATABASE_URL's, dropped afterwards)."""
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        return _memory_child_run(kind, path, f"sqlite:///{_TMP}/memory-{kind}.sqlite3")
    import psycopg

    base, _slash, name = url.rpartition("/")
    fresh = f"{name}_memory_{kind}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        return _memory_child_run(kind, path, f"{base}/{fresh}")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')


def _memory_child_run(kind: str, path: str, database_url: str) -> float:
    env = {**os.environ, "DATABASE_URL": database_url}
    out = subprocess.run(
        [sys.executable, __file__, "--memory", kind, path], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])["growth_kb"] / 1024


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from icalendar import Calendar

    from community.models import Organisation
    from events.federation.imports import import_feed
    from events.models import Event, Feed

    call_command("migrate", verbosity=0)
    STATE.body = generate_feed()
    size = len(STATE.body)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/feed.ics"
    print(f"feed: {EVENTS:,} events + {EVENTS // 10:,} overrides, {size / 1e6:.1f} MB, {url}")

    organisation = Organisation.objects.create(name="Bench partner", slug="bench-partner", type="ngo", country="ES")
    feed = Feed.objects.create(organisation=organisation, name="Bench", url=url)

    def timed_import():
        # Counted with an execute wrapper: CaptureQueriesContext formats every statement's SQL
        # with its parameters, which for 10,000-row inserts costs more than the import itself.
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            run = import_feed(feed=feed)
            elapsed = time.perf_counter() - started
        return run, elapsed, count[0]

    # The machine is shared and noisy: bare parses and first imports alternate, REPEATS of each,
    # and the medians are compared. Between first imports the rows and the feed's state are wiped.
    bare_times, first_times = [], []
    for attempt in range(REPEATS):
        started = time.perf_counter()
        Calendar.from_ical(STATE.body)
        bare_times.append(time.perf_counter() - started)
        if attempt:
            Event.objects.filter(organiser=organisation).delete()
            Feed.objects.filter(pk=feed.pk).update(etag="", last_modified_header="", body_hash="", context_hash="")
            feed.refresh_from_db()
        first, elapsed, first_q = timed_import()
        first_times.append(elapsed)
        assert first.outcome == "imported", (first.outcome, first.message, first.problems[:3])
    bare = statistics.median(bare_times)
    first_s = statistics.median(first_times)
    first_rows = Event.objects.filter(organiser=organisation).count()

    mark = timezone.now()
    not_modified, nm_s, nm_q = timed_import()
    nm_rows = Event.objects.filter(updated__gt=mark).count()

    STATE.validators = False
    unchanged, un_s, un_q = timed_import()
    un_rows = Event.objects.filter(updated__gt=mark).count()

    changed_ids = set(range(5, EVENTS, 100))  # 1 %: 100 single events (every tenth event is a series)
    STATE.body = generate_feed(changed_ids)
    STATE.validators = True
    mark = timezone.now()
    time.sleep(0.01)
    one_pct, pct_s, pct_q = timed_import()
    pct_rows = Event.objects.filter(updated__gt=mark).count()

    # Every event changed (no ceiling in the issue: how a partner's wholesale rewrite compares).
    STATE.body = generate_feed(set(range(EVENTS)))
    mark = timezone.now()
    time.sleep(0.01)
    _all, all_s, all_q = timed_import()
    all_rows = Event.objects.filter(updated__gt=mark).count()
    httpd.shutdown()

    path = Path(_TMP) / "feed.ics"
    path.write_bytes(generate_feed())
    bare_mem = _memory("bare", str(path))
    import_mem = _memory("import", str(path))

    rows = [
        ("bare Calendar.from_ical (median of 3)", f"{bare:.2f} s", "ceiling", ""),
        ("first import (median of 3)", f"{first_s:.2f} s, {first_rows:,} rows, {first_q} queries", "<= 1.3x bare",
         f"{first_s / bare:.2f}x"),
        ("unchanged, 304", f"{nm_s * 1000:.1f} ms, {nm_rows} rows written, {nm_q} queries",
         "<= 1 % of first, 0 rows, <= 3 queries", f"{nm_s / first_s * 100:.2f} %"),
        ("unchanged, no validators (body hash)", f"{un_s * 1000:.1f} ms, {un_rows} rows written, {un_q} queries",
         "<= 1 % of first, 0 rows, <= 3 queries", f"{un_s / first_s * 100:.2f} %"),
        ("1 % changed (100 events)", f"{pct_s:.2f} s, {pct_rows} rows written, {one_pct.blocks_parsed} blocks parsed, "
         f"{pct_q} queries", "<= 0.25x bare, rows = 100", f"{pct_s / bare:.2f}x"),
        ("every event changed", f"{all_s:.2f} s, {all_rows:,} rows written, {all_q} queries", "(no ceiling)",
         f"{all_s / bare:.2f}x bare, {all_s / first_s:.2f}x first"),
        ("peak memory growth", f"import {import_mem:.0f} MiB, bare parse {bare_mem:.0f} MiB", "<= 1.5x bare",
         f"{import_mem / bare_mem:.2f}x"),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print()
    for name, figure, ceiling, ratio in rows:
        print(f"{name.ljust(width)}  {figure:60}  {ceiling:38}  {ratio}")
    results = {
        "events": EVENTS,
        "bytes": size,
        "bare_parse_s": bare,
        "first_import_s": first_s,
        "first_import_ratio": first_s / bare,
        "first_import_queries": first_q,
        "not_modified_ms": nm_s * 1000,
        "not_modified_rows": nm_rows,
        "not_modified_queries": nm_q,
        "unchanged_body_ms": un_s * 1000,
        "unchanged_body_rows": un_rows,
        "unchanged_body_queries": un_q,
        "one_percent_s": pct_s,
        "one_percent_ratio": pct_s / bare,
        "one_percent_rows": pct_rows,
        "one_percent_blocks_parsed": one_pct.blocks_parsed,
        "one_percent_queries": pct_q,
        "all_changed_s": all_s,
        "all_changed_rows": all_rows,
        "all_changed_queries": all_q,
        "memory_import_mib": import_mem,
        "memory_bare_mib": bare_mem,
        "memory_ratio": import_mem / bare_mem,
        "outcomes": [first.outcome, not_modified.outcome, unchanged.outcome, one_pct.outcome],
    }
    out = ROOT / "bench" / "results" / "import.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--memory":
        memory_child(sys.argv[2], sys.argv[3])
    else:
        main()
