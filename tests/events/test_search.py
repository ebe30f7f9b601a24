"""Events in the site's one search, registered from the events side."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from events.writing import remove_event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_site_search_finds_published_events_by_title_description_or_city(client):
    soon = timezone.now() + dt.timedelta(days=3)
    EventFactory(title="Mentoring day", start=soon, end=soon + dt.timedelta(hours=2))
    EventFactory(title="Open day", description="<p>Peer mentoring for tutors.</p>", start=soon, end=soon)
    gone = EventFactory(title="Mentoring removed")
    remove_event(actor=None, event=gone)
    EventFactory(title="Unrelated")
    response = client.get("/search/", {"q": "mentoring", "kind": "events"})
    soup = BeautifulSoup(response.content, "html.parser")
    found = sorted(li.a.get_text(strip=True) for li in soup.select('.search-result[data-kind="events"]'))
    assert found == ["Mentoring day", "Open day"]
