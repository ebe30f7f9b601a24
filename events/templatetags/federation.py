"""``{% feed_panel organisation %}``: the organisation page's link to its feeds and last import.

A template tag so that the organisation page (community) shows federation state without
community importing events.
"""

from __future__ import annotations

from django import template

from community.organisations import can_edit_content
from events.models import Feed, ImportRun

register = template.Library()


@register.inclusion_tag("events/includes/feed_panel.html", takes_context=True)
def feed_panel(context, organisation) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_edit_content(user=user, organisation=organisation):
        return {"show": False}
    return {
        "show": True,
        "organisation": organisation,
        "feed_count": Feed.objects.filter(organisation=organisation).count(),
        "last_run": ImportRun.objects.filter(organisation=organisation).first(),
    }
