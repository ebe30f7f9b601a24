"""Every feed read by three parsers that share no code: icalendar (with recurring-ical-events),
vobject 0.9 (dateutil underneath) and Mozilla's ical.js 2 under node. They must agree with each
other and with Praxis's own expansion on every event, every instant (across DST changes, from
the feed's own VTIMEZONEs), all-day spans and the first occurrences of each series, with EXDATE
applied and overrides moved. Comparing counts alone would miss a VTIMEZONE read an hour off.
"""

import datetime as dt
import json
import os
import shutil
import subprocess
import uuid
import zoneinfo
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
import vobject
import vobject.icalendar
from django.utils import timezone

from events.models import Event, EventFollow
from events.recurrence import expand
from tests.factories import EventFactory, OrganisationFactory, ProfileFactory, ThemeFactory

pytestmark = pytest.mark.django_db

READER = Path(__file__).parent / "interop" / "read_ics.mjs"
NODE = shutil.which("node")
FIRST = 8  # occurrences compared per series


def _instant(value) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def _first_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(6 - day.weekday()) % 7)


def _at(day: dt.date, hour: int, minute: int, tzid: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), zoneinfo.ZoneInfo(tzid))


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """A fresh local cache per test, so each feed is rendered from this test's rows."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(uuid.uuid4())}
    }


@pytest.fixture
def scenario():
    """Series that cross DST changes in three zones, one in a zone without DST, one in UTC,
    all-day spans, an EXDATE, an RDATE, a moved and a cancelled occurrence, long multi-byte text."""
    year = timezone.now().year + 1
    organisation = OrganisationFactory(name="Zavod Brdo, Ljubljana & Kranj")
    theme = ThemeFactory(name="Digital, open; and inclusive")
    ev = {}
    autumn = _at(_last_sunday(year, 10) - dt.timedelta(days=17), 10, 0, "Europe/Madrid")
    ev["madrid"] = madrid = EventFactory(
        organiser=organisation,
        title="Madrid weekly",
        start=autumn,
        end=autumn + dt.timedelta(hours=2),
        rrule="FREQ=WEEKLY;COUNT=6",
        exdates=[(autumn + dt.timedelta(weeks=2)).isoformat()],
        rdates=[(autumn + dt.timedelta(weeks=8)).isoformat()],
        latitude="39.41",
        longitude="-0.39",
    )
    madrid.themes.add(theme)
    moved = autumn + dt.timedelta(weeks=4, days=1, hours=2)
    EventFactory(
        organiser=organisation,
        uid=madrid.uid,
        series=madrid,
        recurrence_id=autumn + dt.timedelta(weeks=4),
        title="Madrid weekly (moved)",
        start=moved,
        end=moved + dt.timedelta(hours=1),
    )
    EventFactory(
        organiser=organisation,
        uid=madrid.uid,
        series=madrid,
        recurrence_id=autumn + dt.timedelta(weeks=3),
        title="Madrid weekly (cancelled)",
        start=autumn + dt.timedelta(weeks=3),
        status="cancelled",
        end=autumn + dt.timedelta(weeks=3, hours=2),
    )
    spring = _at(_last_sunday(year, 3) - dt.timedelta(days=10), 19, 30, "Europe/Ljubljana")
    ev["ljubljana"] = EventFactory(
        organiser=organisation,
        title="Ljubljana weekly",
        timezone="Europe/Ljubljana",
        start=spring,
        end=spring + dt.timedelta(hours=1),
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    fall_back = _at(_first_sunday(year, 11) - dt.timedelta(days=10), 9, 0, "America/New_York")
    ev["new_york"] = EventFactory(
        organiser=organisation,
        title="New York weekly",
        timezone="America/New_York",
        start=fall_back,
        end=fall_back + dt.timedelta(hours=2),
        rrule=f"FREQ=WEEKLY;UNTIL={year}1201T000000Z",
    )
    summer = _at(dt.date(year, 7, 1), 18, 0, "Europe/Madrid")
    ev["yearly"] = EventFactory(
        organiser=organisation,
        title="Summer school",
        start=summer,
        end=summer + dt.timedelta(hours=3),
        rrule="FREQ=YEARLY;COUNT=4",  # four summers: a VTIMEZONE read only for its first years fails here
    )
    kolkata = _at(
        dt.date(year, 3, 4) + dt.timedelta(days=(3 - dt.date(year, 3, 4).weekday()) % 7), 18, 30, "Asia/Kolkata"
    )
    ev["kolkata"] = EventFactory(
        organiser=organisation,
        title="Kolkata weekly",
        timezone="Asia/Kolkata",
        start=kolkata,
        end=kolkata + dt.timedelta(minutes=90),
        rrule="FREQ=WEEKLY;BYDAY=TH,SA;COUNT=5",
    )
    utc = dt.datetime(year, 3, 27, 23, 30, tzinfo=dt.UTC)
    ev["utc"] = EventFactory(
        organiser=organisation,
        title="UTC daily",
        timezone="UTC",
        start=utc,
        end=utc + dt.timedelta(hours=1),
        rrule="FREQ=DAILY;COUNT=4",
    )
    ev["all_day"] = EventFactory(
        organiser=organisation,
        title="Three days in Ljubljana",
        timezone="Europe/Ljubljana",
        all_day=True,
        start=_at(dt.date(year, 6, 10), 0, 0, "Europe/Ljubljana"),
        end=_at(dt.date(year, 6, 13), 0, 0, "Europe/Ljubljana"),
    )
    ev["all_day_weekly"] = EventFactory(
        organiser=organisation,
        title="Weekly day off",
        all_day=True,
        rrule="FREQ=WEEKLY;COUNT=3",
        start=_at(dt.date(year, 10, 20), 0, 0, "Europe/Madrid"),
        end=_at(dt.date(year, 10, 21), 0, 0, "Europe/Madrid"),
    )
    # From a partner's feed: DTSTART on a Monday, the rule on Wednesdays (RFC 5545 leaves the
    # set undefined; Praxis counts DTSTART first, as Google Calendar and Outlook show it).
    monday = dt.date(year, 3, 1) + dt.timedelta(days=(7 - dt.date(year, 3, 1).weekday()) % 7)
    ev["off_rule"] = EventFactory(
        organiser=organisation,
        origin="feed",
        title="Starts off its rule",
        timezone="Europe/Brussels",
        start=_at(monday, 18, 0, "Europe/Brussels"),
        end=_at(monday, 19, 0, "Europe/Brussels"),
        rrule="FREQ=WEEKLY;BYDAY=WE;COUNT=3",
    )
    ev["cancelled"] = EventFactory(organiser=organisation, title="Called off", status="cancelled")
    ev["long"] = EventFactory(
        organiser=organisation,
        title="Formación profesional 🎓 для всех — 職業教育と訓練 " * 4,
        description="<p>" + "Práctica, innovación; «calidad» 🎓 \\ " * 40 + "</p>",
        venue="Sala Ñ",
        address="Calle Mayor 3, 2º",
        city="Catarroja",
        country="ES",
    )
    conference = ev["conference"] = EventFactory(organiser=organisation, kind="conference", title="Conference")
    ev["session"] = EventFactory(
        organiser=organisation, kind="session", parent=conference, title="Session", room="Room 2", venue="Brdo"
    )
    return ev


def read_icalendar(body: bytes) -> dict:
    cal = icalendar.Calendar.from_ical(body)
    events, occurrences, starts = [], {}, {}
    for ve in cal.walk("VEVENT"):
        rid = ve.get("RECURRENCE-ID")
        cats = ve.get("CATEGORIES")
        events.append(
            {
                "uid": str(ve["UID"]),
                "recurrence_id": rid and _instant(rid.dt),
                "start": _instant(ve["DTSTART"].dt),
                "end": _instant(ve["DTEND"].dt),
                "all_day": not isinstance(ve["DTSTART"].dt, dt.datetime),
                "status": str(ve["STATUS"]),
                "summary": str(ve["SUMMARY"]),
                "description": str(ve["DESCRIPTION"]),
                "location": str(ve["LOCATION"]) if "LOCATION" in ve else None,
                "categories": list(cats.cats) if cats else [],
                "related_to": str(ve["RELATED-TO"]) if "RELATED-TO" in ve else None,
            }
        )
        if "RRULE" in ve or "RDATE" in ve:
            starts[str(ve["UID"])] = ve["DTSTART"].dt
    for uid, start in starts.items():
        first = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
        found = recurring_ical_events.of(cal).between(first - dt.timedelta(days=1), first + dt.timedelta(days=5 * 366))
        mine = [c for c in found if str(c["UID"]) == uid]
        mine.sort(key=lambda c: _instant(c["RECURRENCE-ID"].dt if "RECURRENCE-ID" in c else c["DTSTART"].dt))
        occurrences[uid] = [
            {
                "recurrence_id": _instant(c["RECURRENCE-ID"].dt if "RECURRENCE-ID" in c else c["DTSTART"].dt),
                "start": _instant(c["DTSTART"].dt),
                "end": _instant(c["DTEND"].dt),
                "summary": str(c["SUMMARY"]),
            }
            for c in mine[:FIRST]
        ]
    return {"events": events, "occurrences": occurrences}


def read_vobject(body: bytes) -> dict:
    # vobject keeps the first definition of each TZID for the whole process: forget the
    # previous feed's, so this one is read from its own VTIMEZONEs.
    vars(vobject.icalendar)["__tzidMap"].clear()
    cal = vobject.readOne(body.decode())
    events, masters, overrides = [], {}, {}
    for ve in cal.vevent_list:
        start, end = ve.dtstart.value, ve.dtend.value
        if isinstance(start, dt.datetime):
            # Read from the feed's own VTIMEZONE; vobject's one exception is a zone whose winter
            # offset is +00:00 (Dublin, London): it mistakes the VTIMEZONE for UTC and takes pytz's.
            own = type(start.tzinfo).__name__ in {"_tzicalvtz", "UTC", "tzutc"}
            assert own or start.tzinfo.utcoffset(dt.datetime(start.year, 1, 15)) == dt.timedelta(0), start.tzinfo
        rid = ve.recurrence_id.value if hasattr(ve, "recurrence_id") else None
        events.append(
            {
                "uid": ve.uid.value,
                "recurrence_id": rid and _instant(rid),
                "start": _instant(start),
                "end": _instant(end),
                "all_day": not isinstance(start, dt.datetime),
                "status": ve.status.value,
                "summary": ve.summary.value,
                "description": ve.description.value,
                "location": ve.location.value if hasattr(ve, "location") else None,
                "categories": ve.categories.value if hasattr(ve, "categories") else [],
                "related_to": ve.related_to.value if hasattr(ve, "related_to") else None,
            }
        )
        if rid is not None:
            overrides[(ve.uid.value, _instant(rid))] = ve
        elif hasattr(ve, "rrule") or hasattr(ve, "rdate"):
            masters[ve.uid.value] = ve
    occurrences = {}
    for uid, ve in masters.items():
        all_day = not isinstance(ve.dtstart.value, dt.datetime)
        duration = ve.dtend.value - ve.dtstart.value
        listed = []
        for occurrence in ve.getrruleset(addRDate=True):
            if len(listed) == FIRST:
                break
            if all_day:
                occurrence = occurrence.date()
            key = _instant(occurrence)
            moved = overrides.get((uid, key))
            item = moved or ve
            listed.append(
                {
                    "recurrence_id": key,
                    "start": _instant(moved.dtstart.value if moved else occurrence),
                    "end": _instant(moved.dtend.value if moved else occurrence + duration),
                    "summary": item.summary.value,
                }
            )
        occurrences[uid] = listed
    return {"events": events, "occurrences": occurrences}


def read_icaljs(body: bytes, tmp_path: Path) -> dict:
    path = tmp_path / "feed.ics"
    path.write_bytes(body)
    proc = subprocess.run(
        [NODE, str(READER), str(path), str(FIRST)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "TZ": "UTC"},
    )
    return json.loads(proc.stdout)


def normalised(parsed: dict) -> dict:
    events = sorted(parsed["events"], key=lambda e: (e["uid"], e["recurrence_id"] or ""))
    return {"events": events, "occurrences": parsed["occurrences"]}


def praxis_occurrences(event: Event) -> list[dict]:
    """What Praxis's own expansion says, for the same series."""
    event.prefetched_overrides = list(Event.objects.filter(series=event, removed_at__isnull=True))
    far = event.start + dt.timedelta(days=5 * 366)
    out = []
    for o in expand(event, event.start - dt.timedelta(days=1), far, cap=FIRST):
        if event.all_day:
            zone = zoneinfo.ZoneInfo(event.timezone)
            start, end, rid = (x.astimezone(zone).date() for x in (o.start, o.end, o.recurrence_id))
        else:
            start, end, rid = o.start, o.end, o.recurrence_id
        out.append(
            {"recurrence_id": _instant(rid), "start": _instant(start), "end": _instant(end), "summary": o.event.title}
        )
    return out


