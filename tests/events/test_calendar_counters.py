"""A feed's 304 reads its scope's counter, not every row; every write that can change a feed moves it.

The property test in test_calendar_versions.py checks, after random writes, that what is
served equals what a fresh computation gives; these pin each write path by name, including
the bulk ones the property test does not reach, and the cost of a 304.
"""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.calendar_counters import EVENTS, organisation_scope, read
from events.federation.normalise import IncomingEvent
from events.federation.upsert import upsert_events
from events.models import Event, Origin
from events.writing import remove_event
from tests.factories import EventFactory, OrganisationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(uuid.uuid4())}
    }


def _counters(organisation):
    return read(scopes=[EVENTS, organisation_scope(organisation.pk)])


def _moved(before, after):
    return tuple(b > a for a, b in zip(before, after, strict=True))


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("url", ["/events/calendar.ics", "/organisations/{slug}/calendar.ics"])
def test_a_304_reads_a_counter_and_aggregates_nothing(client, size, url):
    organisation = OrganisationFactory()
    for _ in range(size):
        EventFactory(organiser=organisation)
    url = url.format(slug=organisation.slug)
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "COUNT(" not in sql
    assert "MAX(" not in sql
    assert len(queries.captured_queries) == (1 if url == "/events/calendar.ics" else 2)


def test_saving_an_event_moves_the_public_and_its_organisations_counters():
    organisation = OrganisationFactory()
    event = EventFactory(organiser=organisation)
    before = _counters(organisation)
    event.title = "Changed"
    event.save()
    assert _moved(before, _counters(organisation)) == (True, True)


def test_an_event_moved_to_another_organisation_moves_both_organisations_counters():
    first, second = OrganisationFactory(), OrganisationFactory()
    event = EventFactory(organiser=first)
    before = _counters(first)
    event.organiser = second
    event.save()
    assert _moved(before, _counters(first)) == (True, True)


def test_another_organisations_event_leaves_this_organisations_counter_alone():
    organisation = OrganisationFactory()
    EventFactory(organiser=organisation)
    before = _counters(organisation)
    EventFactory()
    assert _moved(before, _counters(organisation)) == (True, False)


def test_removing_deleting_and_renaming_a_theme_move_the_counters():
    organisation = OrganisationFactory()
    event = EventFactory(organiser=organisation)
    theme = ThemeFactory()
    for write in (
        lambda: event.themes.add(theme),
        lambda: setattr(theme, "name", "Renamed") or theme.save(),
        lambda: theme.delete(),
        lambda: remove_event(actor=None, event=event),
        lambda: Event.objects.get(pk=event.pk).delete(),
    ):
        before = _counters(organisation)
        write()
        assert _moved(before, _counters(organisation)) == (True, True)


def test_a_federation_bulk_import_moves_the_counters():
    organisation = OrganisationFactory()
    before = _counters(organisation)
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    incoming = [
        IncomingEvent(
            uid=f"bulk-{i}@example.org",
            recurrence_id=None,
            title=f"Imported {i}",
            description="",
            start=start,
            end=start + dt.timedelta(hours=1),
            timezone="Europe/Brussels",
            all_day=False,
        )
        for i in range(3)
    ]
    result = upsert_events(organisation=organisation, incoming=incoming, origin=Origin.FEED)
    assert result.created == 3
    assert _moved(before, _counters(organisation)) == (True, True)


def test_a_bulk_import_shows_in_the_feed_at_once(client):
    """The ETag computed before the import is not served after it."""
    organisation = OrganisationFactory()
    url = f"/organisations/{organisation.slug}/calendar.ics"
    EventFactory(organiser=organisation)
    first = client.get(url)
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    incoming = [
        IncomingEvent(
            uid="late@example.org",
            recurrence_id=None,
            title="Arrived by import",
            description="",
            start=start,
            end=start + dt.timedelta(hours=1),
            timezone="Europe/Brussels",
            all_day=False,
        )
    ]
    upsert_events(organisation=organisation, incoming=incoming, origin=Origin.FEED)
    second = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert b"SUMMARY:Arrived by import" in second.getvalue()


def test_a_version_is_computed_again_when_a_row_leaves_the_window(client, settings):
    """No write happens when time moves an event out of the window, so the counter cannot say
    it: the cached version carries the moment it stops being true."""
    from unittest import mock

    organisation = OrganisationFactory()
    now = timezone.now()
    old = EventFactory(organiser=organisation, title="Leaving")
    url = f"/organisations/{organisation.slug}/calendar.ics"
    first = client.get(url)
    assert b"SUMMARY:Leaving" in first.getvalue()
    later = old.end + dt.timedelta(days=settings.CALENDAR_PAST_DAYS, hours=1)
    with mock.patch("django.utils.timezone.now", return_value=max(later, now)):
        second = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert b"SUMMARY:Leaving" not in second.getvalue()
