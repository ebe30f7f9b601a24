"""One way in for every event: the front-end form, the Wagtail admin and the domain functions
hold the same rules, say the same things, and store the same thing."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from community.models import Role
from events.models import Event, EventFollow, Feed, Origin
from events.writing import create_event, remove_event, save_event
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    ProfileFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Workshop",
    "kind": "event",
    "timezone": "Europe/Madrid",
    "start_local": "2030-10-20T10:00",
    "end_local": "2030-10-20T12:00",
    "status": "confirmed",
    "attendance_mode": "offline",
    "city": "Valencia",
}
ADMIN_ADD = "/admin/snippets/events/event/add/"


def _editor(client, organisation):
    profile = ProfileFactory()
    MembershipFactory(organisation=organisation, user=profile.user, role=Role.EDITOR)
    client.force_login(profile.user)
    return profile.user


def _moderator(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    ProfileFactory(user=user)
    client.force_login(user)
    return user


def _admin_post(client, data):
    return client.post(ADMIN_ADD, data)


def _errors_of(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


# --- the same rules and messages on every path -------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rrule": "FREQ=SOMETIMES"}, "rrule"),
        ({"rrule": "weekly"}, "rrule"),
        ({"kind": "session"}, "parent"),
        ({"start_local": "2027-03-28T02:30", "end_local": "2027-03-28T03:30"}, "start_local"),
        ({"start_local": "9999-12-31T10:00", "end_local": "9999-12-31T12:00"}, "start_local"),
        ({"latitude": "91", "longitude": "0"}, "latitude"),
        ({"end_local": "2030-10-20T09:00"}, "end_local"),
    ],
)
def test_the_form_and_the_admin_refuse_the_same_input_with_the_same_message(client, change, field):
    organisation = OrganisationFactory()
    _editor(client, organisation)
    form_response = client.post("/events/new/", {**FORM, "organiser": organisation.pk, **change})
    assert form_response.status_code == 400
    _moderator(client)
    admin_response = _admin_post(client, {**FORM, "organiser": organisation.pk, **change})
    assert admin_response.status_code == 200  # Wagtail re-renders the form with its errors
    assert _errors_of(form_response)[field] == _errors_of(admin_response)[field]
    assert Event.objects.count() == 0


def test_the_admin_takes_local_times_in_the_events_zone(client):
    organisation = OrganisationFactory()
    _moderator(client)
    response = _admin_post(client, {**FORM, "organiser": organisation.pk})
    assert response.status_code == 302, _errors_of(response)
    event = Event.objects.get()
    assert event.start == dt.datetime(2030, 10, 20, 8, 0, tzinfo=dt.UTC)
    assert event.end == dt.datetime(2030, 10, 20, 10, 0, tzinfo=dt.UTC)


def test_the_admin_stores_a_local_until_with_a_true_series_end(client):
    organisation = OrganisationFactory()
    _moderator(client)
    data = {**FORM, "organiser": organisation.pk, "start_local": "2027-01-05T10:00", "end_local": "2027-01-05T11:00"}
    response = _admin_post(client, {**data, "rrule": "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231"})
    assert response.status_code == 302, _errors_of(response)
    event = Event.objects.get()
    assert event.rrule == "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231T225959Z"
    assert event.series_end == dt.datetime(2027, 12, 7, 10, 0, tzinfo=dt.UTC)  # 11:00 CET on the last Tuesday


def test_the_admin_delete_removes_a_conference_with_its_sessions_and_keeps_the_rows(client):
    session = SessionFactory()
    conference = session.parent
    _moderator(client)
    response = client.post(f"/admin/snippets/events/event/delete/{conference.pk}/")
    assert response.status_code == 302
    assert Event.objects.filter(removed_at__isnull=False).count() == 2
    assert client.get(f"/events/{session.pk}/").status_code == 404


# --- sanitise on write ------------------------------------------------------------------


def test_html_is_sanitised_when_written_and_a_plain_text_copy_is_kept(client):
    organisation = OrganisationFactory()
    _editor(client, organisation)
    description = '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">there</a></p>'
    response = client.post("/events/new/", {**FORM, "organiser": organisation.pk, "description": description})
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.description == "<p>Hi there</p>"
    assert event.description_text == "Hi there"
    api = client.get(f"/api/v1/events/{event.pk}/").json()
    assert api["description"] == "<p>Hi there</p>"


def test_control_characters_never_reach_a_stored_title():
    event = EventFactory(title="Vertical\x0btab and\x07bell")
    event.refresh_from_db()
    assert event.title == "Verticaltab andbell"


# --- SEQUENCE ------------------------------------------------------------------------------


def test_plain_saves_leave_sequence_alone():
    event = EventFactory()
    event.save()
    Event.objects.get(pk=event.pk).save()
    event.refresh_from_db()
    assert event.sequence == 0


def test_sequence_rises_once_per_visible_change_and_not_for_invisible_ones():
    event = EventFactory()
    event = Event.objects.get(pk=event.pk)
    event.title = "New title"
    event.save()
    assert event.sequence == 1
    event.track = "Track B"  # not shown by calendar clients
    event.save()
    event.refresh_from_db()
    assert event.sequence == 1


def test_two_writers_at_once_both_count():
    event = EventFactory()
    first, second = Event.objects.get(pk=event.pk), Event.objects.get(pk=event.pk)
    first.title = "One"
    first.save()
    second.venue = "Two"
    second.save()
    event.refresh_from_db()
    assert event.sequence == 2


# --- identity ----------------------------------------------------------------------------


def test_two_organisations_may_publish_the_same_uid_but_one_organisation_only_once():
    first, second = OrganisationFactory(), OrganisationFactory()
    fields = {
        "uid": "abc123@google.com",
        "origin": Origin.API,
        "title": "Shared UID",
        "start": dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC),
        "end": dt.datetime(2030, 1, 1, 10, tzinfo=dt.UTC),
        "timezone": "UTC",
    }
    create_event(actor=None, organiser=first, **fields)
    create_event(actor=None, organiser=second, **fields)
    with pytest.raises(ValidationError):
        create_event(actor=None, organiser=first, **fields)
    assert Event.objects.filter(uid="abc123@google.com").count() == 2


def test_events_of_a_deleted_feed_stay_with_their_organisation_as_its_own():
    event = EventFactory(origin=Origin.FEED)
    feed = Feed.objects.create(organisation=event.organiser, name="Partner", url="https://partner.example/cal.ics")
    Event.objects.filter(pk=event.pk).update(feed=feed)
    feed.delete()
    event.refresh_from_db()
    assert (event.origin, event.feed_id) == (Origin.LOCAL, None)


# --- permissions ---------------------------------------------------------------------------


def test_an_editor_cannot_put_a_session_into_another_organisations_conference(client):
    mine = OrganisationFactory()
    theirs = EventFactory(kind="conference")
    _editor(client, mine)
    page = client.get("/events/new/")
    assert theirs.title not in page.content.decode()  # not even offered
    response = client.post("/events/new/", {**FORM, "organiser": mine.pk, "kind": "session", "parent": theirs.pk})
    assert response.status_code == 400
    assert list(_errors_of(response)) == ["parent"]
    assert not Event.objects.filter(parent=theirs).exists()


def test_the_domain_function_refuses_a_session_in_a_conference_the_actor_may_not_edit():
    mine = OrganisationFactory()
    user = ProfileFactory().user
    MembershipFactory(organisation=mine, user=user, role=Role.EDITOR)
    theirs = EventFactory(kind="conference")
    session = Event(
        organiser=mine,
        kind="session",
        parent=theirs,
        title="Sneaky",
        start=theirs.start,
        end=theirs.end,
        timezone="UTC",
    )
    with pytest.raises(ValidationError):
        save_event(actor=user, event=session)
    with pytest.raises(PermissionDenied):
        save_event(actor=user, event=Event(organiser=theirs.organiser, title="x", start=theirs.start, end=theirs.end))


# --- removal -------------------------------------------------------------------------------


def test_sessions_of_a_removed_conference_are_removed_everywhere(client):
    session = SessionFactory(title="Orphan session")
    remove_event(actor=None, event=session.parent)
    assert client.get(f"/events/{session.pk}/").status_code == 404
    assert client.get(f"/api/v1/events/{session.pk}/").status_code == 404
    assert b"Orphan session" not in client.get("/events/calendar.ics").getvalue()
    assert b"Orphan session" not in client.get(f"/organisations/{session.organiser.slug}/calendar.ics").getvalue()


# --- following -----------------------------------------------------------------------------


def test_a_double_submitted_follow_answers_as_the_first_did(client):
    event = EventFactory()
    user = ProfileFactory().user
    client.force_login(user)
    url = f"/follow/event/{event.pk}/"
    first = client.post(url, {"action": "follow"})
    second = client.post(url, {"action": "follow"})
    assert (first.status_code, second.status_code) == (302, 302)
    assert EventFollow.objects.filter(user=user, event=event).count() == 1


def test_following_a_removed_event_is_a_404_that_names_nothing(client):
    event = EventFactory(title="Secret removed title")
    remove_event(actor=None, event=event)
    client.force_login(ProfileFactory().user)
    response = client.post(f"/follow/event/{event.pk}/", {"action": "follow"})
    assert response.status_code == 404
    assert b"Secret removed title" not in response.content


@pytest.mark.django_db(transaction=True)
def test_two_follow_requests_at_the_same_moment_make_one_follow():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs two real connections (PostgreSQL run)")
    from events.following import follow

    event = EventFactory()
    user = ProfileFactory().user
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            follow(user=user, target=event)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert EventFollow.objects.filter(user=user, event=event).count() == 1


# --- visibility ----------------------------------------------------------------------------


def test_a_members_only_speaker_is_neither_named_nor_linked_for_visitors(client):
    session = SessionFactory()
    profile = ProfileFactory(display_name="Private Person", visibility="members")
    session.speakers.create(profile=profile)
    for url in (f"/events/{session.pk}/", f"/events/{session.parent.pk}/"):
        page = client.get(url).content.decode()
        assert "Private Person" not in page
        assert profile.get_absolute_url() not in page
    client.force_login(ProfileFactory().user)
    assert "Private Person" in client.get(f"/events/{session.pk}/").content.decode()


def test_bulk_writers_get_the_same_stored_form_as_save():
    from events.writing import prepare_for_bulk

    organisation = OrganisationFactory()
    start = dt.datetime(2027, 1, 5, 9, 0, 0, 123456, tzinfo=dt.UTC)
    row = Event(
        organiser=organisation,
        title="Bulk\x0b row",
        description="<p>ok<script>x</script></p>",
        start=start,
        end=start + dt.timedelta(hours=1),
        timezone="Europe/Madrid",
        rrule="FREQ=WEEKLY;UNTIL=20270126",
    )
    (prepared,) = prepare_for_bulk([row])
    Event.objects.bulk_create([prepared])
    stored = Event.objects.get()
    assert (stored.title, stored.description, stored.description_text) == ("Bulk row", "<p>ok</p>", "ok")
    assert stored.start.microsecond == 0
    assert stored.series_end == dt.datetime(2027, 1, 26, 10, 0, tzinfo=dt.UTC)
