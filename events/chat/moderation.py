"""Moderators' actions in a room; each is checked here and written to the moderation log."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import User
from events.chat.errors import ChatError
from events.chat.guests import mute_guest
from events.chat.rooms import can_moderate
from events.models import ChatMessage, ChatModerationLog, ChatMute, ChatRoom, ModerationAction, RoomOverride

MUTE_MAX_MINUTES = 60 * 24 * 365 * 10  # ten years: a ban
SLOW_MODE_MAX_SECONDS = 600


def _require_moderator(user: User, room: ChatRoom, moderator: bool | None) -> None:
    if not (moderator if moderator is not None else can_moderate(user=user, room=room)):
        raise ChatError("forbidden", _("Only the room's moderators can do this."))


def _whole_number(value: object, *, field: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ChatError(
            "invalid", _("%(f)s must be a whole number from %(lo)d to %(hi)d.") % {"f": field, "lo": low, "hi": high}
        )
    return value


def _message_in(room: ChatRoom, message_id: object) -> ChatMessage:
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ChatError("invalid", _("id must be a message id."))
    message = ChatMessage.objects.filter(room=room, pk=message_id, deleted_at__isnull=True).first()
    if message is None:
        raise ChatError("invalid", _("There is no message %(id)s in this room.") % {"id": message_id})
    return message


@transaction.atomic
def delete_message(*, room: ChatRoom, actor: User, message_id: object, moderator: bool | None = None) -> ChatMessage:
    """Deleted messages stay in the table (for the log) but never show again, live or in the transcript."""
    _require_moderator(actor, room, moderator)
    message = _message_in(room, message_id)
    message.deleted_at = timezone.now()
    message.deleted_by = actor
    message.save(update_fields=["deleted_at", "deleted_by"])
    ChatModerationLog.objects.create(
        room=room, actor=actor, action=ModerationAction.DELETE, message=message, target_user_id=message.author_id
    )
    return message


@transaction.atomic
def mark_answered(*, room: ChatRoom, actor: User, message_id: object, moderator: bool | None = None) -> ChatMessage:
    _require_moderator(actor, room, moderator)
    message = _message_in(room, message_id)
    if not message.is_question:
        raise ChatError("invalid", _("Message %(id)s is not a question.") % {"id": message_id})
    if message.answered_at is None:
        message.answered_at = timezone.now()
        message.save(update_fields=["answered_at"])
        ChatModerationLog.objects.create(room=room, actor=actor, action=ModerationAction.ANSWERED, message=message)
    return message


@transaction.atomic
def mute_member(
    *, room: ChatRoom, actor: User, user_id: object, minutes: object, moderator: bool | None = None
) -> ChatMute:
    """The member cannot post in this room until the time is up, whatever connection they use."""
    _require_moderator(actor, room, moderator)
    minutes = _whole_number(minutes, field="minutes", low=1, high=MUTE_MAX_MINUTES)
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not User.objects.filter(pk=user_id).exists():
        raise ChatError("invalid", _("user_id must be a member's id."))
    if user_id == actor.pk:
        raise ChatError("invalid", _("You cannot mute yourself."))
    mute = ChatMute.objects.create(
        room=room, user_id=user_id, by=actor, until=timezone.now() + dt.timedelta(minutes=minutes)
    )
    ChatModerationLog.objects.create(
        room=room, actor=actor, action=ModerationAction.MUTE, target_user_id=user_id, detail=f"{minutes} min"
    )
    return mute


def mute_guest_of(
    *, room: ChatRoom, actor: User, message_id: object, minutes: object, moderator: bool | None = None
) -> dt.datetime:
    """Mute the guest who wrote a message (guests have no member id); returns until when."""
    _require_moderator(actor, room, moderator)
    minutes = _whole_number(minutes, field="minutes", low=1, high=MUTE_MAX_MINUTES)
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ChatError("invalid", _("message_id must be the id of a guest's message."))
    message = ChatMessage.objects.filter(room=room, pk=message_id).exclude(guest_key="").first()
    if message is None:
        raise ChatError("invalid", _("There is no guest's message %(id)s in this room.") % {"id": message_id})
    until = mute_guest(room_id=room.pk, guest_key=message.guest_key, minutes=minutes)
    ChatModerationLog.objects.create(
        room=room, actor=actor, action=ModerationAction.MUTE, message=message, detail=f"guest, {minutes} min"
    )
    return until


@transaction.atomic
def set_slow_mode(*, room: ChatRoom, actor: User, seconds: object, moderator: bool | None = None) -> ChatRoom:
    _require_moderator(actor, room, moderator)
    room.slow_mode_seconds = _whole_number(seconds, field="seconds", low=0, high=SLOW_MODE_MAX_SECONDS)
    room.save(update_fields=["slow_mode_seconds", "updated"])
    ChatModerationLog.objects.create(
        room=room, actor=actor, action=ModerationAction.SLOW_MODE, detail=f"{room.slow_mode_seconds} s"
    )
    return room


@transaction.atomic
def set_room_opening(*, room: ChatRoom, actor: User, override: object, moderator: bool | None = None) -> ChatRoom:
    """Open or close the room by hand, or hand it back to the time window ("auto")."""
    _require_moderator(actor, room, moderator)
    if override not in RoomOverride.values:
        raise ChatError("invalid", _("state must be one of: %(v)s.") % {"v": ", ".join(RoomOverride.values)})
    room.override = override
    room.save(update_fields=["override", "updated"])
    ChatModerationLog.objects.create(room=room, actor=actor, action=ModerationAction.OPENING, detail=str(override))
    return room
