import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.serializers.events import (
    EventSerializer,
)
from events.models import Event, EventKind, Speaker
from tests.factories import (
    EventFactory,
    LanguageFactory,
    OrganisationFactory,
    ProfileFactory,
    SectorFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

SOON = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=3)


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _walk(client, url: str) -> list[int]:
    seen: list[int] = []
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    return seen


def _rich_event(**kwargs) -> Event:
    event = EventFactory(language=LanguageFactory(), **kwargs)
    event.themes.set([ThemeFactory(slug="inclusion"), ThemeFactory(slug="digital-skills")])
    event.sectors.set([SectorFactory(slug="vet")])
    return event


def _conference(sessions: int = 2, speaker=None, **kwargs) -> Event:
    """A conference whose sessions each have a member speaker and a guest speaker."""
    speaker = speaker or ProfileFactory()
    conference = EventFactory(kind=EventKind.CONFERENCE, **kwargs)
    for n in range(sessions):
        session = EventFactory(
            kind=EventKind.SESSION,
            parent=conference,
            organiser=conference.organiser,
            start=conference.start + dt.timedelta(hours=n),
            end=conference.start + dt.timedelta(hours=n + 1),
            room=f"Room {n}",
            track="Inclusion",
        )
        Speaker.objects.create(session=session, profile=speaker, position=0)
        Speaker.objects.create(session=session, name="Guest Speaker", affiliation="CMEPIUS", position=1)
    return conference


# --- shape ------------------------------------------------------------------------


def test_event_list_rows_carry_exactly_the_documented_fields(client):
    _rich_event(rrule="FREQ=WEEKLY;COUNT=4", latitude="39.400000", longitude="-0.400000")
    row = client.get("/api/v1/events/").json()["results"][0]
    assert set(row) == set(EventSerializer().fields)
    assert set(row["organiser"]) == set(EventSerializer().fields["organiser"].fields)
    assert set(row["location"]) == set(EventSerializer().fields["location"].fields)
    assert set(row["recurrence"]) == set(EventSerializer().fields["recurrence"].fields)


def test_event_list_row_values(client):
    org = OrganisationFactory(slug="cmepius", name="CMEPIUS")
    event = _rich_event(
        organiser=org,
        title="Valorisation day",
        timezone="Europe/Ljubljana",
        start=dt.datetime(2031, 1, 15, 8, 30, tzinfo=dt.UTC),
        end=dt.datetime(2031, 1, 15, 16, 0, tzinfo=dt.UTC),
        country="SI",
        city="Brdo pri Kranju",
        online_url="https://meet.example.org/valorisation",
        latitude="46.290000",
    )
    event.refresh_from_db()  # themes/sectors set after creation touch `updated`
    row = client.get("/api/v1/events/").json()["results"][0]
    assert row["id"] == event.pk
    assert row["uid"] == event.uid
    assert row["kind"] == "event"
    assert row["start"] == "2031-01-15T09:30:00+01:00"
    assert row["end"] == "2031-01-15T17:00:00+01:00"
    assert row["timezone"] == "Europe/Ljubljana"
    assert row["all_day"] is False
    assert row["status"] == "confirmed"
    assert row["organiser"] == {"slug": "cmepius", "name": "CMEPIUS", "url": "http://testserver/organisations/cmepius/"}
    assert row["conference"] is None
    assert row["themes"] == ["digital-skills", "inclusion"]
    assert row["sectors"] == ["vet"]
    assert row["language"] == "en"
    assert row["location"] == {
        "venue": "",
        "address": "",
        "city": "Brdo pri Kranju",
        "country": "SI",
        "latitude": 46.29,
        "longitude": None,
    }
    assert row["online_url"] == "https://meet.example.org/valorisation"
    assert row["url"] == "http://testserver" + event.get_absolute_url()
    assert row["ics_url"] == "http://testserver" + reverse("event-ics", kwargs={"pk": event.pk})
    assert row["recurrence"] is None
    assert row["sequence"] == event.sequence
    assert dt.datetime.fromisoformat(row["updated"]) == event.updated


