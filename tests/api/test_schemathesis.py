"""Schemathesis against /api/v1/schema/: no operation answers 5xx, and no answer breaks the schema.

Runs every operation of the API (the read API and the partner API, with a partner key)
through the WSGI application with generated input, valid and invalid.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from community.organisations import create_api_key
from tests.factories import EventFactory, OrganisationFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """The WSGI handler closes the database connection after each request; Django's own test
    client stops that, and so must we, or the test's transaction is closed under it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def partner_key(db):
    organisation = OrganisationFactory()
    EventFactory(organiser=organisation, uid="known@x.org")
    _key, secret = create_api_key(organisation=organisation)
    return secret


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_answers_no_5xx_and_matches_its_schema(case, partner_key, settings):
    settings.FETCH_ALLOWED_HOSTS = []
    cache.clear()  # the per-key throttle would answer 429 to most generated calls
    case.call_and_validate(
        # identity: the WSGI test client does not undo GZipMiddleware.
        headers={"Authorization": f"Bearer {partner_key}", "Accept-Encoding": "identity"},
        checks=[not_a_server_error, response_schema_conformance],
    )
