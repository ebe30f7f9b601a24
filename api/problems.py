"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API answers has the same shape::

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "country: Unknown country code: XX (use ISO 3166 codes like ES, SI).",
     "instance": "/api/v1/events/?country=XX",
     "errors": {"country": ["Unknown country code: XX (use ISO 3166 codes like ES, SI)."]}}

``type`` is ``about:blank``: a problem means no more than its HTTP status, so
``title`` is the status phrase and ``detail`` says what went wrong this time.
``errors`` appears only on 400s caused by input and names every bad field or query
parameter (nested fields as ``location.city``, list items as ``speakers.0.name``).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from events.filters import FilterError

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemSerializer(serializers.Serializer):
    """The problem document, for the OpenAPI schema."""

    type = serializers.CharField(read_only=True, help_text="`about:blank`: the status code says what kind of problem.")
    title = serializers.CharField(read_only=True, help_text="The HTTP status phrase.")
    status = serializers.IntegerField(read_only=True)
    detail = serializers.CharField(read_only=True, help_text="What went wrong, for people.")
    instance = serializers.CharField(read_only=True, help_text="The path and query of the request.")
    # Not read_only: drf-spectacular lists every read-only field as required, and most problems have no errors.
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by field or query parameter; only on 400 answers to bad input.",
    )


def problem_responses(*statuses: int) -> dict:
    """``@extend_schema(responses=…)`` entries for problem answers."""
    return {(status, PROBLEM_CONTENT_TYPE): ProblemSerializer for status in statuses}


def problem(*, status: int, detail: str, instance: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The problem document for ``status``; ``instance`` is the request's path and query."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(
    request: HttpRequest, *, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> JsonResponse:
    """A problem answer for plain Django views (outside DRF's exception handling)."""
    body = problem(status=status, detail=detail, instance=request.get_full_path(), errors=errors)
    return JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def filter_error_as_validation_error(exc: FilterError) -> exceptions.ValidationError:
    """``events.filters.FilterError`` as a DRF ValidationError keyed by query parameter."""
    return exceptions.ValidationError({param: [message] for param, message in exc.errors.items()})


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"field.sub.0": ["message", ...]}``."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            out.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix: [str(item) for item in detail]} if detail else {}
        out = {}
        for index, item in enumerate(detail):
            out.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix: [str(detail)]}


def _validation_problem(exc: exceptions.ValidationError) -> tuple[str, dict[str, list[str]] | None]:
    detail = exc.detail
    if isinstance(detail, dict):
        errors = flatten_errors(detail)
        summary = "; ".join(f"{field}: {messages[0]}" for field, messages in errors.items() if messages)
        return summary or _("Invalid input."), errors
    messages = flatten_errors(detail).get("", []) if isinstance(detail, list) else [str(detail)]
    return " ".join(messages) or _("Invalid input."), None


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF ``EXCEPTION_HANDLER``: every API error as a problem document.

    Unexpected exceptions are left to Django (None), so they are logged and answered
    as a 500 the usual way.
    """
    if isinstance(exc, FilterError):
        exc = filter_error_as_validation_error(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    response = drf_exception_handler(exc, context)  # headers (Retry-After, WWW-Authenticate) and rollback
    if response is None:
        return None
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        detail, errors = _validation_problem(exc)
    else:
        detail = str(exc.detail) if isinstance(exc, exceptions.APIException) else str(exc)
    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
    response.data = problem(status=response.status_code, detail=detail, instance=instance, errors=errors)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
