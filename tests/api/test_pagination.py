"""page_size and cursor answer as the schema declares them."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from api.urls import schema_patterns
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


@pytest.mark.parametrize("value", ["0", "101", "1000", "-1", "many", " 5", "1_0", "５", "2.0", "9" * 5000])
def test_page_size_outside_1_to_100_or_not_digits_is_a_400_naming_it(client, value):
    response = client.get(URL, {"page_size": value})

    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"page_size": ["Enter a whole number from 1 to 100."]}


@pytest.mark.parametrize(("value", "rows"), [("1", 1), ("100", 3), ("", 3)])
def test_page_size_from_1_to_100_or_empty_is_accepted(client, value, rows):
    OrganisationFactory.create_batch(3)
    response = client.get(URL, {"page_size": value})
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


def test_empty_cursor_is_the_first_page(client):
    OrganisationFactory.create_batch(2)
    assert client.get(URL, {"cursor": ""}).json() == client.get(URL).json()


def test_schema_declares_the_page_size_bounds_and_empty_values():
    schema = SchemaGenerator(patterns=schema_patterns).get_schema(request=None, public=True)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}

    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    assert parameters["mode"]["allowEmptyValue"] is True
    assert {name for name, p in parameters.items() if p.get("allowEmptyValue")} == set(parameters)


def test_schema_requires_only_what_every_problem_document_has():
    schema = SchemaGenerator(patterns=schema_patterns).get_schema(request=None, public=True)
    assert schema["components"]["schemas"]["Problem"]["required"] == ["detail", "instance", "status", "title", "type"]
