"""Refuse a NUL byte anywhere in a request's query string, for every page, feed and API view.

No parameter of the site has one, PostgreSQL refuses one in any query parameter (a 500 from
the database driver), and each view checking it for itself would miss the next view. This
runs before any of them: a clear 400 (a problem document under /api/), nothing looked up.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


class RefuseNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return HttpResponseBadRequest(
                _("A query parameter contains a NUL character, which no parameter of this site accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
