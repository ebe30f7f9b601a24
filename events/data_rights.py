"""The events side of a member's data: what goes in their archive, what deletion does here.

Registered into community/data_rights.py from ``EventsConfig.ready`` (community never
imports events). Chat messages the member leaves behind stay in transcripts under
"a former member"; with ``remove_contributions`` their text is removed too (the row stays,
marked deleted, so resuming clients and question ids keep their order).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from community.data_rights import register_eraser, register_exporter
from community.models import User
from events.models import (
    ChatMessage,
    ChatModerationLog,
    ChatMute,
    EventFollow,
    OrganisationFollow,
    QuestionVote,
    ThemeFollow,
)

FORMER_MEMBER = "a former member"


def export_chat_messages(*, user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "event_id": m.room.event_id,
            "event": m.room.event.title,
            "text": m.text,
            "is_question": m.is_question,
            "votes": m.votes,
            "answered_at": m.answered_at,
            "hidden_by_you": m.hidden_by_author,
            "deleted_by_moderator": m.deleted_at is not None,
            "created": m.created,
        }
        for m in ChatMessage.objects.filter(author=user).select_related("room__event").order_by("pk")
    ]


def export_question_votes(*, user: User) -> list[dict[str, Any]]:
    return list(
        QuestionVote.objects.filter(user=user)
        .order_by("pk")
        .values("message_id", "message__text", "message__room__event_id", "created")
    )


def export_event_follows(*, user: User) -> dict[str, list]:
    return {
        "events": list(EventFollow.objects.filter(user=user).values("event_id", "event__title")),
        "organisations": list(OrganisationFollow.objects.filter(user=user).values("organisation__slug")),
        "themes": list(ThemeFollow.objects.filter(user=user).values("theme__slug")),
    }


def erase_events_data(*, user: User, remove_contributions: bool) -> None:
    """Follows and mutes go; chat messages stay under "a former member" (or lose their text); logs lose the person."""
    for model in (EventFollow, OrganisationFollow, ThemeFollow, ChatMute):
        model.objects.filter(user=user).delete()
    ChatMute.objects.filter(by=user).update(by=None)
    ChatModerationLog.objects.filter(actor=user).update(actor=None)
    ChatModerationLog.objects.filter(target_user=user).update(target_user=None)
    ChatMessage.objects.filter(deleted_by=user).update(deleted_by=None)
    messages = ChatMessage.objects.filter(author=user)
    if remove_contributions:
        messages.filter(deleted_at__isnull=True).update(deleted_at=timezone.now())
        messages.update(text="", html="", author_name=gettext(FORMER_MEMBER))
    else:
        messages.update(author_name=gettext(FORMER_MEMBER))


def register() -> None:
    register_exporter("chat_messages", export_chat_messages)
    register_exporter("question_votes", export_question_votes)
    register_exporter("event_follows", export_event_follows)
    register_eraser(erase_events_data)
