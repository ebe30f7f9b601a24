"""API request rates: DEFAULT_THROTTLE_RATES apply, 429 is a problem document with Retry-After."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
URL = "/api/v1/organisations/"


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"}}


def test_configured_rates_are_enforced_by_default():
    assert django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "api.throttles.AnonymousRateThrottle",
        "api.throttles.MemberRateThrottle",
    ]
    assert django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "anon": "120/min",
        "user": "600/min",
        "partner": "600/min",
    }


def test_anonymous_client_past_its_rate_gets_a_429_problem_with_retry_after(client, low_rates):
    answers = [client.get(URL).status_code for _ in range(3)]
    response = client.get(URL, {"country": "ES"})

    assert answers == [200, 200, 200]
    assert response.status_code == 429
    assert response.headers["Content-Type"] == "application/problem+json"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    body = response.json()
    assert body == {
        "type": "about:blank",
        "title": "Too Many Requests",
        "status": 429,
        "detail": f"Request was throttled. Expected available in {response.headers['Retry-After']} seconds.",
        "instance": "/api/v1/organisations/?country=ES",
    }


def test_anonymous_clients_are_counted_by_address(client, low_rates):
    for _ in range(3):
        client.get(URL, REMOTE_ADDR="198.51.100.1")
    assert client.get(URL, REMOTE_ADDR="198.51.100.1").status_code == 429
    assert client.get(URL, REMOTE_ADDR="198.51.100.2").status_code == 200


def test_forged_forwarded_for_does_not_reset_the_count(client, low_rates):
    """Django sees the peer uvicorn vouches for; a client's own X-Forwarded-For is not an identity."""
    for n in range(3):
        client.get(URL, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert client.get(URL, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_signed_in_people_are_counted_by_account(client, low_rates):
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    answers = [client.get(URL).status_code for _ in range(6)]
    client.force_login(second)

    assert answers == [200] * 5 + [429]
    assert client.get(URL).status_code == 200


@pytest.mark.skipif(
    not django_settings.REDIS_URL, reason="with the local-memory cache each process counts alone, by design"
)
def test_limit_is_shared_between_processes_through_redis(client, low_rates):
    """Another process (another uvicorn worker) spends the address's budget; this one refuses."""
    script = (
        "import django; django.setup()\n"
        "from django.contrib.auth.models import AnonymousUser\n"
        "from rest_framework.test import APIRequestFactory\n"
        "from api.throttles import AnonymousRateThrottle\n"
        "request = APIRequestFactory().get('/api/v1/organisations/', REMOTE_ADDR='192.0.2.7')\n"
        "request.user = AnonymousUser()\n"
        "print([AnonymousRateThrottle().allow_request(request, None) for _ in range(3)])\n"
    )
    env = {**os.environ, "API_RATE_ANON": "3/min", "DJANGO_SETTINGS_MODULE": "config.settings"}
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.stdout.strip() == "[True, True, True]", proc.stderr

    assert client.get(URL, REMOTE_ADDR="192.0.2.7").status_code == 429
    assert client.get(URL, REMOTE_ADDR="192.0.2.8").status_code == 200
