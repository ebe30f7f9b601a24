"""<id:…> matches only ids a database can hold; anything longer is a 404, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from community.url_converters import MAX_DATABASE_ID

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path",
    [
        f"/events/{HUGE}.ics",
        f"/events/{HUGE}/",
        f"/events/{HUGE}/edit/",
        f"/events/{MAX_DATABASE_ID + 1}/",
        f"/events/{MAX_DATABASE_ID}/",
        f"/events/{MAX_DATABASE_ID}.ics",
    ],
)
def test_event_page_for_an_id_out_of_range_is_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("collection", ["events", "conferences"])
@pytest.mark.parametrize("pk", [HUGE, str(MAX_DATABASE_ID + 1), str(MAX_DATABASE_ID)])
def test_api_detail_for_an_id_out_of_range_is_a_404_problem(client, collection, pk):
    response = client.get(f"/api/v1/{collection}/{pk}/")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_ids_reverse_to_the_same_paths():
    assert reverse("event-detail", kwargs={"pk": 42}) == "/events/42/"
    assert reverse("event-ics", kwargs={"pk": MAX_DATABASE_ID}) == f"/events/{MAX_DATABASE_ID}.ics"
    assert reverse("api-event-detail", kwargs={"pk": 7}) == "/api/v1/events/7/"
    assert reverse("api-organisation-detail", kwargs={"slug": "cmepius"}) == "/api/v1/organisations/cmepius/"