def feed_bodies(client, scenario) -> dict[str, bytes]:
    profile = ProfileFactory()
    for key in ("madrid", "conference", "long"):
        EventFollow.objects.create(user=profile.user, event=scenario[key])
    urls = {
        "public": "/events/calendar.ics",
        "filtered": "/events/calendar.ics?theme=" + scenario["madrid"].themes.get().slug,
        "organisation": f"/organisations/{scenario['madrid'].organiser.slug}/calendar.ics",
        "personal": f"/calendar/{profile.calendar_token}.ics",
        "event": f"/events/{scenario['madrid'].pk}.ics",
        "conference": f"/events/{scenario['conference'].pk}.ics",
    }
    bodies = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[name] = response.getvalue()
    return bodies


def test_icalendar_and_vobject_read_every_feed_the_same_way(client, scenario):
    for name, body in feed_bodies(client, scenario).items():
        assert normalised(read_icalendar(body)) == normalised(read_vobject(body)), name


@pytest.mark.skipif(NODE is None, reason="node is not on PATH, so Mozilla ical.js cannot run")
def test_icaljs_reads_every_feed_as_icalendar_does(client, scenario, tmp_path):
    for name, body in feed_bodies(client, scenario).items():
        assert normalised(read_icaljs(body, tmp_path)) == normalised(read_icalendar(body)), name


