"""What stays with a session after it: the messages and questions members left public.

Moderators' deletions and messages their authors hid are left out; everything else is
read in a fixed number of queries whatever the size of the room.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from events.models import ChatMessage, ChatRoom

PAGE_SHOWN = 500


def transcript_messages(*, room: ChatRoom) -> QuerySet[ChatMessage]:
    """The public transcript in the order it was said."""
    return ChatMessage.objects.filter(room=room, deleted_at__isnull=True, hidden_by_author=False).order_by("id")


@dataclass(frozen=True)
class TranscriptSummary:
    messages: int
    questions: int
    answered: int
    participants: int


def transcript_summary(*, room: ChatRoom) -> TranscriptSummary:
    """Counts for the transcript's heading, in one query."""
    counts = transcript_messages(room=room).aggregate(
        messages=Count("id"),
        questions=Count("id", filter=Q(is_question=True)),
        answered=Count("id", filter=Q(is_question=True, answered_at__isnull=False)),
        participants=Count("author", distinct=True),
    )
    return TranscriptSummary(**counts)


def transcript_questions(*, room: ChatRoom) -> list[ChatMessage]:
    """The questions by votes, most first, then in the order they were asked."""
    return list(transcript_messages(room=room).filter(is_question=True).order_by("-votes", "id"))
