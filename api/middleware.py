"""Every error under /api/ is a problem document, whoever produced it.

DRF's exception handler (api/problems.py) covers what happens inside an API view.
Other answers reach an API client from outside it: the 500 page for an unexpected
exception, the 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a 400 for a bad Host
header, a CSRF 403. This middleware replaces any such HTML
error under /api/ with the problem document for the same status, keeping every header
but the body's own (Retry-After, Allow, Vary, X-Frame-Options …) and the cookies. It
sits just inside SecurityMiddleware, so the security headers are added to what it
answers, and outside everything that can refuse a request (CommonMiddleware's Host
check, CSRF, the views).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from api.problems import PROBLEM_CONTENT_TYPE, problem_response

API_PREFIX = "/api/"
BODY_HEADERS = {"content-type", "content-length", "content-encoding"}


def _detail(response: HttpResponse) -> str:
    status = response.status_code
    if status == 400 and response.get("Content-Type", "").startswith("text/plain") and not response.streaming:
        # A plain-text refusal from a middleware (community/request_guard.py) already says what is wrong.
        return response.content.decode(response.charset, "replace")[:500]
    if status == 413:
        return _("The request body is larger than the %(limit)d bytes this API accepts.") % {
            "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        }
    if status >= 500:
        return _("An unexpected error occurred on the server. It has been logged; please try again later.")
    if status == 403:
        return _("You do not have permission to do this.")
    if status == 404:
        return _("Nothing was found at this address.")
    return _("The request could not be understood.")


class ProblemErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)
        ):
            return response
        problem = problem_response(request, status=response.status_code, detail=_detail(response))
        for header, value in response.items():
            if header.lower() not in BODY_HEADERS:
                problem[header] = value
        problem.cookies = response.cookies
        return problem
