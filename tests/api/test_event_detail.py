"""/api/v1/conferences/ and /api/v1/events/<id>/: conferences with their sessions, and one event's detail."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.serializers.events import (
    ConferenceSerializer,
    EventDetailSerializer,
    SessionSerializer,
    SpeakerSerializer,
)
from events.models import Event, Speaker
from tests.api.test_events import SOON, _conference, _rich_event
from tests.factories import (
    EventFactory,
    ProfileFactory,
)

pytestmark = pytest.mark.django_db


# --- conferences ------------------------------------------------------------------


def test_conference_list_holds_conferences_with_their_sessions_in_time_order(client):
    EventFactory(start=SOON)
    conference = _conference(sessions=3, start=SOON)
    body = client.get("/api/v1/conferences/").json()
    assert [row["id"] for row in body["results"]] == [conference.pk]
    row = body["results"][0]
    assert set(row) == set(ConferenceSerializer().fields)
    sessions = row["sessions"]
    assert [s["id"] for s in sessions] == list(conference.sessions.order_by("start").values_list("id", flat=True))
    assert set(sessions[0]) == set(SessionSerializer().fields)
    assert sessions[0]["room"] == "Room 0"
    assert sessions[0]["track"] == "Inclusion"
    assert sessions[0]["abstract"] == "<p>A meeting of practitioners.</p>"
    assert [set(s) for s in sessions[0]["speakers"]] == [set(SpeakerSerializer().fields)] * 2
    assert sessions[0]["speakers"][1] == {"name": "Guest Speaker", "affiliation": "CMEPIUS", "profile_url": None}


def test_conference_sessions_leave_out_removed_sessions(client):
    conference = _conference(sessions=2, start=SOON)
    gone = conference.sessions.first()
    Event.objects.filter(pk=gone.pk).update(removed_at=timezone.now())
    row = client.get(f"/api/v1/conferences/{conference.pk}/").json()
    assert [s["id"] for s in row["sessions"]] == [conference.sessions.exclude(pk=gone.pk).get().pk]


def test_speaker_links_to_a_public_profile(client):
    conference = _conference(sessions=1, start=SOON)
    profile = Speaker.objects.get(profile__isnull=False).profile
    speaker = client.get(f"/api/v1/conferences/{conference.pk}/").json()["sessions"][0]["speakers"][0]
    assert speaker == {
        "name": profile.display_name,
        "affiliation": "",
        "profile_url": "http://testserver" + profile.get_absolute_url(),
    }


def test_speaker_with_members_only_profile_is_neither_named_nor_linked_for_anonymous_callers(client):
    conference = _conference(sessions=1, start=SOON)
    profile = Speaker.objects.get(profile__isnull=False).profile
    profile.visibility = "members"
    profile.save()
    url = f"/api/v1/conferences/{conference.pk}/"
    speaker = client.get(url).json()["sessions"][0]["speakers"][0]
    assert speaker == {"name": "a Praxis member", "affiliation": "", "profile_url": None}
    client.force_login(ProfileFactory().user)
    speaker = client.get(url).json()["sessions"][0]["speakers"][0]
    assert speaker["profile_url"] == "http://testserver" + profile.get_absolute_url()


def test_conference_detail_of_a_plain_event_is_404(client):
    event = EventFactory()
    response = client.get(f"/api/v1/conferences/{event.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"] == f"No conference with id {event.pk}."


# --- detail -----------------------------------------------------------------------


def test_event_detail_carries_the_list_fields_plus_occurrences_and_sessions(client):
    event = _rich_event(start=SOON)
    row = client.get(f"/api/v1/events/{event.pk}/").json()
    assert set(row) == set(EventDetailSerializer().fields)
    assert row["sessions"] == []
    assert row["occurrences"] == [
        {
            "start": row["start"],
            "end": row["end"],
            "recurrence_id": None,
            "status": "confirmed",
            "title": event.title,
        }
    ]


def test_event_detail_lists_next_occurrences_with_overrides_and_without_exdates(client):
    start = (timezone.now() + dt.timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    master = EventFactory(
        timezone="UTC",
        start=start,
        end=start + dt.timedelta(hours=1),
        rrule="FREQ=DAILY;COUNT=30",
        exdates=[(start + dt.timedelta(days=2)).isoformat()],
    )
    moved = start + dt.timedelta(days=1)
    EventFactory(
        uid=master.uid,
        series=master,
        recurrence_id=moved,
        organiser=master.organiser,
        title="Moved to the afternoon",
        timezone="UTC",
        start=moved + dt.timedelta(hours=6),
        end=moved + dt.timedelta(hours=7),
    )
    occurrences = client.get(f"/api/v1/events/{master.pk}/").json()["occurrences"]
    assert len(occurrences) == 20
    assert [dt.datetime.fromisoformat(o["start"]) for o in occurrences[:3]] == [
        start,
        moved + dt.timedelta(hours=6),
        start + dt.timedelta(days=3),
    ]
    assert occurrences[1]["title"] == "Moved to the afternoon"
    assert dt.datetime.fromisoformat(occurrences[1]["recurrence_id"]) == moved


def test_event_detail_of_a_conference_holds_its_sessions(client):
    conference = _conference(sessions=2, start=SOON)
    row = client.get(f"/api/v1/events/{conference.pk}/").json()
    assert [s["id"] for s in row["sessions"]] == list(
        conference.sessions.order_by("start").values_list("id", flat=True)
    )


def test_event_detail_of_a_session_names_its_conference(client):
    conference = _conference(sessions=1, start=SOON)
    session = conference.sessions.get()
    row = client.get(f"/api/v1/events/{session.pk}/").json()
    assert row["kind"] == "session"
    assert row["conference"] == {
        "id": conference.pk,
        "title": conference.title,
        "url": "http://testserver" + conference.get_absolute_url(),
    }


def test_event_detail_query_count_does_not_grow_with_sessions(client):
    small = _conference(sessions=1, start=SOON)
    big = _conference(sessions=10, start=SOON)
    with CaptureQueriesContext(connection) as one:
        client.get(f"/api/v1/events/{small.pk}/")
    with CaptureQueriesContext(connection) as ten:
        client.get(f"/api/v1/events/{big.pk}/")
    assert len(one) == len(ten)


@pytest.mark.parametrize("state", ["removed", "override", "missing"])
def test_event_detail_of_a_hidden_or_missing_event_is_a_404_problem(client, state):
    master = EventFactory(rrule="FREQ=DAILY;COUNT=3")
    if state == "removed":
        Event.objects.filter(pk=master.pk).update(removed_at=timezone.now())
        pk = master.pk
    elif state == "override":
        pk = EventFactory(uid=master.uid, series=master, recurrence_id=master.start, organiser=master.organiser).pk
    else:
        pk = master.pk + 1000
    response = client.get(f"/api/v1/events/{pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": f"No event with id {pk}.",
        "instance": f"/api/v1/events/{pk}/",
    }


def test_event_detail_with_a_huge_id_is_404_not_500(client):
    assert client.get("/api/v1/events/99999999999999999999999/").status_code == 404


def test_event_detail_with_a_non_numeric_id_is_a_404_problem(client):
    response = client.get("/api/v1/events/abc@google.com/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_events_are_read_only(client):
    response = client.post("/api/v1/events/", {"title": "x"}, content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Method Not Allowed"
