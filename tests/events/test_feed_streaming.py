"""A feed is streamed from stored VEVENT blocks, and its compressed body is kept only up to a bound.

The stored blocks must give the very bytes the one-shot writer gives (the interop tests hold
that writer to three parsers), whatever the chunking; a block is rendered once and then read.
"""

import gzip
import uuid
from unittest import mock

import pytest
from django.core.cache import cache
from django.http import StreamingHttpResponse

from events.calendars import organisation_calendar_scope
from events.ical import blocks
from events.ical.export import event_queryset_for_feed, render_calendar
from events.models import Event, VeventBlock
from tests.factories import EventFactory, OrganisationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(uuid.uuid4())}
    }


@pytest.fixture
def organisation():
    organisation = OrganisationFactory()
    theme = ThemeFactory(name="Inclusión")
    for i in range(7):
        event = EventFactory(
            organiser=organisation,
            title=f"Séance {i} " + "ü" * 80,
            timezone=["Europe/Madrid", "America/New_York", "UTC"][i % 3],
            rrule="FREQ=WEEKLY;COUNT=4" if i % 3 == 0 else "",
        )
        event.themes.add(theme)
    master = Event.objects.filter(organiser=organisation, rrule__gt="").first()
    EventFactory(uid=master.uid, series=master, recurrence_id=master.start, organiser=organisation, title="Moved")
    return organisation


def _one_shot(organisation, source):
    rows = event_queryset_for_feed(organisation_calendar_scope(organisation).events().order_by("start", "id"))
    return render_calendar(
        rows,
        name=f"{organisation.name} on Praxis",
        description=f"Events published by {organisation.name}.",
        url=f"http://testserver/organisations/{organisation.slug}/",
        source=source,
    )


def test_a_feed_streams_the_same_bytes_as_the_one_shot_writer_in_small_chunks(client, organisation, settings):
    settings.SITE_URL = "http://testserver"
    url = f"/organisations/{organisation.slug}/calendar.ics"
    with mock.patch.object(blocks, "CHUNK", 2), mock.patch.object(blocks, "FLUSH_CHARS", 10):
        response = client.get(url)
        assert isinstance(response, StreamingHttpResponse)
        chunks = list(response.streaming_content)
    assert len(chunks) > 3
    assert b"".join(chunks) == _one_shot(organisation, f"http://testserver{url}")


def test_blocks_are_rendered_once_and_read_after_that(client, organisation):
    url = f"/organisations/{organisation.slug}/calendar.ics"
    first = client.get(url).getvalue()
    assert VeventBlock.objects.filter(event__organiser=organisation).count() == 7
    cache.clear()
    with mock.patch.object(blocks, "render_blocks", side_effect=AssertionError("rendered again")):
        assert client.get(url).getvalue() == first


def test_a_body_over_the_bound_is_not_kept_and_is_streamed_again(client, organisation, settings):
    settings.CALENDAR_BODY_CACHE_MAX_BYTES = 200
    url = f"/organisations/{organisation.slug}/calendar.ics"
    first = client.get(url, headers={"accept-encoding": "gzip"})
    body = gzip.decompress(first.getvalue())
    assert [key for key in cache._cache if "ical:" in key] == []
    again = client.get(url)
    assert isinstance(again, StreamingHttpResponse)
    assert again.getvalue() == body


def test_a_kept_body_is_served_compressed_as_stored_and_plain_in_pieces(client, organisation):
    url = f"/organisations/{organisation.slug}/calendar.ics"
    plain = client.get(url).getvalue()
    (key,) = [key for key in cache._cache if "ical:" in key]
    stored = cache.get(key.split(":", 2)[2])
    zipped = client.get(url, headers={"accept-encoding": "gzip"})
    assert zipped.getvalue() == stored
    assert gzip.decompress(stored) == plain
    with mock.patch.object(blocks, "refresh_blocks", side_effect=AssertionError("read the rows")):
        assert client.get(url).getvalue() == plain
