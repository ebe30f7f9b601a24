"""Posting, reading back and hiding chat messages.

``post_message`` stores first and returns the row; the caller broadcasts after, so a
message that anyone saw is always in the database and a resuming client can fetch it.
A retry with the same ``client_id`` returns the stored row instead of a second one.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import User
from community.sanitise import linkify_text
from events.chat.errors import ChatError
from events.chat.guests import clean_guest_name, guest_muted_until
from events.chat.rooms import OPEN, can_moderate, display_name_of, muted_until, room_window
from events.models import ChatMessage, ChatRoom, QuestionVote

HISTORY_SIZE = 50
RESUME_MAX = 1000
QUESTIONS_SHOWN = 200
CLIENT_ID_MAX = 64


def _check_client_id(client_id: object) -> str:
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= CLIENT_ID_MAX:
        raise ChatError("invalid", _("client_id must be a string of 1 to %(n)d characters.") % {"n": CLIENT_ID_MAX})
    return client_id


def _take_rate_token(*, room: ChatRoom, poster: str, now: dt.datetime, moderator: bool) -> None:
    """Per member per room, in the shared cache so every process counts the same messages.

    A fixed window (``CHAT_RATE_MESSAGES`` per ``CHAT_RATE_SECONDS``) keyed by its number:
    two cache round trips, no clock shared between processes beyond the cache's own TTLs.
    """
    seconds = max(settings.CHAT_RATE_SECONDS, 1)
    stamp = int(now.timestamp())
    key = f"chat:rate:{room.pk}:{poster}:{stamp // seconds}"
    cache.add(key, 0, timeout=seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds * 2)
        count = 1
    if count > settings.CHAT_RATE_MESSAGES:
        raise ChatError(
            "rate_limited",
            _("You can send %(n)d messages every %(s)d seconds; wait a moment.")
            % {"n": settings.CHAT_RATE_MESSAGES, "s": seconds},
            retry_after=seconds - stamp % seconds,
        )
    if room.slow_mode_seconds and not moderator:
        slow_key = f"chat:slow:{room.pk}:{poster}"
        if not cache.add(slow_key, 1, timeout=room.slow_mode_seconds):
            raise ChatError(
                "rate_limited",
                _("Slow mode is on: one message every %(s)d seconds.") % {"s": room.slow_mode_seconds},
                retry_after=room.slow_mode_seconds,
            )


def post_message(
    *,
    room: ChatRoom,
    user: User,
    text: object,
    client_id: object,
    as_question: bool = False,
    moderator: bool | None = None,
    now: dt.datetime | None = None,
    guest_key: str = "",
    guest_name: object = None,
) -> tuple[ChatMessage, bool]:
    """Store a member's message (or question); returns it and whether it is new.

    Checks that cost nothing come first (malformed frame, signed out, empty, too_long),
    then the room (closed), the member (forbidden: muted) and last the pace
    (rate_limited), so a refused message never uses up a rate token. A repeated
    ``client_id`` is answered with the stored message before any of these, so a retry
    after a dropped connection never fails or duplicates.
    """
    now = now or timezone.now()
    client_id = _check_client_id(client_id)
    if not isinstance(text, str):
        raise ChatError("invalid", _("text must be a string."))
    if not user.is_authenticated:
        if not guest_key:
            raise ChatError("forbidden", _("Sign in to post in the chat."))
        return _post_as_guest(
            room=room, guest_key=guest_key, name=guest_name, text=text, client_id=client_id,
            as_question=as_question, now=now,
        )  # fmt: skip
    existing = ChatMessage.objects.filter(room=room, author=user, client_id=client_id).first()
    if existing is not None:
        return existing, False
    text = _check_text(text)
    _check_open(room, now)
    # An open socket keeps the user it connected with: re-read whether the account was deactivated or deleted since.
    user.refresh_from_db(fields=["is_active"])
    if not user.is_active:
        raise ChatError("forbidden", _("This account cannot post."))
    until = muted_until(user=user, room=room, now=now)
    if until is not None:
        raise ChatError("forbidden", _("A moderator muted you in this room until %(t)s UTC.") % {"t": f"{until:%H:%M}"})
    if moderator is None:
        moderator = can_moderate(user=user, room=room)
    _take_rate_token(room=room, poster=f"u{user.pk}", now=now, moderator=moderator)
    try:
        with transaction.atomic():
            message = ChatMessage.objects.create(
                room=room,
                author=user,
                author_name=display_name_of(user),
                client_id=client_id,
                text=text,
                html=linkify_text(text),
                is_question=bool(as_question),
            )
    except IntegrityError:  # the same client_id raced in on another connection
        return ChatMessage.objects.get(room=room, author=user, client_id=client_id), False
    return message, True


def _check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ChatError("invalid", _("The message is empty."))
    if len(text) > settings.CHAT_MAX_CHARS:
        raise ChatError(
            "too_long",
            _("A message can have at most %(max)d characters; this one has %(n)d.")
            % {"max": settings.CHAT_MAX_CHARS, "n": len(text)},
        )
    return text


def _check_open(room: ChatRoom, now: dt.datetime) -> None:
    # A moderator may have closed the room or switched slow mode from another process.
    room.refresh_from_db(fields=["override", "slow_mode_seconds"])
    if room_window(room=room, now=now).state != OPEN:
        raise ChatError("closed", _("The room is read-only: it is not open for messages now."))


def _post_as_guest(
    *, room: ChatRoom, guest_key: str, name: object, text: str, client_id: str, as_question: bool, now: dt.datetime
) -> tuple[ChatMessage, bool]:
    """The same checks in the same order as a member's post, for a visitor's session."""
    existing = ChatMessage.objects.filter(room=room, guest_key=guest_key, client_id=client_id).first()
    if existing is not None:
        return existing, False
    name = clean_guest_name(name)
    text = _check_text(text)
    _check_open(room, now)
    until = guest_muted_until(room_id=room.pk, guest_key=guest_key)
    if until is not None:
        raise ChatError("forbidden", _("A moderator muted you in this room until %(t)s UTC.") % {"t": f"{until:%H:%M}"})
    _take_rate_token(room=room, poster=f"g{guest_key}", now=now, moderator=False)
    try:
        with transaction.atomic():
            message = ChatMessage.objects.create(
                room=room,
                author=None,
                guest_key=guest_key,
                author_name=name,
                client_id=client_id,
                text=text,
                html=linkify_text(text),
                is_question=bool(as_question),
            )
    except IntegrityError:
        return ChatMessage.objects.get(room=room, guest_key=guest_key, client_id=client_id), False
    return message, True


def _visible(room: ChatRoom):
    return ChatMessage.objects.filter(room=room, deleted_at__isnull=True)


def recent_messages(*, room: ChatRoom, limit: int = HISTORY_SIZE) -> list[ChatMessage]:
    """The last ``limit`` messages, oldest first."""
    rows = list(_visible(room).order_by("-id")[:limit])
    rows.reverse()
    return rows


def messages_after(*, room: ChatRoom, after: int, limit: int = RESUME_MAX) -> list[ChatMessage]:
    """Everything after message ``after``, oldest first (at most ``limit``; the client asks again from the last)."""
    return list(_visible(room).filter(id__gt=after).order_by("id")[:limit])


def deleted_before(*, room: ChatRoom, after: int, window: int = RESUME_MAX) -> list[int]:
    """Ids of messages a reconnecting client may still show that were deleted meanwhile.

    A client that saw everything up to ``after`` holds at most the last ``window``
    messages before it; of those, the deleted ones are replayed so a deletion made while
    it was away is not missed. The scan is bounded by ``window`` whatever the room's size.
    """
    held = ChatMessage.objects.filter(room=room, id__lte=after).order_by("-id").values("id")[:window]
    return list(
        ChatMessage.objects.filter(id__in=held, deleted_at__isnull=False).order_by("id").values_list("id", flat=True)
    )


def open_questions(*, room: ChatRoom, limit: int = QUESTIONS_SHOWN) -> list[ChatMessage]:
    """The room's questions by votes, most first; answered ones included (the client shows the mark)."""
    return list(_visible(room).filter(is_question=True).order_by("-votes", "id")[:limit])


