"""A project's events on its page (community's ``project_page_sections`` hook).

The event → project link lives on events, so the project page (community) learns of a
project's events only through this hook, registered in ``events.wagtail_hooks``.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Project
from events.writing import published_events

SHOWN = 20


def project_events_section(*, project: Project, request: HttpRequest) -> tuple[str, str] | None:
    """Upcoming events (soonest first), then past ones (latest first), at most ``SHOWN`` each."""
    now = timezone.now()
    events = published_events().filter(project=project).select_related("organiser")
    ongoing = Q(end__gte=now) | Q(series_end__isnull=True, rrule__gt="") | Q(series_end__gte=now)
    upcoming = list(events.filter(ongoing).order_by("start", "pk")[:SHOWN])
    past = list(events.exclude(ongoing).order_by("-start", "-pk")[:SHOWN])
    if not upcoming and not past:
        return None
    html = render_to_string(
        "events/includes/project_events.html", {"upcoming": upcoming, "past": past}, request=request
    )
    return _("Events"), html
