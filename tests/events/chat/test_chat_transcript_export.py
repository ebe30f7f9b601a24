import datetime as dt

import pytest
from django.utils import timezone

from community.models import Profile, Role
from events.models import ChatRoom
from tests.events.factories_chat import ChatMessageFactory, member
from tests.factories import MembershipFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    start = dt.datetime(2026, 5, 23, 9, 0, tzinfo=dt.UTC)
    return ChatRoom.objects.create(
        event=SessionFactory(title="Opening", start=start, end=start + dt.timedelta(hours=1))
    )


@pytest.fixture
def moderator(room):
    user = member("Mod")
    MembershipFactory(organisation=room.event.organiser, user=user, role=Role.EDITOR)
    return user


def test_moderator_exports_the_transcript_as_markdown_with_markup_escaped(client, room, moderator):
    asker = member("Ana")
    Profile.objects.filter(user=asker).update(quotable=True)
    question = ChatMessageFactory(
        room=room, author=asker, text="Why *this*?", is_question=True, votes=2, answered_at=timezone.now()
    )
    message = ChatMessageFactory(room=room, author=asker, text="Thanks [all]")
    ChatMessageFactory(room=room, author=asker, text="removed", deleted_at=timezone.now())
    client.force_login(moderator)
    response = client.get(f"/events/{room.event_id}/transcript.md")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "# Opening",
        "",
        "2026-05-23 09:00 UTC · 2 messages, 1 questions (1 answered), 1 participants",
        "",
        "## Questions",
        "",
        "- **2** · Ana: Why \\*this\\*? *(answered)*",
        "",
        "## Messages",
        "",
        f"- {question.created:%H:%M} **Ana**: Why \\*this\\*?",
        f"- {message.created:%H:%M} **Ana**: Thanks \\[all\\]",
    ]


def test_the_markdown_export_quotes_only_members_who_agreed_to_be_quoted(client, room, moderator):
    shy = member("Ben")  # the privacy-friendly default: not quotable
    message = ChatMessageFactory(room=room, author=shy, text="My own words")
    client.force_login(moderator)
    lines = client.get(f"/events/{room.event_id}/transcript.md").content.decode().splitlines()
    assert lines[-1] == (
        f"- {message.created:%H:%M} **Ben**: *\\(not quotable: the author has not agreed to be quoted\\)*"
    )
    assert "My own words" not in "\n".join(lines)


def test_moderator_exports_the_transcript_as_json(client, room, moderator):
    ChatMessageFactory(room=room, text="hello")
    client.force_login(moderator)
    body = client.get(f"/events/{room.event_id}/transcript.json").json()
    assert (body["event"]["title"], body["summary"]["messages"], [m["text"] for m in body["messages"]]) == (
        "Opening",
        1,
        ["hello"],
    )
    assert [m["quotable"] for m in body["messages"]] == [False]  # the text is there for moderation, marked


def test_member_cannot_export_the_transcript(client, room):
    client.force_login(member())
    assert client.get(f"/events/{room.event_id}/transcript.md").status_code == 403


def test_moderator_sees_export_links_on_the_transcript(client, room, moderator):
    client.force_login(moderator)
    html = client.get(room.event.get_absolute_url()).content.decode()
    assert f'href="/events/{room.event_id}/transcript.md"' in html
