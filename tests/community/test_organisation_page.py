"""The organisation page costs the same number of queries whatever it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EventFactory, MembershipFactory, OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_organisation_page_query_count_is_the_same_at_1_and_at_10_events_and_members(client):
    small, large = OrganisationFactory(), OrganisationFactory()
    for organisation, size in ((small, 1), (large, 10)):
        for _ in range(size):
            EventFactory(organiser=organisation)
            MembershipFactory(organisation=organisation, user=ProfileFactory().user)
    assert _queries(client, small.get_absolute_url()) == _queries(client, large.get_absolute_url())


def test_the_organisation_page_lists_its_upcoming_events(client):
    organisation = OrganisationFactory()
    EventFactory(organiser=organisation, title="Our open day")
    EventFactory(title="Someone else's day")
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Our open day" in page
    assert "Someone else&#x27;s day" not in page
    assert "Someone else's day" not in page