def voted_question_ids(*, room: ChatRoom, user: User) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(
        QuestionVote.objects.filter(message__room=room, user=user)
        .order_by("message_id")
        .values_list("message_id", flat=True)
    )


def upvote_question(*, room: ChatRoom, user: User, message_id: object) -> tuple[ChatMessage, bool]:
    """One vote per member per question; returns the question and whether this vote counted."""
    if not user.is_authenticated:
        raise ChatError("forbidden", _("Sign in to vote."))
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ChatError("invalid", _("id must be a message id."))
    question = _visible(room).filter(pk=message_id, is_question=True).first()
    if question is None:
        raise ChatError("invalid", _("There is no question %(id)s in this room.") % {"id": message_id})
    try:
        with transaction.atomic():
            QuestionVote.objects.create(message=question, user=user)
            ChatMessage.objects.filter(pk=question.pk).update(votes=F("votes") + 1)
    except IntegrityError:
        return question, False
    question.refresh_from_db(fields=["votes"])
    return question, True


def hide_own_message(*, room: ChatRoom, user: User, message_id: object, hidden: bool = True) -> ChatMessage:
    """A member hides (or shows again) their own message in the public transcript."""
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ChatError("invalid", _("id must be a message id."))
    message = _visible(room).filter(pk=message_id).first()
    if message is None or not user.is_authenticated or message.author_id != user.pk:
        raise ChatError("forbidden", _("You can hide only your own messages."))
    message.hidden_by_author = hidden
    message.save(update_fields=["hidden_by_author"])
    return message