def test_parsers_agree_with_praxis_on_the_first_occurrences_of_every_series(client, scenario):
    parsed = read_icalendar(client.get("/events/calendar.ics").getvalue())
    series = [e for e in scenario.values() if e.rrule]
    assert sorted(parsed["occurrences"]) == sorted(e.uid for e in series)
    for event in series:
        assert parsed["occurrences"][event.uid] == praxis_occurrences(event), event.title


def test_weekly_madrid_series_keeps_its_wall_clock_time_across_the_end_of_summer_time(client, scenario):
    madrid = scenario["madrid"]
    (listed,) = [
        v
        for k, v in read_vobject(client.get("/events/calendar.ics").getvalue())["occurrences"].items()
        if k == madrid.uid
    ]
    utc_hours = [(o["summary"], o["start"][11:16]) for o in listed]
    assert utc_hours == [
        ("Madrid weekly", "08:00"),  # 10:00 CEST
        ("Madrid weekly", "08:00"),  # the third week, the last of summer time, is an EXDATE: gone
        ("Madrid weekly (cancelled)", "09:00"),  # 10:00 CET
        ("Madrid weekly (moved)", "11:00"),  # a day later, at 12:00 CET
        ("Madrid weekly", "09:00"),
        ("Madrid weekly", "09:00"),  # the RDATE
    ]


