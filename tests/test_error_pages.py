"""Error pages with DEBUG off: 400, 403, 404, 413 and 500 in the site's style; problem+json under /api/."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from community.models import Role
from events.models import Event
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def editor(client):
    membership = MembershipFactory(role=Role.EDITOR)
    client.force_login(membership.user)
    return membership


def heading(response) -> str:
    return BeautifulSoup(response.content, "html.parser").find("main").find("h1").get_text(strip=True)


def in_site_layout(response) -> bool:
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find("nav") is not None and soup.find("link", rel="stylesheet") is not None


def test_debug_is_off_in_these_tests(settings):
    assert settings.DEBUG is False


def test_oversized_form_post_gets_a_413_page_and_saves_nothing(client, editor):
    response = client.post("/events/new/", {"title": "Big", "description": "x" * TEN_MB})

    assert response.status_code == 413
    assert heading(response) == "Too much to send"
    assert in_site_layout(response)
    assert "larger than the 2.5\xa0MB this site accepts in one form, so nothing was saved." in response.content.decode()
    assert Event.objects.count() == 0


def test_oversized_urlencoded_post_gets_the_413_page_too(client, editor):
    response = client.post(
        "/events/new/", f"title=Big&description={'x' * TEN_MB}", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert heading(response) == "Too much to send"


def test_oversized_post_is_a_413_even_before_the_view_runs(editor):
    """A browser's post carries a CSRF token; the CSRF check is the first to read the body."""
    csrf_client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    csrf_client.force_login(editor.user)
    csrf_client.get("/events/new/")
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post("/events/new/", {"csrfmiddlewaretoken": token, "description": "x" * TEN_MB})
    assert response.status_code == 413


def test_bad_request_renders_the_400_page_in_the_site_layout(client):
    too_many_fields = {f"f{n}": "1" for n in range(10_001)}
    response = client.post("/accounts/login/", too_many_fields)

    assert response.status_code == 400
    assert heading(response) == "Bad request"
    assert in_site_layout(response)


def test_missing_page_renders_the_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert heading(response) == "Page not found"


def test_forbidden_page_renders_the_403_page(client):
    response = client.get("/django-admin/login/", follow=False)  # anonymous: a redirect, not an error
    assert response.status_code == 302
    client.force_login(MembershipFactory().user)
    response = client.get("/events/new/")
    assert response.status_code == 403
    assert heading(response) == "Access denied"


@pytest.mark.urls("tests.error_urls")
def test_server_error_renders_the_self_contained_500_page(client):
    response = client.get("/boom/")

    assert response.status_code == 500
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1").get_text(strip=True) == "Sorry, something went wrong on our side"
    assert soup.find("link", rel="stylesheet") is None


@pytest.mark.urls("tests.error_urls")
def test_api_server_error_is_a_500_problem(client):
    response = client.get("/api/v1/boom/?x=1")

    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "An unexpected error occurred on the server. It has been logged; please try again later.",
        "instance": "/api/v1/boom/?x=1",
    }


@pytest.mark.urls("tests.error_urls")
def test_api_oversized_body_is_a_413_problem(client):
    response = client.post("/api/v1/form/", {"description": "x" * TEN_MB})

    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Request Entity Too Large",  # Python 3.11's phrase for 413
        "status": 413,
        "detail": "The request body is larger than the 2621440 bytes this API accepts.",
        "instance": "/api/v1/form/",
    }


def test_api_bad_host_is_a_400_problem(client):
    response = client.get("/api/v1/events/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


def test_api_problem_keeps_the_headers_a_client_needs(client):
    response = client.post("/api/v1/events/", {})
    assert response.status_code == 405
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.urls("tests.error_urls")
def test_api_problem_made_from_an_error_page_keeps_the_security_headers(client):
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_bad_host_gets_the_400_page_not_a_500(client):
    response = client.get("/events/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert heading(response) == "Bad request"
