import datetime as dt
import json
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Role
from events.models import Event, EventFollow
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    ProfileFactory,
    SessionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_event_list_groups_upcoming_events_by_day(client):
    now = timezone.now()
    EventFactory(title="Later", start=now + dt.timedelta(days=3), end=now + dt.timedelta(days=3, hours=1))
    EventFactory(title="Sooner", start=now + dt.timedelta(days=1), end=now + dt.timedelta(days=1, hours=1))
    EventFactory(title="Past", start=now - dt.timedelta(days=10), end=now - dt.timedelta(days=10, hours=-1))
    days = client.get("/events/").context["days"]
    assert [[card.title for card in day.cards] for day in days] == [["Sooner"], ["Later"]]


def test_recurring_event_shows_each_occurrence_in_the_month_view(client):
    start = dt.datetime(2030, 5, 6, 10, tzinfo=dt.UTC)
    EventFactory(title="Weekly", start=start, end=start + dt.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=3")
    weeks = client.get("/events/?view=month&month=2030-05").context["weeks"]
    assert sum(len(d["occurrences"]) for week in weeks for d in week) == 3


def test_an_unbounded_series_from_a_feed_does_not_crowd_out_the_rest_of_the_list(client):
    start = timezone.now() + dt.timedelta(hours=1)
    EventFactory(title="Hourly forever", start=start, end=start + dt.timedelta(minutes=30), rrule="FREQ=HOURLY")
    for day in range(1, 6):
        later = start + dt.timedelta(hours=day * 10, minutes=1)
        EventFactory(title=f"Later {day}", start=later, end=later + dt.timedelta(hours=1))
    response = client.get("/events/")
    titles = [card.title for day in response.context["days"] for card in day.cards]
    assert titles == ["Hourly forever", "Later 1", "Later 2", "Later 3", "Later 4", "Later 5"]
    assert response.context["more_query"]


def test_event_list_filters_by_theme(client):
    theme = ThemeFactory(slug="inclusion")
    EventFactory(title="Match").themes.add(theme)
    EventFactory(title="Other")
    days = client.get("/events/?theme=inclusion").context["days"]
    assert [card.title for day in days for card in day.cards] == ["Match"]


@pytest.mark.parametrize("query", ["theme=nope", "country=XX", "start=garbage", "organiser=ghost", "mode=teleport"])
def test_event_list_with_unknown_filter_answers_400_naming_it(client, query):
    response = client.get(f"/events/?{query}")
    assert response.status_code == 400
    assert list(response.context["filter_errors"]) == [query.split("=")[0]]


def test_month_view_places_events_on_their_day(client):
    start = dt.datetime(2030, 3, 14, 10, tzinfo=dt.UTC)
    EventFactory(title="Pi day", start=start, end=start + dt.timedelta(hours=1))
    weeks = client.get("/events/?view=month&month=2030-03").context["weeks"]
    cells = {d["date"]: [o.title for o in d["occurrences"]] for w in weeks for d in w}
    assert cells[dt.date(2030, 3, 14)] == ["Pi day"]
    assert cells[dt.date(2030, 3, 13)] == []


def test_month_view_marks_today_in_the_calendars_zone_and_no_other_day(client, settings):
    settings.CALENDAR_TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: often already tomorrow
    today = timezone.now().astimezone(zoneinfo.ZoneInfo("Pacific/Kiritimati")).date()

    response = client.get(f"/events/?view=month&month={today:%Y-%m}")
    other_month = client.get(f"/events/?view=month&month={today.year + 1}-{today.month:02d}")

    marked = [d["date"] for w in response.context["weeks"] for d in w if d["today"]]
    assert marked == [today]
    assert response.content.decode().count('aria-current="date"') == 1
    assert not [d for w in other_month.context["weeks"] for d in w if d["today"]]


def test_archive_lists_past_events(client):
    past = timezone.now() - dt.timedelta(days=30)
    EventFactory(title="Old", start=past, end=past + dt.timedelta(hours=1))
    EventFactory(title="Future")
    assert [e.title for e in client.get("/events/?archive=1").context["past_events"]] == ["Old"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/events/", "/events/?view=month", "/events/?archive=1"])
def test_event_list_query_count_is_the_same_at_1_and_at_50_events(client, url):
    theme = ThemeFactory()
    now = timezone.now()
    when = now - dt.timedelta(days=3) if "archive" in url else now + dt.timedelta(hours=2)

    def make():
        EventFactory(start=when, end=when + dt.timedelta(hours=1), rrule="FREQ=DAILY;COUNT=2").themes.add(theme)

    make()
    at_one = _queries(client, url)
    for _ in range(49):
        make()
    assert _queries(client, url) == at_one


def test_event_page_has_json_ld_with_status_and_attendance_mode(client):
    event = EventFactory(status="cancelled", attendance_mode="mixed", online_url="https://meet.example.org/x")
    html = client.get(f"/events/{event.pk}/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [loc["@type"] for loc in data["location"]] == ["Place", "VirtualLocation"]
    assert data["organizer"]["name"] == event.organiser.name


def test_event_page_title_cannot_break_out_of_json_ld(client):
    event = EventFactory(title="</script><script>alert(1)</script>")
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert "<script>alert(1)" not in html


def test_event_page_offers_calendar_links(client):
    event = EventFactory()
    links = client.get(f"/events/{event.pk}/").context["links"]
    assert links["ics"] == f"/events/{event.pk}.ics"
    assert links["google"].startswith("https://calendar.google.com/calendar/render?")
    assert links["outlook"].startswith("https://outlook.live.com/calendar/")
    assert links["organiser_webcal"].startswith("webcal://testserver/organisations/")


def test_conference_page_shows_programme_by_day(client):
    conf = EventFactory(kind="conference", title="Conf")
    day1 = conf.start
    SessionFactory(parent=conf, title="B", room="R2")
    SessionFactory(parent=conf, title="A", room="R1")
    SessionFactory(parent=conf, title="C", start=day1 + dt.timedelta(days=1))
    programme = client.get(f"/events/{conf.pk}/").context["programme"]
    assert [[s.title for s in sessions] for _, sessions in programme] == [["A", "B"], ["C"]]


def _editor(client, org):
    profile = ProfileFactory()
    MembershipFactory(organisation=org, user=profile.user, role=Role.EDITOR)
    client.force_login(profile.user)
    return profile


FORM = {
    "kind": "event",
    "title": "Workshop",
    "description": "<p>Hello</p>",
    "timezone": "Europe/Madrid",
    "start_local": "2030-10-20T10:00",
    "end_local": "2030-10-20T12:00",
    "status": "confirmed",
    "attendance_mode": "offline",
    "city": "Valencia",
}


def test_editor_creates_an_event_in_its_own_zone(client):
    org = OrganisationFactory()
    _editor(client, org)
    response = client.post("/events/new/", {**FORM, "organiser": org.pk})
    assert response.status_code == 302
    event = Event.objects.get(title="Workshop")
    assert event.start == dt.datetime(2030, 10, 20, 8, 0, tzinfo=dt.UTC)
    assert event.timezone == "Europe/Madrid"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_local": "2030-10-20T09:00"}, "end_local"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"rrule": "FREQ=SOMETIMES"}, "rrule"),
        ({"rrule": "FREQ=DAILY"}, "rrule"),
        ({"rrule": "FREQ=DAILY;COUNT=100000"}, "rrule"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=3"}, "rrule"),  # 2030-10-20 is a Sunday
        ({"description": "x" * 20_001}, "description"),
    ],
)
def test_event_form_refuses_bad_input_naming_the_field_and_keeping_input(client, change, field):
    org = OrganisationFactory()
    _editor(client, org)
    response = client.post("/events/new/", {**FORM, "organiser": org.pk, **change})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert 'value="Workshop"' in response.content.decode()
    assert Event.objects.count() == 0


def test_member_without_editor_role_cannot_create_events(client):
    org = OrganisationFactory()
    member = ProfileFactory()
    MembershipFactory(organisation=org, user=member.user, role=Role.MEMBER)
    client.force_login(member.user)
    assert client.post("/events/new/", {**FORM, "organiser": org.pk}).status_code == 403


def test_editor_cannot_edit_another_organisations_event(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    _editor(client, mine)
    event = EventFactory(organiser=theirs)
    assert client.post(f"/events/{event.pk}/edit/", {**FORM, "organiser": theirs.pk}).status_code == 403


def test_event_form_accepts_a_bounded_rule_matching_the_start(client):
    org = OrganisationFactory()
    _editor(client, org)
    response = client.post("/events/new/", {**FORM, "organiser": org.pk, "rrule": "FREQ=WEEKLY;BYDAY=SU;COUNT=3"})
    assert response.status_code == 302
    assert Event.objects.get().rrule == "FREQ=WEEKLY;BYDAY=SU;COUNT=3"


def test_editing_an_event_raises_its_sequence(client):
    org = OrganisationFactory()
    _editor(client, org)
    event = EventFactory(organiser=org)
    before = event.sequence
    response = client.post(f"/events/{event.pk}/edit/", {**FORM, "organiser": org.pk, "title": "Renamed"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("Renamed", before + 1)


def test_following_an_event_toggles(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    event = EventFactory()
    client.post(f"/follow/event/{event.pk}/")
    assert EventFollow.objects.filter(user=profile.user, event=event).count() == 1
    client.post(f"/follow/event/{event.pk}/")
    assert EventFollow.objects.filter(user=profile.user, event=event).count() == 0


def test_follow_with_bad_kind_or_key_is_404(client):
    client.force_login(ProfileFactory().user)
    assert client.post("/follow/planet/1/").status_code == 404
    assert client.post("/follow/event/abc/").status_code == 404


def test_times_are_shown_in_the_events_own_zone(client, settings):
    settings.TIME_ZONE = "UTC"
    start = dt.datetime(2030, 9, 24, 7, 0, tzinfo=dt.UTC)  # 09:00 in Madrid (summer time)
    conf = EventFactory(kind="conference", timezone="Europe/Madrid", start=start, end=start + dt.timedelta(hours=5))
    EventFactory(
        kind="session",
        parent=conf,
        organiser=conf.organiser,
        title="Opening",
        timezone="Europe/Madrid",
        start=start,
        end=start + dt.timedelta(minutes=30),
    )
    text = re.sub(r"<[^>]+>", "", client.get(f"/events/{conf.pk}/").content.decode())
    assert "09:00–09:30" in text
    assert "Tuesday, 24 September 2030, 09:00 – 14:00 (Europe/Madrid)" in " ".join(text.split())


def test_adding_a_theme_marks_the_event_updated():
    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(updated=timezone.now() - dt.timedelta(days=1))
    before = Event.objects.get(pk=event.pk).updated
    event.themes.add(ThemeFactory())
    assert Event.objects.get(pk=event.pk).updated > before


def test_the_event_page_says_your_time_once(client):
    event = EventFactory()
    html = client.get(event.get_absolute_url()).content.decode()
    your_time = re.search(r"Your time:\s*<time[^>]*>", html)
    assert your_time is not None
    assert "data-local-nosuffix" in your_time.group(0)  # praxis.js would add "(your time)" again
