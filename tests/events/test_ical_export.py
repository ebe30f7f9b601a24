"""events.ical.export: what every VEVENT and the calendar around it must carry."""

import datetime as dt
import io
import random
import zoneinfo

import pytest
from dateutil import tz as dateutil_tz
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar, Timezone
from icalendar.parser import Contentline

from events.ical.export import event_queryset_for_feed, fold_line, render_calendar
from events.ical.vtimezone import vtimezone_lines
from events.models import Event
from tests.factories import EventFactory, OrganisationFactory, ThemeFactory

pytestmark = pytest.mark.django_db

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def render(qs=None, **kwargs) -> bytes:
    qs = Event.objects.listed() if qs is None else qs
    return render_calendar(
        event_queryset_for_feed(qs),
        name=kwargs.get("name", "Praxis test"),
        description=kwargs.get("description", "Events for a test"),
        url="https://praxis.example/events/",
        source="https://praxis.example/events/calendar.ics",
    )


def lines(body: bytes) -> list[str]:
    """Unfolded content lines."""
    return body.decode().replace("\r\n ", "").split("\r\n")


def vevent_lines(body: bytes) -> list[list[str]]:
    blocks, current = [], None
    for line in lines(body):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def local(y, m, d, h=10, minute=0, zone=MADRID) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=zone)


def test_calendar_carries_publish_method_names_and_refresh_interval(settings):
    settings.CALENDAR_REFRESH_HOURS = 3
    EventFactory()
    head = lines(render(name="Praxis, events", description="All; of them"))[:16]
    assert head[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Praxis//Praxis calendar 1.0//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    assert "NAME:Praxis\\, events" in head
    assert "X-WR-CALNAME:Praxis\\, events" in head
    assert "DESCRIPTION:All\\; of them" in head
    assert "X-WR-CALDESC:All\\; of them" in head
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT3H" in head
    assert "X-PUBLISHED-TTL:PT3H" in head
    assert "SOURCE;VALUE=URI:https://praxis.example/events/calendar.ics" in head


def test_every_line_ends_in_crlf_and_is_at_most_75_octets():
    EventFactory(title="Ñ" * 240, description="<p>" + "€ and 🎓 " * 200 + "</p>")
    body = render()
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in body.split(b"\r\n")) <= 75


def test_folding_never_splits_a_utf8_character_and_unfolds_to_the_original_text():
    title = " ".join(["Formación profesional 🎓 для всех — 職業教育と訓練"] * 5)
    EventFactory(title=title)
    body = render()
    for physical in body.split(b"\r\n"):
        physical.decode("utf-8")  # each folded piece is whole UTF-8 on its own
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == title


@pytest.mark.parametrize("seed", range(5))
def test_fold_line_gives_exactly_what_icalendar_folds(seed):
    rng = random.Random(seed)
    alphabet = "abc \\^;,:é€🎓ñ日本"
    for _ in range(400):
        text = "X-TEST:" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        assert fold_line(text) == Contentline(text).to_ical().decode()


def test_timed_events_carry_tzid_and_one_vtimezone_per_zone():
    EventFactory(start=local(2031, 5, 6), end=local(2031, 5, 6, 12))
    EventFactory(start=local(2031, 5, 7), end=local(2031, 5, 7, 12))
    ny = zoneinfo.ZoneInfo("America/New_York")
    EventFactory(timezone="America/New_York", start=local(2031, 5, 8, zone=ny), end=local(2031, 5, 8, 11, zone=ny))
    body = lines(render())
    assert [line for line in body if line.startswith("TZID:")] == ["TZID:America/New_York", "TZID:Europe/Madrid"]
    assert body.count("BEGIN:VTIMEZONE") == 2
    starts = sorted(line for line in body if line.startswith("DTSTART;TZID="))
    assert starts == [
        "DTSTART;TZID=America/New_York:20310508T100000",
        "DTSTART;TZID=Europe/Madrid:20310506T100000",
        "DTSTART;TZID=Europe/Madrid:20310507T100000",
    ]


