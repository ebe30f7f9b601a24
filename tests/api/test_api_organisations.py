import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.serializers.organisations import OrganisationSerializer
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_organisation_list_is_in_order_of_name_with_the_documented_fields(client):
    OrganisationFactory(name="Universitat de València", slug="uv")
    OrganisationFactory(name="CMEPIUS", slug="cmepius")
    body = client.get("/api/v1/organisations/").json()
    assert [row["slug"] for row in body["results"]] == ["cmepius", "uv"]
    assert [set(row) for row in body["results"]] == [set(OrganisationSerializer().fields)] * 2


def test_organisation_row_values(client):
    org = OrganisationFactory(
        name="CMEPIUS",
        slug="cmepius",
        type="national_agency",
        country="SI",
        city="Ljubljana",
        website="https://cmepius.si",
    )
    row = client.get("/api/v1/organisations/cmepius/").json()
    assert row == {
        "slug": "cmepius",
        "name": "CMEPIUS",
        "type": "national_agency",
        "country": "SI",
        "city": "Ljubljana",
        "website": "https://cmepius.si",
        "description": "",
        "logo": None,
        "url": "http://testserver/organisations/cmepius/",
        "calendar_url": "http://testserver/organisations/cmepius/calendar.ics",
        "events_url": "http://testserver/api/v1/events/?organiser=cmepius",
        "updated": org.updated.isoformat(),
    }


def test_organisation_events_url_lists_its_events(client):
    OrganisationFactory(slug="cmepius")
    events_url = client.get("/api/v1/organisations/cmepius/").json()["events_url"]
    assert client.get(events_url).status_code == 200


def test_unknown_organisation_is_a_404_problem(client):
    response = client.get("/api/v1/organisations/nope/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "No organisation “nope”."


def test_organisation_list_cursor_walks_every_organisation_once_even_with_equal_names(client):
    orgs = [OrganisationFactory(name="Same name") for _ in range(3)] + [
        OrganisationFactory(name=f"Org {n}") for n in range(4)
    ]
    expected = [o.slug for o in sorted(orgs, key=lambda o: (o.name, o.pk))]
    seen, url = [], "/api/v1/organisations/?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url = body["next"]
    assert seen == expected


def test_organisation_list_query_count_is_the_same_for_1_and_50_rows(client):
    OrganisationFactory()
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/organisations/?page_size=50").json()["results"]) == 1
    OrganisationFactory.create_batch(49)
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get("/api/v1/organisations/?page_size=50").json()["results"]) == 50
    assert len(one) == len(fifty) == 1


def test_organisation_list_rejects_unknown_parameters(client):
    response = client.get("/api/v1/organisations/?country=ES")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["country"]
