"""The raw ceiling for bench_api.py: the same 50 event rows as `/api/v1/events/?page_size=50`,
straight from ``.values()`` into a ``JsonResponse``, through the same settings and middleware.

Serve it like Praxis: ``uvicorn bench.bare_api:application`` (from the repository root).
"""

from __future__ import annotations

import datetime as dt
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.http import HttpRequest, HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.html import escape  # noqa: E402

from events.models import Event  # noqa: E402

FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
BARE_PATH = "/bare/events/"
BARE_PAGE_PATH = "/bare/page/"


def bare_events(request: HttpRequest) -> JsonResponse:
    rows = (
        Event.objects.listed()
        .filter(parent__isnull=True)
        .in_window(timezone.now(), FAR_FUTURE)
        .order_by("start", "id")
        .values()[:50]
    )
    return JsonResponse({"results": list(rows)})


def bare_page(request: HttpRequest) -> HttpResponse:
    """The page ceiling: the 50 upcoming occurrences `/events/` lists, in a minimal template."""
    from events.models import Occurrence

    rows = (
        Occurrence.objects.filter(listed=True, end__gt=timezone.now())
        .order_by("start", "id")
        .values_list("event__title", "start", "event__organiser__name")[:50]
    )
    body = "".join(f"<li>{escape(t)} {s:%Y-%m-%d %H:%M} {escape(o)}</li>" for t, s, o in rows)
    return HttpResponse(f"<!doctype html><ul>{body}</ul>")


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare_events), path(BARE_PAGE_PATH.strip("/") + "/", bare_page)]


def __getattr__(name: str):
    """``application`` is built on first use, so importing this module (to count queries) changes nothing."""
    if name == "application":
        from django.core.asgi import get_asgi_application

        settings.ROOT_URLCONF = __name__
        globals()["application"] = app = get_asgi_application()
        return app
    if name == "wsgi_application":  # the same view behind a WSGI worker (gunicorn)
        from django.core.wsgi import get_wsgi_application

        settings.ROOT_URLCONF = __name__
        globals()["wsgi_application"] = app = get_wsgi_application()
        return app
    raise AttributeError(name)
