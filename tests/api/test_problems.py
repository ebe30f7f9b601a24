import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.problems import PROBLEM_CONTENT_TYPE, problem_exception_handler
from events.filters import FilterError


def _handle(exc):
    request = Request(APIRequestFactory().get("/api/v1/events/", {"country": "XX"}))
    return problem_exception_handler(exc, {"request": request, "view": None})


@pytest.mark.parametrize(
    ("exc", "status", "title"),
    [
        (exceptions.NotFound(), 404, "Not Found"),
        (Http404("No Event matches the given query."), 404, "Not Found"),
        (exceptions.PermissionDenied(), 403, "Forbidden"),
        (DjangoPermissionDenied(), 403, "Forbidden"),
        (exceptions.NotAuthenticated(), 401, "Unauthorized"),  # the view makes it 403 without WWW-Authenticate
        (exceptions.AuthenticationFailed(), 401, "Unauthorized"),
        (exceptions.ParseError("JSON parse error - Expecting value"), 400, "Bad Request"),
        (exceptions.MethodNotAllowed("DELETE"), 405, "Method Not Allowed"),
        (exceptions.NotAcceptable(), 406, "Not Acceptable"),
        (exceptions.UnsupportedMediaType("text/csv"), 415, "Unsupported Media Type"),
        (exceptions.Throttled(wait=12), 429, "Too Many Requests"),
    ],
)
def test_handler_turns_api_errors_into_problem_documents(exc, status, title):
    response = _handle(exc)
    assert response.status_code == status
    assert response.content_type == PROBLEM_CONTENT_TYPE
    assert set(response.data) == {"type", "title", "status", "detail", "instance"}
    assert response.data["type"] == "about:blank"
    assert response.data["title"] == title
    assert response.data["status"] == status
    assert response.data["instance"] == "/api/v1/events/?country=XX"
    assert response.data["detail"]


def test_handler_keeps_the_message_of_a_django_404():
    assert _handle(Http404("No such thing.")).data["detail"] == "No such thing."


def test_throttled_problem_says_when_to_retry():
    response = _handle(exceptions.Throttled(wait=12))
    assert response["Retry-After"] == "12"


def test_validation_error_lists_messages_by_field_with_nested_fields_dotted():
    exc = exceptions.ValidationError(
        {
            "title": ["This field is required."],
            "location": {"city": ["Too long."]},
            "speakers": [{}, {"name": ["Enter a name."]}],
            "non_field_errors": ["End must be after start."],
        }
    )
    response = _handle(exc)
    assert response.status_code == 400
    assert response.data["errors"] == {
        "title": ["This field is required."],
        "location.city": ["Too long."],
        "speakers.1.name": ["Enter a name."],
        "non_field_errors": ["End must be after start."],
    }
    assert response.data["detail"] == (
        "title: This field is required.; location.city: Too long.; speakers.1.name: Enter a name.; "
        "non_field_errors: End must be after start."
    )


def test_validation_error_without_fields_has_a_detail_and_no_errors_member():
    response = _handle(exceptions.ValidationError("Nothing to import."))
    assert response.data["detail"] == "Nothing to import."
    assert "errors" not in response.data


def test_filter_error_is_a_400_naming_each_parameter():
    response = _handle(FilterError({"country": "Unknown country code: XX.", "theme": "Unknown theme: nope."}))
    assert response.status_code == 400
    assert response.data["errors"] == {"country": ["Unknown country code: XX."], "theme": ["Unknown theme: nope."]}


def test_unexpected_exceptions_are_left_to_django():
    assert _handle(ZeroDivisionError()) is None


@pytest.mark.django_db
def test_unknown_api_path_is_a_404_problem(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "No API endpoint at /api/v1/nothing-here/.",
        "instance": "/api/v1/nothing-here/",
    }


@pytest.mark.django_db
def test_api_path_without_its_trailing_slash_redirects(client):
    response = client.get("/api/v1/events?country=ES")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/events/?country=ES"


@pytest.mark.django_db
def test_client_asking_only_for_json_still_gets_a_problem_document(client):
    response = client.get("/api/v1/events/?country=XX", HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
