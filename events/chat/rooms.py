"""Which events have a room, when a room is open, and who may read, post and moderate.

A session always has a room (created the first time someone opens it); another event
has one once its organiser enabled chat for it (``enable_chat``). A room is open from
``CHAT_OPENS_MINUTES_BEFORE`` before the start until ``CHAT_ARCHIVES_MINUTES_AFTER`` after
the end and read-only otherwise, unless a moderator opened or closed it by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Role, User
from community.organisations import role_of
from events.chat.errors import ChatError
from events.chat.guests import guest_muted_until
from events.models import ChatMute, ChatRoom, Event, EventKind, RoomOverride
from events.writing import published_events

OPEN = "open"
READ_ONLY = "read_only"


def chat_events() -> QuerySet[Event]:
    """Events whose room anyone may read: published (not removed) series rows of a live conference.

    The one place that says which events are public for the chat; private or unpublished
    events (removed rows, overrides, sessions of a removed conference) are refused.
    """
    return published_events()


def room_for_event(*, event_id: int) -> ChatRoom:
    """The room of a public event, creating a session's room on first use; ChatError("not_found") otherwise."""
    event = chat_events().select_related("organiser").filter(pk=event_id).first()
    if event is None:
        raise ChatError("not_found", _("There is no public event with id %(id)s.") % {"id": event_id})
    room = ChatRoom.objects.filter(event=event).first()
    if room is None:
        if event.kind != EventKind.SESSION:
            raise ChatError("not_found", _("This event has no chat room."))
        try:
            with transaction.atomic():
                room = ChatRoom.objects.create(event=event)
        except IntegrityError:  # another connection created it first
            room = ChatRoom.objects.get(event=event)
    room.event = event
    return room


def enable_chat(*, event: Event) -> ChatRoom:
    """Give any event a room (sessions have one anyway)."""
    room, _created = ChatRoom.objects.get_or_create(event=event)
    return room


@dataclass(frozen=True)
class RoomWindow:
    state: str  # OPEN or READ_ONLY
    opens_at: dt.datetime
    closes_at: dt.datetime


def room_window(*, room: ChatRoom, now: dt.datetime | None = None) -> RoomWindow:
    now = now or timezone.now()
    event = room.event
    opens_at = event.start - dt.timedelta(minutes=settings.CHAT_OPENS_MINUTES_BEFORE)
    closes_at = event.end + dt.timedelta(minutes=settings.CHAT_ARCHIVES_MINUTES_AFTER)
    if room.override == RoomOverride.OPEN:
        state = OPEN
    elif room.override == RoomOverride.CLOSED:
        state = READ_ONLY
    else:
        state = OPEN if opens_at <= now < closes_at else READ_ONLY
    return RoomWindow(state=state, opens_at=opens_at, closes_at=closes_at)


def can_moderate(*, user: User, room: ChatRoom) -> bool:
    """Site moderators (``events.moderate_chat``) and the organiser's admins and editors."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("events.moderate_chat"):
        return True
    return role_of(user=user, organisation=room.event.organiser) in (Role.ADMIN, Role.EDITOR)


def muted_until(*, user: User, room: ChatRoom, now: dt.datetime | None = None) -> dt.datetime | None:
    if not user.is_authenticated:
        return None
    now = now or timezone.now()
    mute = ChatMute.objects.filter(room=room, user=user, until__gt=now).order_by("-until").first()
    return mute.until if mute else None


def can_post(*, user: User, room: ChatRoom, now: dt.datetime | None = None, guest_key: str = "") -> bool:
    """Signed-in, active, the room open and the member not muted — or a guest (CHAT_GUEST_POSTING)."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return (
            bool(guest_key)
            and room_window(room=room, now=now).state == OPEN
            and guest_muted_until(room_id=room.pk, guest_key=guest_key) is None
        )
    if not user.is_active:
        return False
    if room_window(room=room, now=now).state != OPEN:
        return False
    return muted_until(user=user, room=room, now=now) is None


def display_name_of(user: User) -> str:
    try:
        return user.profile.display_name or user.get_username()
    except User.profile.RelatedObjectDoesNotExist:
        return user.get_username()
