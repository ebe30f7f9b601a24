"""The chat's wire format: JSON text frames with a ``type``, parsed and built only here.

Server frames are serialised once per event (``encode``) and the same string goes to
every member; nothing per recipient is added, so the fan-out never re-serialises.
The protocol is documented in the README (frame types and fields).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from events.chat.errors import ChatError
from events.models import ChatMessage

# Bigger than any valid frame (2,000 characters, each at most 6 bytes as a JSON escape),
# small enough that a 1 MB frame is refused before json.loads looks at it.
MAX_FRAME_CHARS = 16_384

CLIENT_TYPES = frozenset(
    {"post", "resume", "vote", "answer", "delete", "mute", "slow_mode", "set_state", "hide", "ping"}
)


def encode(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def parse_client_frame(text: str | None) -> dict[str, Any]:
    """A client frame as a dict with a known ``type``; ChatError("invalid") for anything else."""
    if text is None:
        raise ChatError("invalid", _("Send JSON text frames, not binary."))
    if len(text) > MAX_FRAME_CHARS:
        raise ChatError("invalid", _("The frame is too large (over %(n)d characters).") % {"n": MAX_FRAME_CHARS})
    try:
        frame = json.loads(text)
    except ValueError:
        raise ChatError("invalid", _("The frame is not valid JSON.")) from None
    if not isinstance(frame, dict):
        raise ChatError("invalid", _("A frame must be a JSON object with a type."))
    kind = frame.get("type")
    if kind not in CLIENT_TYPES:
        raise ChatError(
            "invalid",
            _("Unknown frame type %(t)s; expected one of: %(all)s.")
            % {"t": json.dumps(kind)[:40], "all": ", ".join(sorted(CLIENT_TYPES))},
        )
    return frame


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def message_payload(message: ChatMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "client_id": message.client_id,
        "author": {"id": message.author_id, "name": message.author_name, "guest": message.by_guest},
        "text": message.text,
        "html": message.html,
        "created": _iso(message.created),
        "question": message.is_question,
        "votes": message.votes,
        "answered": message.answered_at is not None,
    }


def message_frame(message: ChatMessage) -> str:
    return encode({"type": "message", **message_payload(message)})


def history_frame(
    messages: Iterable[ChatMessage],
    *,
    more: bool,
    deleted: list[int] | None = None,
    questions: list[ChatMessage] | None = None,
) -> str:
    """Messages after the client's last one, plus what changed among those it holds:
    deletions and the questions' current votes and answered marks."""
    payload: dict[str, Any] = {"type": "history", "messages": [message_payload(m) for m in messages], "more": more}
    if deleted is not None:
        payload["deleted"] = deleted
    if questions is not None:
        payload["questions"] = [message_payload(m) for m in questions]
    return encode(payload)


def error_frame(error: ChatError, *, client_id: object = None) -> str:
    payload: dict[str, Any] = {"type": "error", "code": error.code, "message": str(error.message)}
    if isinstance(client_id, str):
        payload["client_id"] = client_id[:64]
    if error.retry_after is not None:
        payload["retry_after"] = error.retry_after
    return encode(payload)


def room_frame(
    *,
    room_id: int,
    title: str,
    state: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    slow_mode: int,
    can_post: bool,
    can_moderate: bool,
    me: dict[str, Any] | None,
    muted_until: dt.datetime | None,
    presence: int,
    history: list[ChatMessage],
    questions: list[ChatMessage],
    voted: list[int],
    more: bool = False,
    deleted: list[int] | None = None,
    guest: bool = False,
) -> str:
    return encode(
        {
            "type": "room",
            "room": room_id,
            "title": title,
            "state": state,
            "opens_at": _iso(opens_at),
            "closes_at": _iso(closes_at),
            "slow_mode": slow_mode,
            "can_post": can_post,
            "can_moderate": can_moderate,
            "me": me,
            "muted_until": _iso(muted_until),
            "presence": presence,
            "history": [message_payload(m) for m in history],
            "more": more,
            "questions": [message_payload(m) for m in questions],
            "voted": voted,
            "deleted": deleted or [],
            "guest": guest,
        }
    )


def state_frame(*, state: str, slow_mode: int) -> str:
    return encode({"type": "state", "state": state, "slow_mode": slow_mode})


def presence_frame(count: int) -> str:
    return encode({"type": "presence", "count": count})


def deleted_frame(message_id: int) -> str:
    return encode({"type": "deleted", "id": message_id})


def votes_frame(message: ChatMessage) -> str:
    return encode({"type": "votes", "id": message.pk, "votes": message.votes})


def answered_frame(message_id: int) -> str:
    return encode({"type": "answered", "id": message_id})


def muted_frame(*, user_id: int, until: dt.datetime) -> str:
    return encode({"type": "muted", "user_id": user_id, "until": _iso(until)})


def hidden_frame(*, message_id: int, hidden: bool) -> str:
    return encode({"type": "hidden", "id": message_id, "hidden": hidden})


PONG = encode({"type": "pong"})
