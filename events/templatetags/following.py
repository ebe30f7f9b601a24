"""The follow button for organisation and theme pages (and anywhere else).

``community`` never imports ``events``; its templates load this tag, so the dependency runs
from the template to events, the way the layers do.
"""

from __future__ import annotations

from django import template

from community.models import Organisation, Theme
from events.following import is_following

register = template.Library()


@register.inclusion_tag("events/includes/follow_button.html", takes_context=True)
def follow_button(context, target: Organisation | Theme) -> dict:
    """A member sees Follow or a distinct Following state (which unfollows); a visitor sees
    "Log in to follow", which comes back to this page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = "organisation" if isinstance(target, Organisation) else "theme"
    return {
        "target": target,
        "kind": kind,
        "key": target.slug,
        "authenticated": bool(user and user.is_authenticated),
        "following": bool(user and is_following(user=user, target=target)),
        "next": request.get_full_path() if request is not None else "",
    }
