"""Error pages that need more than Django's defaults.

Django answers a request body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` by raising
``RequestDataTooBig`` (a ``SuspiciousOperation``), which its default handler turns
into a bare 400. Here it is a 413 page that says what happened and what to do, and
other 400s render inside the site's layout (Django's default renders 400.html
without the request, so without the menu or the signed-in person).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``."""
    if isinstance(exception, RequestDataTooBig):
        return render(request, "413.html", {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}, status=413)
    return render(request, "400.html", status=400)