def test_all_day_spans_are_dates_with_an_exclusive_end_in_every_parser(client, scenario, tmp_path):
    body = client.get(f"/events/{scenario['all_day'].pk}.ics").getvalue()
    year = scenario["all_day"].start.year
    readers = [read_icalendar(body), read_vobject(body)] + ([read_icaljs(body, tmp_path)] if NODE else [])
    for parsed in readers:
        (event,) = parsed["events"]
        assert (event["start"], event["end"], event["all_day"]) == (f"{year}-06-10", f"{year}-06-13", True)


def test_long_multibyte_text_survives_folding_in_every_parser(client, scenario, tmp_path):
    long = scenario["long"]
    body = client.get(f"/events/{long.pk}.ics").getvalue()
    assert max(len(line) for line in body.split(b"\r\n")) <= 75
    readers = [read_icalendar(body), read_vobject(body)] + ([read_icaljs(body, tmp_path)] if NODE else [])
    for parsed in readers:
        (event,) = parsed["events"]
        assert event["summary"] == long.title
        assert event["description"].startswith("Práctica, innovación; «calidad» 🎓 \\ Práctica")
        assert event["location"] == "Sala Ñ, Calle Mayor 3, 2º, Catarroja, Spain"


def demo_feed_bodies(client) -> dict[str, bytes]:
    """Every feed URL the demo content produces, including a member's personal feed."""
    from django.core.management import call_command

    from community.models import Organisation, User

    call_command("load_demo", verbosity=0)
    member = User.objects.get(email="lucia@praxis.example")
    conference = Event.objects.get(kind="conference", title__startswith="Cooperating")
    EventFollow.objects.create(user=member, event=conference)
    urls = ["/events/calendar.ics", f"/calendar/{member.profile.calendar_token}.ics"]
    urls += [f"/organisations/{slug}/calendar.ics" for slug in Organisation.objects.values_list("slug", flat=True)]
    masters = Event.objects.filter(recurrence_id__isnull=True).values_list("pk", flat=True)
    urls += [f"/events/{pk}.ics" for pk in masters]
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.getvalue()
    return bodies


def test_every_demo_feed_reads_the_same_in_all_three_parsers(client, tmp_path):
    bodies = demo_feed_bodies(client)
    cancelled = read_icalendar(bodies["/events/calendar.ics"])
    assert "CANCELLED" in {e["status"] for e in cancelled["events"]}
    for url, body in bodies.items():
        expected = normalised(read_icalendar(body))
        assert expected["events"], url
        assert normalised(read_vobject(body)) == expected, url
        if NODE is not None:
            assert normalised(read_icaljs(body, tmp_path)) == expected, url