def test_event_list_recurrence_gives_rule_and_dates_with_offsets(client):
    EventFactory(
        timezone="Europe/Madrid",
        start=dt.datetime(2031, 3, 3, 9, 0, tzinfo=dt.UTC),
        end=dt.datetime(2031, 3, 3, 10, 0, tzinfo=dt.UTC),
        rrule="FREQ=WEEKLY;COUNT=5",
        exdates=["2031-03-10T10:00:00"],
        rdates=["2031-04-20T08:00:00+00:00"],
    )
    row = client.get("/api/v1/events/?start=2031-03-01").json()["results"][0]
    assert row["recurrence"] == {
        "rrule": "FREQ=WEEKLY;COUNT=5",
        "rdates": ["2031-04-20T10:00:00+02:00"],
        "exdates": ["2031-03-10T10:00:00+01:00"],
    }


# --- which rows -------------------------------------------------------------------


def test_event_list_hides_removed_events_and_override_rows(client):
    master = EventFactory(rrule="FREQ=DAILY;COUNT=5")
    EventFactory(
        uid=master.uid,
        series=master,
        recurrence_id=master.start + dt.timedelta(days=1),
        organiser=master.organiser,
        start=master.start + dt.timedelta(days=1, hours=1),
    )
    removed = EventFactory()
    Event.objects.filter(pk=removed.pk).update(removed_at=timezone.now())
    assert Event.objects.count() == 3
    assert _ids(client.get("/api/v1/events/")) == [master.pk]


def test_event_list_holds_events_and_conferences_but_not_sessions(client):
    event = EventFactory(start=SOON)
    conference = _conference(start=SOON + dt.timedelta(days=1))
    assert Event.objects.filter(kind=EventKind.SESSION).count() == 2
    assert _ids(client.get("/api/v1/events/")) == [event.pk, conference.pk]


def test_kind_session_lists_sessions_with_their_conference_and_ids(client):
    EventFactory(start=SOON)
    conference = _conference(start=SOON + dt.timedelta(days=1))
    sessions = list(Event.objects.filter(kind=EventKind.SESSION).order_by("start", "pk"))

    rows = client.get("/api/v1/events/", {"kind": "session"}).json()["results"]
    conferences = client.get("/api/v1/events/", {"kind": "conference"}).json()["results"]

    assert [row["id"] for row in rows] == [s.pk for s in sessions]
    assert {row["conference"]["id"] for row in rows} == {conference.pk}
    assert [row["id"] for row in conferences] == [conference.pk]


