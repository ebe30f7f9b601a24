"""Template filters for rendering untrusted HTML or text: ``{% load sanitise %}``.

Templates must use these rather than ``|safe`` so every render goes through community.sanitise.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from community.sanitise import linkify_text, sanitise_html

register = template.Library()


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


@register.filter(name="sanitise")
def sanitise(value: object) -> SafeString:
    """``{{ post.body|sanitise }}``: untrusted HTML reduced to the allowlist, then trusted."""
    return mark_safe(sanitise_html(_as_text(value)))


@register.filter(name="linkify")
def linkify(value: object) -> SafeString:
    """``{{ member.bio|linkify }}``: plain text escaped, with links and line breaks."""
    return mark_safe(linkify_text(_as_text(value)))
