"""``{% load chat %}``: the live chat room, or its transcript, on an event's page.

A template tag, so the event page view needs no chat code: the include asks for the room
itself (one query, plus the transcript's three once the session is over).
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from events.chat.rooms import can_moderate, room_window
from events.chat.transcript import PAGE_SHOWN, transcript_messages, transcript_questions, transcript_summary
from events.models import ChatRoom, Event, EventKind

register = template.Library()


@register.simple_tag(takes_context=True)
def chat_room_for(context: template.Context, event: Event) -> dict | None:
    """The room's state for the page, or None when the event has no room."""
    room = ChatRoom.objects.filter(event=event).first()
    if room is None and event.kind != EventKind.SESSION:
        return None
    if room is not None:
        room.event = event
    window = room_window(room=room or ChatRoom(event=event))
    chat = {
        "ws_path": f"/ws/chat/{event.pk}/",
        "window": window,
        "transcript": None,
        "strings": _strings(),
        "guests": False,
    }
    if room is not None and event.end <= timezone.now():
        user = context.get("user")
        chat["transcript"] = {
            "can_export": bool(user and can_moderate(user=user, room=room)),
            "summary": transcript_summary(room=room),
            "messages": list(transcript_messages(room=room)[:PAGE_SHOWN]),
            "questions": transcript_questions(room=room),
            "truncated_at": PAGE_SHOWN,
        }
    elif settings.CHAT_GUEST_POSTING:
        chat["guests"] = _give_visitor_a_session(context.get("request"))
    return chat


def _give_visitor_a_session(request) -> bool:
    """A visitor becomes a guest through their session, so the room's page makes sure they
    have one (the session middleware sets its cookie on this response)."""
    if request is None or request.user.is_authenticated:
        return False
    if request.session.session_key is None:
        request.session["chat_guest"] = True
    return True


def _strings() -> dict[str, str]:
    """What chat.js says, translated here so the script holds no words of its own."""
    return {
        "connecting": _("Connecting…"),
        "open": _("The room is open."),
        "read_only": _("The room is read-only."),
        "reconnecting": _("Connection lost; reconnecting in %s s…"),
        "gone": _("This room is not available."),
        "present": _("%s here"),
        "sending": _("sending…"),
        "failed": _("not sent:"),
        "vote": _("Upvote"),
        "voted": _("Voted"),
        "votes": _("votes"),
        "answered": _("Answered"),
        "mark_answered": _("Mark answered"),
        "delete": _("Delete"),
        "deleted": _("A moderator deleted a message."),
        "mute": _("Mute 10 min"),
        "guest": _("guest"),
        "name_needed": _("Give a display name to post as a guest."),
        "muted": _("A moderator muted you in this room."),
        "question": _("Question"),
        "new_message": _("New message from %s"),
        "slow_mode": _("Slow mode: one message every %s seconds."),
        "hide": _("Hide from the transcript"),
        "hidden": _("Hidden from the transcript kept after the session."),
    }
