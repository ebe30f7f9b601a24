import re

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from api.urls import schema_patterns

ENDPOINTS = {
    "/api/v1/events/": ["get"],
    "/api/v1/events/{id}/": ["get"],
    "/api/v1/events/{id}/transcript/": ["get"],
    "/api/v1/conferences/": ["get"],
    "/api/v1/conferences/{id}/": ["get"],
    "/api/v1/organisations/": ["get"],
    "/api/v1/organisations/{slug}/": ["get"],
    "/api/v1/partner/events/": ["get", "post"],
    "/api/v1/partner/events/{uid}/": ["get", "patch", "delete"],
    "/api/v1/partner/events/bulk/": ["post"],
    "/api/v1/partner/feeds/": ["get", "post"],
    "/api/v1/partner/feeds/{id}/": ["get", "patch", "delete"],
    "/api/v1/partner/feeds/{id}/refresh/": ["post"],
    "/api/v1/partner/feeds/{id}/runs/": ["get"],
    "/api/v1/partner/ics/": ["post"],
    "/api/v1/stories/": ["get"],
    "/api/v1/stories/{id}/": ["get"],
    "/api/v1/projects/": ["get"],
    "/api/v1/projects/{slug}/": ["get"],
    "/api/v1/threads/": ["get"],
    "/api/v1/threads/{id}/": ["get"],
    "/api/v1/threads/{id}/posts/": ["post"],
}


@pytest.fixture
def schema():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        generated = SchemaGenerator(patterns=schema_patterns).get_schema(request=None, public=True)
    warnings, errors = dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert (warnings, errors) == ({}, {})
    return generated


def test_schema_generates_without_warnings_and_is_valid_openapi(schema):
    validate_schema(schema)


def test_schema_lists_every_endpoint_and_nothing_else(schema):
    assert {path: list(methods) for path, methods in schema["paths"].items()} == ENDPOINTS


def test_schema_documents_every_event_filter_and_the_pagination(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}
    assert names == {
        "organiser", "theme", "sector", "country", "language", "mode", "q", "start", "end", "cursor", "page_size",
    }  # fmt: skip


def test_schema_documents_errors_as_problem_json(schema):
    answers = schema["paths"]["/api/v1/events/{id}/"]["get"]["responses"]
    assert answers["404"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    assert answers["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/EventDetail"}


def test_schema_types_the_event_id_as_an_integer(schema):
    (parameter,) = schema["paths"]["/api/v1/events/{id}/"]["get"]["parameters"]
    assert parameter["schema"]["type"] == "integer"


@pytest.mark.django_db
def test_schema_endpoint_answers_with_the_same_paths(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert set(response.json()["paths"]) == set(ENDPOINTS)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/docs/redoc/"])
def test_docs_pages_load_their_assets_from_this_site_only(client, path):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", html) == []
    assets = re.findall(r"""(?:src|href)=["']?(/static/[^"' >]+)""", html)
    assert assets
    for asset in assets:
        # the sidecar's bundles, and the pages' own small stylesheet (no inline style: the CSP)
        assert asset.startswith(("/static/drf_spectacular_sidecar/", "/static/css/api-docs.css")), asset
        assert finders.find(asset.removeprefix("/static/")) is not None, asset
