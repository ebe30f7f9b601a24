"""Read-only API views, one module per entity; shared pieces live here."""

from __future__ import annotations

from collections.abc import Collection

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from api.problems import problem_response

PAGINATION_PARAMS = ("cursor", "page_size")
ALWAYS_ALLOWED = ("format",)  # DRF's renderer override


def reject_unknown_parameters(request: Request, known: Collection[str]) -> None:
    """A misspelt filter must be a 400, not a silently unfiltered answer."""
    unknown = sorted(set(request.query_params) - set(known) - set(ALWAYS_ALLOWED))
    if unknown:
        allowed = ", ".join(sorted(known)) or _("none")
        raise ValidationError(
            {name: [_("Unknown parameter (known: %(allowed)s).") % {"allowed": allowed}] for name in unknown}
        )


@csrf_exempt  # a 404 problem for any method; without this a POST to an unknown path got CSRF's HTML 403
def api_not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any other path under /api/v1/: a 404 problem, or the path with its missing slash."""
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return problem_response(request, status=404, detail=_("No API endpoint at %(path)s.") % {"path": request.path})
