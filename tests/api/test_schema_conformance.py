"""The API answers what its OpenAPI schema says, checked by schemathesis.

The schema is read from the served endpoint (/api/v1/schema/), as a client would read
it, and schemathesis calls the WSGI application with generated requests, valid and
invalid, bounded to a few dozen per operation. Its default checks run: no server
error; status code, content type, headers and body as documented; invalid requests
refused. One is left out, positive_data_acceptance ("every schema-valid request gets
a 2xx"): a filter value must name an organisation, theme, country… that exists and a
cursor must come from a next link, which a schema cannot say; such requests get a
documented 400 problem naming the parameter, and its shape is still checked.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from tests.factories import EventFactory, OrganisationFactory, SessionFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture(autouse=True)
def _one_connection_for_the_whole_test(db):
    """Calling the WSGI app directly would close the test's database connection after each
    request (Django's own test client disconnects the same handler)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _something_to_find(_one_connection_for_the_whole_test):
    organisation = OrganisationFactory(slug="cmepius")
    conference = EventFactory(organiser=organisation, kind="conference")
    SessionFactory(parent=conference, organiser=organisation)
    EventFactory(organiser=organisation)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_as_its_schema_says(case):
    # Each case is its own client: the anonymous rate limit (tests/api/test_throttling.py) must
    # not turn the exploration's later cases into 429s.
    cache.clear()
    # The WSGI test transport does not undo gzip; the site's GZipMiddleware would answer with it.
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance])


@pytest.mark.parametrize("parameter", ["organiser", "theme", "sector", "language"])
def test_nul_byte_in_a_filter_is_a_400_not_a_500(parameter):
    response = Client(raise_request_exception=False).get("/api/v1/events/", {parameter: "a\x00b"})
    assert response.status_code == 400
