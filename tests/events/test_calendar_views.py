"""The calendar feed URLs: what each holds, HTTP caching, errors, and what must never leak."""

import datetime as dt
import gzip
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from community.members import rotate_calendar_token
from events.models import Event, EventFollow, OrganisationFollow, ThemeFollow
from tests.factories import EventFactory, OrganisationFactory, ProfileFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """A fresh local cache per test: rendered feeds never leak between tests, and a shared
    Redis (the PostgreSQL + Redis run) is never flushed under someone else's feet."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(uuid.uuid4())}
    }


def titles(response) -> list[str]:
    return sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(response.getvalue()).walk("VEVENT"))


class _Read:
    """A response whose body was read inside the query count (a feed streams its body: the
    queries that write it run as it is read)."""

    def __init__(self, response):
        self.response, self.body = response, response.getvalue()

    def __getattr__(self, name):
        return getattr(self.response, name)

    def __getitem__(self, header):
        return self.response[header]

    def getvalue(self):
        return self.body


def count_queries(client, url, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = _Read(client.get(url, headers=headers))
    return len(ctx.captured_queries), response


def feed_urls(profile, organisation, event) -> list[str]:
    return [
        "/events/calendar.ics",
        f"/events/{event.pk}.ics",
        f"/organisations/{organisation.slug}/calendar.ics",
        f"/calendar/{profile.calendar_token}.ics",
    ]


@pytest.fixture
def three_feeds():
    organisation = OrganisationFactory()
    event = EventFactory(organiser=organisation, title="Shared")
    profile = ProfileFactory()
    EventFollow.objects.create(user=profile.user, event=event)
    return feed_urls(profile, organisation, event)


def test_every_feed_is_text_calendar_inline_with_a_filename(client, three_feeds):
    for url in three_feeds:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"].startswith('inline; filename="')
        assert response["Content-Disposition"].endswith('.ics"')
        assert titles(response) == ["Shared"]


def test_public_feeds_are_publicly_cacheable_and_the_personal_one_is_private(client, three_feeds):
    controls = [client.get(url)["Cache-Control"] for url in three_feeds]
    assert controls == ["public, max-age=900"] * 3 + ["private, max-age=900"]


def test_feeds_answer_only_get_and_head(client, three_feeds):
    for url in three_feeds:
        assert client.post(url).status_code == 405
        head = client.head(url)
        assert head.status_code == 200
        assert head.getvalue() == b""


def test_conditional_get_with_the_etag_is_a_304_in_at_most_two_queries(client, three_feeds):
    for url in three_feeds:
        etag = client.get(url)["ETag"]
        queries, response = count_queries(client, url, if_none_match=etag)
        assert response.status_code == 304, url
        assert queries <= 2, url
        assert response["ETag"] == etag
        assert response.getvalue() == b""


def test_the_weak_etag_of_a_gzipped_response_still_gets_a_304(client, three_feeds):
    for url in three_feeds:
        zipped = client.get(url, headers={"accept-encoding": "gzip"})
        assert zipped["Content-Encoding"] == "gzip"
        assert zipped["ETag"].startswith('W/"')
        again = client.get(url, headers={"accept-encoding": "gzip", "if-none-match": zipped["ETag"]})
        assert again.status_code == 304


def test_gzip_is_used_when_accepted_and_decompresses_to_the_plain_body(client):
    EventFactory.create_batch(3)
    plain = client.get("/events/calendar.ics")
    zipped = client.get("/events/calendar.ics", headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.getvalue()) == plain.getvalue()


def test_if_modified_since_the_last_change_is_a_304(client):
    EventFactory()
    last_modified = client.get("/events/calendar.ics")["Last-Modified"]
    assert client.get("/events/calendar.ics", headers={"if-modified-since": last_modified}).status_code == 304


def test_the_etag_changes_when_an_event_changes_is_deleted_or_gains_a_theme(client):
    event = EventFactory()
    other = EventFactory()
    etags = [client.get("/events/calendar.ics")["ETag"]]
    event.title = "Renamed"
    event.save()
    etags.append(client.get("/events/calendar.ics")["ETag"])
    other.delete()  # max(updated) does not move: the row count does
    etags.append(client.get("/events/calendar.ics")["ETag"])
    event.themes.add(ThemeFactory())
    etags.append(client.get("/events/calendar.ics")["ETag"])
    assert len(set(etags)) == 4
    stale = client.get("/events/calendar.ics", headers={"if-none-match": etags[0]})
    assert stale.status_code == 200
    assert titles(stale) == ["Renamed"]


def test_the_etag_changes_when_an_override_moves_an_occurrence(client):
    master = EventFactory(rrule="FREQ=DAILY;COUNT=3")
    override = EventFactory(uid=master.uid, series=master, recurrence_id=master.start, organiser=master.organiser)
    before = client.get("/events/calendar.ics")["ETag"]
    override.start += dt.timedelta(hours=1)
    override.end += dt.timedelta(hours=1)
    override.save()
    assert client.get("/events/calendar.ics")["ETag"] != before


def test_a_second_cold_request_is_served_from_the_cache_without_rendering(client):
    EventFactory.create_batch(3)
    first = client.get("/events/calendar.ics").getvalue()  # the body is kept once it has been sent
    queries, second = count_queries(client, "/events/calendar.ics")
    assert queries == 1  # the counter; no event rows were read
    assert second.getvalue() == first


def test_the_body_does_not_depend_on_the_visitors_language(client):
    EventFactory(country="SI")
    english = client.get("/events/calendar.ics", headers={"accept-language": "en"}).getvalue()
    cache.clear()
    spanish = client.get("/events/calendar.ics", headers={"accept-language": "es"}).getvalue()
    assert spanish == english


@pytest.mark.parametrize("url", ["/events/calendar.ics", "/organisations/{slug}/calendar.ics", "/calendar/{token}.ics"])
def test_feed_query_count_is_the_same_at_1_and_at_50_events(client, url):
    organisation = OrganisationFactory()
    profile = ProfileFactory()
    OrganisationFollow.objects.create(user=profile.user, organisation=organisation)
    theme = ThemeFactory()
    url = url.format(slug=organisation.slug, token=profile.calendar_token)

    def add(n):
        for _ in range(n):
            master = EventFactory(organiser=organisation, rrule="FREQ=WEEKLY;COUNT=4")
            master.themes.add(theme)
            EventFactory(uid=master.uid, series=master, recurrence_id=master.start, organiser=organisation)

    add(1)
    small, response = count_queries(client, url)
    assert len(Calendar.from_ical(response.getvalue()).walk("VEVENT")) == 2
    cache.clear()
    add(49)
    large, response = count_queries(client, url)
    assert len(Calendar.from_ical(response.getvalue()).walk("VEVENT")) == 100
    assert small == large


@pytest.mark.parametrize(
    ("query", "param"),
    [("theme=nope", "theme"), ("organiser=ghost", "organiser"), ("country=XX", "country"), ("start=soon", "start")],
)
def test_unknown_filter_values_are_a_400_naming_the_parameter(client, query, param):
    response = client.get(f"/events/calendar.ics?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.getvalue().decode().startswith(f"{param}: ")


def test_public_feed_filters_by_theme_and_organiser(client):
    theme = ThemeFactory(slug="inclusion")
    organisation = OrganisationFactory(slug="cipfp")
    EventFactory(title="Themed").themes.add(theme)
    EventFactory(title="Theirs", organiser=organisation)
    EventFactory(title="Neither")
    assert titles(client.get("/events/calendar.ics?theme=inclusion")) == ["Themed"]
    assert titles(client.get("/events/calendar.ics?organiser=cipfp")) == ["Theirs"]
    assert titles(client.get("/events/calendar.ics")) == ["Neither", "Theirs", "Themed"]


def test_public_feed_keeps_recent_past_and_all_future_and_series_still_running(client, settings):
    settings.CALENDAR_PAST_DAYS = 30
    now = timezone.now()
    EventFactory(title="Last week", start=now - dt.timedelta(days=7), end=now - dt.timedelta(days=7, hours=-1))
    EventFactory(title="Long ago", start=now - dt.timedelta(days=60), end=now - dt.timedelta(days=60, hours=-1))
    EventFactory(title="Next year", start=now + dt.timedelta(days=365), end=now + dt.timedelta(days=365, hours=1))
    old = now - dt.timedelta(days=200)
    EventFactory(title="Weekly, still on", start=old, end=old + dt.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=40")
    EventFactory(title="Weekly, over", start=old, end=old + dt.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=5")
    EventFactory(title="Forever", start=old, end=old + dt.timedelta(hours=1), rrule="FREQ=MONTHLY")
    assert titles(client.get("/events/calendar.ics")) == ["Forever", "Last week", "Next year", "Weekly, still on"]


def test_cancelled_event_stays_in_every_feed_as_cancelled(client):
    organisation = OrganisationFactory()
    event = EventFactory(organiser=organisation, status="cancelled")
    profile = ProfileFactory()
    EventFollow.objects.create(user=profile.user, event=event)
    for url in feed_urls(profile, organisation, event):
        (vevent,) = Calendar.from_ical(client.get(url).getvalue()).walk("VEVENT")
        assert vevent["STATUS"] == "CANCELLED", url


def test_removed_events_never_appear_in_any_feed(client):
    organisation = OrganisationFactory()
    theme = ThemeFactory()
    profile = ProfileFactory()
    OrganisationFollow.objects.create(user=profile.user, organisation=organisation)
    ThemeFollow.objects.create(user=profile.user, theme=theme)
    kept = EventFactory(organiser=organisation, title="Kept")
    removed = EventFactory(organiser=organisation, title="Removed", removed_at=timezone.now())
    removed.themes.add(theme)
    EventFollow.objects.create(user=profile.user, event=removed)
    for url in feed_urls(profile, organisation, kept):
        body = client.get(url).getvalue()
        assert titles(client.get(url)) == ["Kept"], url
        assert b"Removed" not in body
    assert client.get(f"/events/{removed.pk}.ics").status_code == 404


def test_single_event_feed_has_its_overrides_and_a_conference_has_its_sessions(client):
    conference = EventFactory(kind="conference", title="Conference")
    EventFactory(kind="session", parent=conference, title="Keynote")
    EventFactory(kind="session", parent=conference, title="Workshop")
    EventFactory(title="Unrelated")
    series = EventFactory(title="Weekly", rrule="FREQ=WEEKLY;COUNT=3")
    EventFactory(uid=series.uid, series=series, recurrence_id=series.start, organiser=series.organiser, title="Moved")
    assert titles(client.get(f"/events/{conference.pk}.ics")) == ["Conference", "Keynote", "Workshop"]
    assert titles(client.get(f"/events/{series.pk}.ics")) == ["Moved", "Weekly"]
    assert client.get("/events/999999.ics").status_code == 404


def test_unknown_organisation_feed_is_a_404(client):
    assert client.get("/organisations/nobody/calendar.ics").status_code == 404


def test_personal_feed_holds_what_the_member_follows_and_nothing_else(client):
    profile = ProfileFactory()
    user = profile.user
    conference = EventFactory(kind="conference", title="Followed conference")
    EventFactory(kind="session", parent=conference, title="Its session")
    EventFollow.objects.create(user=user, event=conference)
    EventFollow.objects.create(user=user, event=EventFactory(title="Followed event"))
    organisation = OrganisationFactory()
    OrganisationFollow.objects.create(user=user, organisation=organisation)
    EventFactory(organiser=organisation, title="From a followed organisation")
    theme = ThemeFactory()
    ThemeFollow.objects.create(user=user, theme=theme)
    EventFactory(title="On a followed theme").themes.add(theme, ThemeFactory())
    EventFactory(title="Not followed")
    EventFollow.objects.create(user=ProfileFactory().user, event=EventFactory(title="Someone else's"))
    assert titles(client.get(f"/calendar/{profile.calendar_token}.ics")) == [
        "Followed conference",
        "Followed event",
        "From a followed organisation",
        "Its session",
        "On a followed theme",
    ]


def test_rotating_the_personal_token_kills_the_old_url(client):
    profile = ProfileFactory()
    old = profile.calendar_token
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    new = rotate_calendar_token(profile=profile)
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


@pytest.mark.parametrize("mangle", [str.upper, lambda t: t[:-1], lambda t: t + "x", lambda t: ""])
def test_personal_feed_needs_the_exact_token(client, mangle):
    profile = ProfileFactory(calendar_token="AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde")
    assert client.get(f"/calendar/{profile.calendar_token}.ics").status_code == 200
    assert client.get(f"/calendar/{mangle(profile.calendar_token)}.ics").status_code == 404


def test_personal_feed_of_a_deactivated_member_is_a_404(client):
    profile = ProfileFactory()
    profile.user.is_active = False
    profile.user.save()
    assert client.get(f"/calendar/{profile.calendar_token}.ics").status_code == 404


def test_personal_feed_is_not_indexed(client):
    profile = ProfileFactory()
    assert client.get(f"/calendar/{profile.calendar_token}.ics")["X-Robots-Tag"] == "noindex, nofollow"


def test_feed_names_the_calendar_and_points_at_its_page(client, settings):
    settings.SITE_URL = "https://praxis.example"
    organisation = OrganisationFactory(name="CIPFP Catarroja", slug="cipfp")
    EventFactory(organiser=organisation)
    cal = Calendar.from_ical(client.get("/organisations/cipfp/calendar.ics").getvalue())
    assert str(cal["X-WR-CALNAME"]) == "CIPFP Catarroja on Praxis"
    assert str(cal["URL"]) == "https://praxis.example/organisations/cipfp/"
    assert str(cal["SOURCE"]) == "https://praxis.example/organisations/cipfp/calendar.ics"


def test_renaming_the_organisation_changes_its_feeds_etag(client):
    organisation = OrganisationFactory()
    url = f"/organisations/{organisation.slug}/calendar.ics"
    before = client.get(url)["ETag"]
    organisation.name = "New name"
    organisation.save()
    assert client.get(url)["ETag"] != before


def test_only_masters_are_listed_even_if_an_override_matches_a_filter(client):
    theme = ThemeFactory(slug="t")
    master = EventFactory(title="Series", rrule="FREQ=DAILY;COUNT=2")
    override = EventFactory(uid=master.uid, series=master, recurrence_id=master.start, organiser=master.organiser)
    override.themes.add(theme)
    assert titles(client.get("/events/calendar.ics?theme=t")) == []
    assert Event.objects.count() == 2


def test_filtered_feed_answers_a_conditional_request_in_two_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EventFactory, LanguageFactory, SectorFactory, ThemeFactory

    theme, sector, language = ThemeFactory(slug="t1"), SectorFactory(slug="s1"), LanguageFactory(code="sl")
    event = EventFactory(language=language)
    event.themes.add(theme)
    event.sectors.add(sector)
    url = f"/events/calendar.ics?organiser={event.organiser.slug}&theme=t1&sector=s1&language=sl&country=ES"
    first = client.get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert len(ctx.captured_queries) <= 2