def test_an_unknown_kind_is_a_400_problem_naming_the_known_ones(client):
    response = client.get("/api/v1/events/", {"kind": "party"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"kind": ["Unknown kind: party (known: event, conference, session)."]}


def test_event_list_default_window_starts_now(client):
    EventFactory(start=timezone.now() - dt.timedelta(days=3), end=timezone.now() - dt.timedelta(days=2))
    running = EventFactory(start=timezone.now() - dt.timedelta(hours=1), end=timezone.now() + dt.timedelta(hours=1))
    upcoming = EventFactory(start=SOON)
    assert _ids(client.get("/api/v1/events/")) == [running.pk, upcoming.pk]


def test_event_list_window_includes_recurring_series_that_started_before_it(client):
    start = dt.datetime(2031, 1, 6, 9, tzinfo=dt.UTC)
    weekly = EventFactory(start=start, end=start + dt.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=20")
    EventFactory(start=start, end=start + dt.timedelta(hours=1))  # one-off, over before the window
    EventFactory(start=start, end=start + dt.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=2")  # finished
    later = EventFactory(
        start=dt.datetime(2031, 4, 1, 9, tzinfo=dt.UTC), end=dt.datetime(2031, 4, 1, 10, tzinfo=dt.UTC)
    )
    never_ending = EventFactory(start=start, end=start + dt.timedelta(hours=1), rrule="FREQ=MONTHLY")
    assert _ids(client.get("/api/v1/events/?start=2031-03-01&end=2031-03-31")) == [weekly.pk, never_ending.pk]
    assert _ids(client.get("/api/v1/events/?start=2031-03-01")) == [weekly.pk, never_ending.pk, later.pk]


def test_event_list_filters_like_the_events_page(client):
    inclusion = ThemeFactory(slug="inclusion")
    cmepius = OrganisationFactory(slug="cmepius")
    match = EventFactory(organiser=cmepius, country="SI", attendance_mode="mixed", title="Inclusion in VET")
    match.themes.set([inclusion])
    EventFactory(organiser=cmepius, country="SI", attendance_mode="offline", title="Inclusion in VET")
    EventFactory(country="SI", attendance_mode="online", title="Inclusion in VET").themes.set([inclusion])
    EventFactory(organiser=cmepius, country="ES", attendance_mode="online", title="Inclusion in VET")
    EventFactory(organiser=cmepius, country="SI", attendance_mode="online", title="Digital schools").themes.set(
        [inclusion]
    )
    url = "/api/v1/events/?organiser=cmepius&theme=inclusion&country=si&mode=online&q=inclusion"
    assert _ids(client.get(url)) == [match.pk]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("country=XX", "country"),
        ("theme=nope", "theme"),
        ("organiser=nobody", "organiser"),
        ("sector=nope", "sector"),
        ("language=xx", "language"),
        ("mode=teleport", "mode"),
        ("start=garbage", "start"),
        ("end=2031-13-45", "end"),
        ("start=2031-02-01&end=2031-01-01", "end"),
        ("orgniser=cmepius", "orgniser"),
        ("page_size=many", "page_size"),
        ("page_size=0", "page_size"),
        ("cursor=garbage", "cursor"),
    ],
)
def test_event_list_bad_parameter_is_a_400_problem_naming_it(client, query, parameter):
    response = client.get(f"/api/v1/events/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert list(body["errors"]) == [parameter]
    assert body["status"] == 400
    assert body["instance"] == f"/api/v1/events/?{query}"


def test_event_list_names_every_bad_parameter_at_once(client):
    body = client.get("/api/v1/events/?country=XX&theme=nope").json()
    assert sorted(body["errors"]) == ["country", "theme"]
    assert "XX" in body["errors"]["country"][0]


# --- pagination -------------------------------------------------------------------


def test_event_list_cursor_walks_every_row_once_including_rows_that_share_a_start(client):
    tied = [EventFactory(start=SOON) for _ in range(5)]
    others = [EventFactory(start=SOON + dt.timedelta(hours=n)) for n in range(1, 6)]
    expected = [e.pk for e in sorted(tied + others, key=lambda e: (e.start, e.pk))]
    assert _walk(client, "/api/v1/events/?page_size=3") == expected


def test_event_list_previous_link_returns_the_page_before(client):
    events = [EventFactory(start=SOON + dt.timedelta(hours=n)) for n in range(5)]
    first = client.get("/api/v1/events/?page_size=2").json()
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [events[2].pk, events[3].pk]
    back = client.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [events[0].pk, events[1].pk]
    assert client.get(back["next"]).json()["results"] == second["results"]


def test_event_list_page_size_defaults_to_20_and_goes_up_to_100(client):
    EventFactory.create_batch(105, start=SOON)
    assert len(client.get("/api/v1/events/").json()["results"]) == 20
    assert len(client.get("/api/v1/events/?page_size=100").json()["results"]) == 100
    assert client.get("/api/v1/events/?page_size=1000").status_code == 400  # the schema's maximum


def test_event_list_cursor_keeps_the_filters(client):
    cmepius = OrganisationFactory(slug="cmepius")
    mine = [EventFactory(organiser=cmepius, start=SOON + dt.timedelta(hours=n)) for n in range(3)]
    EventFactory.create_batch(3, start=SOON)
    assert _walk(client, "/api/v1/events/?organiser=cmepius&page_size=1") == [e.pk for e in mine]


# --- query counts -----------------------------------------------------------------


def _queries(client, url: str, rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(response.json()["results"]) == rows
    return len(queries)


def test_event_list_query_count_is_the_same_for_1_and_50_rows(client):
    _rich_event(start=SOON)
    one = _queries(client, "/api/v1/events/?page_size=50", 1)
    for n in range(49):
        _rich_event(start=SOON + dt.timedelta(hours=n + 1), rrule="FREQ=DAILY;COUNT=3")
    assert _queries(client, "/api/v1/events/?page_size=50", 50) == one
    assert one == 3  # rows (with organiser, language, parent), themes, sectors


def test_event_list_query_count_with_filters_does_not_grow_with_rows(client):
    url = "/api/v1/events/?page_size=50&theme=inclusion&country=ES"
    _rich_event(start=SOON)
    one = _queries(client, url, 1)
    for n in range(49):
        _rich_event(start=SOON + dt.timedelta(hours=n + 1))
    assert _queries(client, url, 50) == one


def test_conference_list_query_count_is_the_same_for_1_and_50_rows(client):
    speaker = ProfileFactory()
    _conference(start=SOON, speaker=speaker)
    one = _queries(client, "/api/v1/conferences/?page_size=50", 1)
    for n in range(49):
        _conference(start=SOON + dt.timedelta(days=n + 1), speaker=speaker)
    assert _queries(client, "/api/v1/conferences/?page_size=50", 50) == one