def test_vtimezones_use_one_value_per_line_rules_never_multi_valued_rdate():
    start = local(2029, 1, 10)
    EventFactory(start=start, end=start + dt.timedelta(hours=1), rrule="FREQ=MONTHLY;COUNT=30")
    body = lines(render())
    zone = body[body.index("BEGIN:VTIMEZONE") : body.index("END:VTIMEZONE")]
    assert [line for line in zone if line.startswith("RDATE")] == []
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in zone
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in zone


@pytest.mark.parametrize(
    "tzid",
    [
        "Europe/Madrid",
        "Europe/Ljubljana",
        "America/New_York",
        "Asia/Kolkata",
        "Australia/Sydney",
        "America/Sao_Paulo",
        "Europe/Dublin",
        "America/Santiago",
        "America/Nuuk",
        "Pacific/Chatham",
    ],
)
def test_vtimezone_gives_tzdata_offsets_to_icalendar_and_dateutil(tzid):
    text = "\r\n".join(vtimezone_lines(tzid, 2016, 2030)) + "\r\n"
    readers = {
        "icalendar": Timezone.from_ical(text).to_tz(lookup_tzid=False),
        "dateutil": dateutil_tz.tzical(io.StringIO(text)).get(),  # what vobject uses
    }
    zone = zoneinfo.ZoneInfo(tzid)
    rng = random.Random(tzid)
    instant = dt.datetime(2016, 1, 2, tzinfo=dt.UTC)
    wrong = []
    while instant < dt.datetime(2036, 1, 1, tzinfo=dt.UTC):  # five years past the span: the open-ended rules
        expected = instant.astimezone(zone).utcoffset()
        wrong += [(name, instant) for name, tz in readers.items() if instant.astimezone(tz).utcoffset() != expected]
        instant += dt.timedelta(hours=rng.randint(1, 60))
    assert wrong == []


def test_utc_event_is_written_in_utc_with_no_vtimezone():
    start = dt.datetime(2031, 5, 6, 9, 30, tzinfo=dt.UTC)
    EventFactory(timezone="UTC", start=start, end=start + dt.timedelta(hours=1))
    body = lines(render())
    assert "DTSTART:20310506T093000Z" in body
    assert "DTEND:20310506T103000Z" in body
    assert "BEGIN:VTIMEZONE" not in body


def test_all_day_event_is_date_valued_with_an_exclusive_end():
    EventFactory(all_day=True, start=local(2031, 6, 10, 0), end=local(2031, 6, 13, 0))
    (event,) = vevent_lines(render())
    assert "DTSTART;VALUE=DATE:20310610" in event
    assert "DTEND;VALUE=DATE:20310613" in event


def test_recurring_all_day_event_gets_a_date_until():
    EventFactory(
        all_day=True, start=local(2031, 6, 10, 0), end=local(2031, 6, 11, 0), rrule="FREQ=DAILY;UNTIL=20310615T220000Z"
    )
    (event,) = vevent_lines(render())
    assert "RRULE:FREQ=DAILY;UNTIL=20310616" in event


