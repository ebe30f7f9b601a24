"""Dates people can type into a URL: every surface answers 400 naming the parameter, never 500."""

import pytest

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

BAD = [
    "view=month&month=9999-12",
    "view=month&month=0001-01",
    "view=month&month=2201-01",
    "start=9999-12-31",
    "start=0001-01-01",
    "start=0001-01-01T00:00:00%2B14:00",
    "start=9999-12-31T23:59:59-14:00",
    "end=9999-12-31",
    "end=0001-01-01T00:00:00%2B14:00",
]


@pytest.mark.parametrize("query", BAD)
@pytest.mark.parametrize("path", ["/events/", "/events/calendar.ics", "/api/v1/events/", "/api/v1/conferences/"])
def test_a_date_outside_the_calendar_is_a_400_on_every_surface(client, path, query):
    EventFactory()
    if "month" in query and path != "/events/":
        pytest.skip("month belongs to the page only")
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
        assert set(response.json()["errors"]) <= {"start", "end"}


def test_the_month_view_at_the_edges_of_the_calendar_still_renders(client):
    assert client.get("/events/?view=month&month=1900-01").status_code == 200
    assert client.get("/events/?view=month&month=2200-12").status_code == 200
