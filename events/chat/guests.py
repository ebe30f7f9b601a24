"""Guests in a chat room: visitors who are not signed in, when ``CHAT_GUEST_POSTING`` is on.

A guest is their browser session (the event page gives a visitor one when guest posting
is on), known to the chat only as a hash of its key, with the display name they type.
Mutes for guests live in the shared cache (Redis in production), so every process
honours them; a guest who clears their cookies is a new guest, which is why the setting
is off by default and moderators keep delete, mute and slow mode.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from events.chat.errors import ChatError
from events.rules import clean_line

GUEST_NAME_MAX = 60
# Direction overrides and invisible characters: a guest could otherwise pose as "Ana" with
# a name that reads differently than it compares, or as a blank name.
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def guest_key_of(session) -> str:
    """The guest's key for a session (empty when there is none or guests may not post)."""
    session_key = getattr(session, "session_key", None)
    if not settings.CHAT_GUEST_POSTING or not session_key:
        return ""
    return hashlib.sha256(f"praxis-chat-guest:{session_key}".encode()).hexdigest()[:32]


def clean_guest_name(name: object) -> str:
    name = clean_line(_INVISIBLE_RE.sub("", name)) if isinstance(name, str) else ""
    if not name:
        raise ChatError("invalid", _("Give a display name to post as a guest."))
    if len(name) > GUEST_NAME_MAX:
        raise ChatError("invalid", _("A display name can have at most %(max)d characters.") % {"max": GUEST_NAME_MAX})
    return name


def _mute_key(room_id: int, guest_key: str) -> str:
    return f"chat:guest-mute:{room_id}:{guest_key}"


def guest_muted_until(*, room_id: int, guest_key: str) -> dt.datetime | None:
    if not guest_key:
        return None
    until = cache.get(_mute_key(room_id, guest_key))
    return until if until is not None and until > timezone.now() else None


def mute_guest(*, room_id: int, guest_key: str, minutes: int) -> dt.datetime:
    until = timezone.now() + dt.timedelta(minutes=minutes)
    cache.set(_mute_key(room_id, guest_key), until, timeout=minutes * 60)
    return until
