"""A NUL byte in any query parameter is a clear 400 on every surface, before any database lookup."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/threads/?category=a%00b",
        "/api/v1/events/?organiser=a%00b",
        "/api/v1/stories/?theme=%00",
        "/members/?q=%00",
        "/events/?q=x%00y",
        "/events/calendar.ics?theme=%00",
        "/search/?q=%00",
        "/stories/?q=%00",
    ],
)
def test_a_nul_byte_in_a_query_parameter_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
