"""Event lists on other apps' pages (home page, organisation page) and speaker names.

``community`` never imports ``events``: its templates load these tags instead, so the
dependency runs from the template to events, the way the layers do.
"""

from __future__ import annotations

from django import template

from community.models import Organisation
from events.models import Event, Speaker

register = template.Library()


@register.simple_tag
def upcoming_events(organiser: Organisation | None = None, limit: int = 6) -> list[Event]:
    """Upcoming top-level events (no sessions), soonest first, in one query."""
    qs = Event.objects.listed().filter(parent__isnull=True).upcoming().select_related("organiser")
    if organiser is not None:
        qs = qs.filter(organiser=organiser)
    return list(qs.order_by("start", "id")[: max(0, min(int(limit), 50))])


@register.simple_tag(takes_context=True)
def speakers_shown(context, speakers) -> list[dict]:
    """Speakers as the viewer may see them: ``[{"name": …, "url": … or None}]``."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    shown = []
    for speaker in speakers:
        speaker: Speaker
        name, url = speaker.shown_to(viewer)
        shown.append({"name": name, "url": url})
    return shown
