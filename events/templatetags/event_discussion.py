from django import template

from community.discussions import first_posts
from events.models import EventDiscussion

register = template.Library()


@register.inclusion_tag("events/includes/event_discussion.html", takes_context=True)
def event_discussion(context, event):
    """The event's discussion under the event page: its first posts and a reply box."""
    link = EventDiscussion.objects.select_related("thread").filter(event=event, thread__hidden_at__isnull=True).first()
    thread = link.thread if link else None
    return {
        "event": event,
        "thread": thread,
        "posts": first_posts(thread=thread) if thread else [],
        "user": context.get("user"),
        "request": context.get("request"),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
