from django import template
from django.utils.safestring import mark_safe

from community.stories import stories_of, story_state
from community.story_page import story_json_ld as build_json_ld

register = template.Library()


@register.simple_tag(takes_context=True)
def story_json_ld(context, page):
    """JSON-LD built and escaped in Python (json_script's escaping), so marking it safe is sound."""
    return mark_safe(build_json_ld(story=page, authors=context.get("authors", [])))


@register.inclusion_tag("community/includes/my_stories.html", takes_context=True)
def my_stories(context):
    """A member's own stories with their moderation state, for their profile page (one query)."""
    request = context["request"]
    rows = [(story, *story_state(story=story)) for story in stories_of(user=request.user)]
    return {"rows": rows, "request": request}