def test_stamp_and_last_modified_come_from_updated_so_the_body_is_stable():
    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(updated=dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    first = render()
    assert render() == first
    (block,) = vevent_lines(first)
    assert "DTSTAMP:20300102T030405Z" in block
    assert "LAST-MODIFIED:20300102T030405Z" in block


def test_uid_minted_here_and_sequence_are_the_events_own():
    event = EventFactory(sequence=4)
    (block,) = vevent_lines(render())
    assert f"UID:{event.uid}" in block
    assert f"SEQUENCE:{event.sequence}" in block


def test_a_partners_uid_is_prefixed_with_its_organisation_so_two_partners_never_collide():
    first = EventFactory(uid="abc.123@partner.example")
    second = EventFactory(uid="abc.123@partner.example")
    blocks = vevent_lines(render())
    uids = sorted(line for block in blocks for line in block if line.startswith("UID:"))
    assert uids == sorted(
        [f"UID:o{first.organiser_id}-abc.123@partner.example", f"UID:o{second.organiser_id}-abc.123@partner.example"]
    )
    assert vevent_lines(render()) == blocks  # the same on every request


def test_cancelled_event_stays_in_the_feed_as_status_cancelled():
    EventFactory(status="cancelled")
    EventFactory(status="tentative")
    statuses = sorted(line for block in vevent_lines(render()) for line in block if line.startswith("STATUS:"))
    assert statuses == ["STATUS:CANCELLED", "STATUS:TENTATIVE"]


def test_recurring_event_is_one_rule_with_rdates_exdates_and_overrides_not_expanded():
    start = local(2031, 3, 6)
    master = EventFactory(
        start=start,
        end=start + dt.timedelta(hours=2),
        rrule="FREQ=WEEKLY;COUNT=6",
        rdates=[local(2031, 5, 1).isoformat(), local(2031, 5, 8).isoformat()],
        exdates=[local(2031, 3, 13).isoformat(), local(2031, 3, 20).isoformat()],
    )
    moved = local(2031, 4, 3, 12)
    EventFactory(
        uid=master.uid,
        series=master,
        recurrence_id=local(2031, 4, 3),
        organiser=master.organiser,
        title="Moved",
        start=moved,
        end=moved + dt.timedelta(hours=1),
    )
    blocks = vevent_lines(render())
    assert len(blocks) == 2
    rule, override = blocks
    assert "RRULE:FREQ=WEEKLY;COUNT=6" in rule
    assert [line for line in rule if line.startswith(("RDATE", "EXDATE"))] == [
        "RDATE;TZID=Europe/Madrid:20310501T100000",
        "RDATE;TZID=Europe/Madrid:20310508T100000",
        "EXDATE;TZID=Europe/Madrid:20310313T100000",
        "EXDATE;TZID=Europe/Madrid:20310320T100000",
    ]
    assert f"UID:{master.uid}" in override
    assert "RECURRENCE-ID;TZID=Europe/Madrid:20310403T100000" in override
    assert "DTSTART;TZID=Europe/Madrid:20310403T120000" in override


def test_removed_override_is_left_out_so_the_occurrence_follows_the_rule_again():
    master = EventFactory(rrule="FREQ=DAILY;COUNT=3")
    EventFactory(
        uid=master.uid,
        series=master,
        recurrence_id=master.start + dt.timedelta(days=1),
        organiser=master.organiser,
        removed_at=master.start,
    )
    assert len(vevent_lines(render())) == 1


def test_description_is_plain_text_with_the_organiser_and_the_event_page(settings):
    settings.SITE_URL = "https://praxis.example"
    organisation = OrganisationFactory(name="CIPFP Catarroja")
    event = EventFactory(
        organiser=organisation, description="<p>Good <strong>practice</strong> &amp; more</p><script>x()</script>"
    )
    (vevent,) = Calendar.from_ical(render()).walk("VEVENT")
    page = f"https://praxis.example/events/{event.pk}/"
    assert str(vevent["DESCRIPTION"]) == f"Good practice & more\nOrganised by CIPFP Catarroja\n{page}"
    assert str(vevent["URL"]) == page


def test_place_geo_categories_and_organiser_contact(settings):
    settings.SITE_URL = "https://praxis.example"
    organisation = OrganisationFactory(name="Brdo Centre", slug="brdo")
    event = EventFactory(
        organiser=organisation,
        venue="Kongresni center",
        address="Predoslje 39",
        city="Kranj",
        country="SI",
        latitude="46.2900",
        longitude="14.3900",
    )
    event.themes.add(ThemeFactory(name="Digital, open"), ThemeFactory(name="Inclusion"))
    (vevent,) = Calendar.from_ical(render()).walk("VEVENT")
    assert str(vevent["LOCATION"]) == "Kongresni center, Predoslje 39, Kranj, Slovenia"
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (46.29, 14.39)
    assert list(vevent["CATEGORIES"].cats) == ["Digital, open", "Inclusion"]
    assert str(vevent["CONTACT"]) == "Brdo Centre"
    assert vevent["CONTACT"].params["ALTREP"] == "https://praxis.example/organisations/brdo/"
    assert "ORGANIZER" not in vevent  # see the module docstring of events.ical.export


def test_session_location_has_its_room_and_relates_to_the_conference():
    conference = EventFactory(kind="conference", venue="Auditorium")
    EventFactory(kind="session", parent=conference, room="Room 2", venue="Auditorium", city="Catarroja", country="")
    blocks = {b[0]: b for b in vevent_lines(render())}
    session = next(b for b in blocks.values() if f"RELATED-TO;RELTYPE=PARENT:{conference.uid}" in b)
    assert "LOCATION:Room 2\\, Auditorium\\, Catarroja" in session
    assert len(blocks) == 2


def test_an_ambiguous_wall_clock_time_of_a_single_event_is_written_in_utc():
    start = dt.datetime(2031, 10, 26, 0, 30, tzinfo=dt.UTC)  # 02:30 in Madrid, an hour that happens twice
    EventFactory(start=start, end=start + dt.timedelta(hours=1))
    (block,) = vevent_lines(render())
    assert "DTSTART:20311026T003000Z" in block


def test_rendering_costs_the_same_queries_at_1_and_at_50_events():
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            render()
        return len(ctx.captured_queries)

    def add_recurring_session_with_override(conference, theme):
        master = EventFactory(kind="session", parent=conference, rrule="FREQ=DAILY;COUNT=3")
        master.themes.add(theme)
        EventFactory(uid=master.uid, series=master, recurrence_id=master.start, organiser=master.organiser)

    theme = ThemeFactory()
    conference = EventFactory(kind="conference")
    add_recurring_session_with_override(conference, theme)
    small = count()
    for _ in range(48):
        add_recurring_session_with_override(conference, theme)
    assert count() == small == 4  # events, their themes, overrides, the overrides' themes


def test_an_imported_event_in_a_far_year_still_renders_with_a_bounded_vtimezone():
    start = local(9990, 5, 6)
    EventFactory(start=start, end=start + dt.timedelta(hours=1))
    body = lines(render())
    assert "DTSTART;TZID=Europe/Madrid:99900506T100000" in body
    assert body.count("BEGIN:VTIMEZONE") == 1


@pytest.mark.parametrize(
    ("weekday_offset", "rule", "expected"),
    [
        # DTSTART on a Monday, the rule on Wednesdays: COUNT becomes the last instance's UNTIL
        # and DTSTART is named in an RDATE, so readers that follow the rule alone agree.
        (0, "FREQ=WEEKLY;BYDAY=WE;COUNT=3", ["RRULE:FREQ=WEEKLY;UNTIL=20270317T170000Z;BYDAY=WE", "RDATE"]),
        (0, "FREQ=WEEKLY;BYDAY=WE", ["RRULE:FREQ=WEEKLY;BYDAY=WE", "RDATE"]),
        # A series that starts on its rule is exported as stored, with no RDATE.
        (2, "FREQ=WEEKLY;BYDAY=WE;COUNT=3", ["RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=WE"]),
    ],
)
def test_a_series_starting_off_its_rule_names_its_start_for_every_reader(weekday_offset, rule, expected):
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    start = dt.datetime(2027, 3, 1 + weekday_offset, 18, 0, tzinfo=brussels)  # 1 March 2027 is a Monday
    EventFactory(origin="feed", timezone="Europe/Brussels", start=start, end=start + dt.timedelta(hours=1), rrule=rule)

    shown = [line for line in lines(render()) if line.startswith(("RRULE:FREQ=WEEKLY", "RDATE"))]

    assert [line.split(";TZID")[0] for line in shown] == expected
    if "RDATE" in expected:
        assert shown[-1] == f"RDATE;TZID=Europe/Brussels:{start:%Y%m%dT%H%M%S}"
