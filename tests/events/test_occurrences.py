"""The occurrence table: expanded when events are written, read by pages with LIMIT."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Event, Occurrence
from events.occurrences import _masters
from events.recurrence import expand
from events.writing import remove_event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _titles_on(page) -> list[str]:
    return re.findall(r'class="event-summary__title"><a href="[^"]+">([^<]+)</a>', page)


def test_a_weekly_series_is_expanded_when_written_and_follows_its_edits():
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    event = EventFactory(start=start, end=start + dt.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=4")
    assert Occurrence.objects.filter(series=event).count() == 4
    event = Event.objects.get(pk=event.pk)
    event.rrule = "FREQ=WEEKLY;COUNT=2"
    event.save()
    assert Occurrence.objects.filter(series=event).count() == 2
    remove_event(actor=None, event=event)
    assert not Occurrence.objects.filter(series=event).exists()


def test_an_override_replaces_its_occurrence_and_a_cancelled_one_shows_cancelled(client):
    start = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=1)
    event = EventFactory(title="Weekly", start=start, end=start + dt.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=3")
    second = start + dt.timedelta(days=7)
    EventFactory(
        organiser=event.organiser,
        uid=event.uid,
        series=event,
        recurrence_id=second,
        title="Weekly",
        status="cancelled",
        start=second,
        end=second + dt.timedelta(hours=1),
    )
    rows = list(Occurrence.objects.filter(series=event).order_by("start"))
    assert [row.event.status for row in rows] == ["confirmed", "cancelled", "confirmed"]
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert page.count("badge--cancelled") == 1
    assert "(changed)" not in page


def test_sixty_events_at_one_start_time_are_all_reachable_page_by_page(client):
    start = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=2)
    for i in range(60):
        EventFactory(title=f"Parallel {i:02}", start=start, end=start + dt.timedelta(hours=1))
    seen, url = [], "/events/"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += _titles_on(response.content.decode())
        more = response.context["more_query"]
        url = f"/events/?{more}" if more else None
    assert sorted(seen) == [f"Parallel {i:02}" for i in range(60)]


def test_an_event_running_for_days_is_on_one_page_only(client):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)
    EventFactory(title="Long festival", start=start, end=start + dt.timedelta(days=10))
    page = client.get("/events/").content.decode()
    assert _titles_on(page) == ["Long festival"]


@pytest.mark.parametrize("after", ["garbage", "2027-01-01T00:00:00_x", "9999-01-01T00:00:00+00:00_1", "_"])
def test_a_forged_later_events_link_is_a_clear_400(client, after):
    response = client.get("/events/", {"after": after})
    assert response.status_code == 400
    assert "after" in response.context["filter_errors"]


def test_a_later_events_link_past_the_end_is_an_empty_page(client):
    EventFactory()
    response = client.get("/events/", {"after": "2200-01-01T00:00:00+00:00_1"})
    assert response.status_code == 200
    assert response.context["days"] == []


def test_an_event_far_ahead_still_gets_its_occurrences(client):
    start = dt.datetime(2031, 3, 14, 10, tzinfo=dt.UTC)
    event = EventFactory(start=start, end=start + dt.timedelta(hours=1), rrule="FREQ=DAILY;COUNT=3")
    assert Occurrence.objects.filter(series=event).count() == 3


def test_the_command_rebuilds_the_table_for_an_operator(settings):
    event = EventFactory(rrule="FREQ=DAILY;COUNT=5")
    Occurrence.objects.all().delete()
    call_command("sync_occurrences")
    assert Occurrence.objects.filter(series=event).count() == 5
    call_command("sync_occurrences", "--all")
    assert Occurrence.objects.filter(series=event).count() == 5


def test_a_busy_day_in_the_month_view_shows_four_and_says_how_many_more(client):
    start = dt.datetime(2027, 6, 9, 10, tzinfo=dt.UTC)
    for i in range(6):
        EventFactory(title=f"Busy {i}", start=start, end=start + dt.timedelta(hours=1))
    response = client.get("/events/?view=month&month=2027-06")
    (day,) = [d for week in response.context["weeks"] for d in week if d["date"] == dt.date(2027, 6, 9)]
    assert (len(day["occurrences"]), day["more"]) == (4, 2)
    assert "2 more" in response.content.decode()


def test_the_month_view_draws_its_days_in_the_zone_it_names(client, settings):
    settings.CALENDAR_TIME_ZONE = "Europe/Brussels"
    start = dt.datetime(2027, 6, 14, 23, 30, tzinfo=dt.UTC)  # 01:30 on the 15th in Brussels
    EventFactory(title="Late", start=start, end=start + dt.timedelta(hours=1))
    response = client.get("/events/?view=month&month=2027-06")
    cells = {d["date"]: [o.title for o in d["occurrences"]] for w in response.context["weeks"] for d in w}
    assert (cells[dt.date(2027, 6, 14)], cells[dt.date(2027, 6, 15)]) == ([], ["Late"])
    page = response.content.decode()
    assert "Europe/Brussels" in page
    assert "01:30 Late" in page


def test_a_series_shows_once_in_the_upcoming_list_at_its_next_occurrence(client):
    start = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=1)
    EventFactory(title="Weekly webinar", start=start, end=start + dt.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=8")
    EventFactory(title="One-off", start=start + dt.timedelta(days=3), end=start + dt.timedelta(days=3, hours=1))
    assert _titles_on(client.get("/events/").content.decode()) == ["Weekly webinar", "One-off"]


def test_a_100000_occurrence_series_written_in_bulk_is_capped_and_every_view_answers(client):
    """The form refuses such a rule; a bulk writer (the feed importer) may still bring one.
    Its expansion is bounded (never past MAX_PER_SERIES rows) and every view answers; the
    feed exports the rule, not its dates."""
    from events.occurrences import MAX_PER_SERIES, sync_occurrences
    from events.writing import prepare_for_bulk
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    (series,) = Event.objects.bulk_create(
        prepare_for_bulk(
            [
                Event(
                    organiser=organisation,
                    uid="endless@example.org",
                    title="Daily for 273 years",
                    start=start,
                    end=start + dt.timedelta(minutes=30),
                    timezone="UTC",
                    rrule="FREQ=DAILY;COUNT=100000",
                )
            ]
        )
    )
    sync_occurrences(series_ids=[series.pk])
    assert 1 <= Occurrence.objects.filter(series=series).count() <= MAX_PER_SERIES
    assert client.get("/events/").status_code == 200
    assert client.get(f"/events/{series.pk}/").status_code == 200
    feed = client.get(f"/organisations/{organisation.slug}/calendar.ics").getvalue().decode()
    assert feed.count("BEGIN:VEVENT") == 1
    assert "RRULE:FREQ=DAILY;COUNT=100000" in feed


@pytest.mark.parametrize(
    ("zone", "month"),
    [
        ("Europe/Brussels", "2027-03"),  # clocks go forward on the 28th
        ("Europe/Brussels", "2027-10"),  # and back on the 31st: 02:00-03:00 comes twice
        ("America/New_York", "2027-11"),  # behind UTC, back on the 7th
        ("Pacific/Kiritimati", "2027-06"),  # UTC+14
        ("Australia/Lord_Howe", "2027-04"),  # a half-hour clock change on the 4th
    ],
)
def test_the_month_view_puts_every_instant_on_its_local_day_across_clock_changes(client, settings, zone, month):
    settings.CALENDAR_TIME_ZONE = zone
    local = zoneinfo.ZoneInfo(zone)
    year, number = map(int, month.split("-"))
    first = dt.datetime(year, number, 1, tzinfo=local)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    probes = []
    instant = first.astimezone(dt.UTC)
    while instant < following.astimezone(dt.UTC):  # every 5 h 25 min: each hour of the day is hit in the month
        probes.append(instant)
        instant += dt.timedelta(hours=5, minutes=25)
    probes += [following.astimezone(dt.UTC) - dt.timedelta(seconds=1)]  # the month's last second
    for n, start in enumerate(probes):
        EventFactory(title=f"P{n}", start=start, end=start + dt.timedelta(minutes=10), timezone=zone)
    response = client.get(f"/events/?view=month&month={month}")
    cells = {d["date"]: d for w in response.context["weeks"] for d in w}
    expected: dict[dt.date, list[str]] = {}
    for n, start in enumerate(probes):
        expected.setdefault(start.astimezone(local).date(), []).append(f"P{n}")
    for day, titles in expected.items():
        shown = [o.title for o in cells[day]["occurrences"]]
        assert shown == titles[:4], day
        assert cells[day]["more"] == max(0, len(titles) - 4), day


def test_series_read_as_columns_expand_as_the_events_do():
    # sync_occurrences expands SeriesColumns (tuples read without model instances); the
    # occurrences must be those the Event instances give: across summer time, with an
    # override, an EXDATE and RDATEs.
    madrid = zoneinfo.ZoneInfo("Europe/Madrid")
    start = dt.datetime(2027, 3, 20, 10, tzinfo=madrid).astimezone(dt.UTC)
    single = EventFactory(start=start, end=start + dt.timedelta(days=9), timezone="Europe/Madrid")
    weekly = EventFactory(
        start=start,
        end=start + dt.timedelta(hours=2),
        timezone="Europe/Madrid",
        rrule="FREQ=WEEKLY;COUNT=4",
        exdates=[dt.datetime(2027, 4, 3, 10, tzinfo=madrid).isoformat()],  # after the change to summer time
        rdates=[(start + dt.timedelta(days=3)).isoformat()],
    )
    EventFactory(
        organiser=weekly.organiser,
        uid=weekly.uid,
        series=weekly,
        recurrence_id=start + dt.timedelta(days=7),
        start=start + dt.timedelta(days=7, hours=3),
        end=start + dt.timedelta(days=7, hours=4),
        timezone="Europe/Madrid",
    )
    window = (start - dt.timedelta(days=30), start + dt.timedelta(days=60))

    def shape(occurrences):
        return [(o.event.pk, o.start, o.end, o.recurrence_id) for o in occurrences]

    models = {e.pk: e for e in Event.objects.filter(recurrence_id__isnull=True)}
    for event in models.values():
        event.prefetched_overrides = list(Event.objects.filter(series=event))
    columns = {series.pk: series for series in _masters(list(models))}
    assert sorted(columns) == sorted([single.pk, weekly.pk])
    for pk, event in models.items():
        assert shape(expand(columns[pk], *window)) == shape(expand(event, *window))
    assert len(expand(columns[weekly.pk], *window)) == 4  # 4 weekly - 1 EXDATE + 1 RDATE, one of them moved
