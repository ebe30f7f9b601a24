"""What stays with a session after it: the messages and questions members left public.

Moderators' deletions and messages their authors hid are left out; everything else is
read in a fixed number of queries whatever the size of the room.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db.models import Count, F, Q, QuerySet

from events.models import ChatMessage, ChatRoom

PAGE_SHOWN = 500
NOT_QUOTABLE = "(not quotable: the author has not agreed to be quoted)"


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
        members=Count("author", distinct=True),
        guests=Count("guest_key", filter=~Q(guest_key=""), distinct=True),
    )
    counts["participants"] = counts.pop("members") + counts.pop("guests")
    return TranscriptSummary(**counts)


def transcript_questions(*, room: ChatRoom) -> list[ChatMessage]:
    """The questions by votes, most first, then in the order they were asked."""
    return list(transcript_messages(room=room).filter(is_question=True).order_by("-votes", "id"))


def with_quotable(messages: QuerySet[ChatMessage]) -> QuerySet[ChatMessage]:
    """Mark each message with its author's privacy choice "may be quoted in practice stories" (same query).

    The moderators' exports are the material stories are drawn from: a member who has not
    agreed (the default), or whose account is gone, is not quoted there.
    """
    return messages.annotate(author_quotable=F("author__profile__quotable"))


def _quoted(message: ChatMessage) -> str:
    return _md(message.text) if message.author_quotable else "*" + _md(NOT_QUOTABLE) + "*"


def transcript_markdown(*, room: ChatRoom) -> str:
    """The transcript as Markdown for moderators to keep or publish elsewhere (plain text, no HTML)."""
    event = room.event
    summary = transcript_summary(room=room)
    lines = [
        f"# {event.title}",
        "",
        f"{event.start:%Y-%m-%d %H:%M} UTC · {summary.messages} messages, {summary.questions} questions "
        f"({summary.answered} answered), {summary.participants} participants",
        "",
    ]
    questions = list(with_quotable(transcript_messages(room=room).filter(is_question=True)).order_by("-votes", "id"))
    if questions:
        lines += ["## Questions", ""]
        lines += [
            f"- **{q.votes}** · {_md(q.author_name)}: {_quoted(q)}" + (" *(answered)*" if q.answered_at else "")
            for q in questions
        ]
        lines.append("")
    lines += ["## Messages", ""]
    lines += [
        f"- {m.created:%H:%M} **{_md(m.author_name)}**: {_quoted(m)}"
        for m in with_quotable(transcript_messages(room=room))
    ]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """One line of Markdown that renders as the text typed: markup characters escaped, line breaks kept."""
    escaped = "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|" else c for c in text)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n  ")


def transcript_document(*, room: ChatRoom) -> dict:
    """The transcript as one JSON document (the export; the API pages the same rows)."""
    return {
        "event": {"id": room.event_id, "title": room.event.title, "start": room.event.start.isoformat()},
        "summary": asdict(transcript_summary(room=room)),
        "messages": [
            {
                "id": m.pk,
                "author": {"id": m.author_id, "name": m.author_name, "guest": m.by_guest},
                "text": m.text,
                "html": m.html,
                "created": m.created.isoformat(),
                "question": m.is_question,
                "votes": m.votes,
                "answered": m.answered_at is not None,
                "quotable": bool(m.author_quotable),
            }
            for m in with_quotable(transcript_messages(room=room))
        ],
    }
