import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import ChatRoom
from tests.events.factories_chat import ChatMessageFactory, live_session, member
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    return ChatRoom.objects.create(event=live_session())


def _url(room) -> str:
    return f"/api/v1/events/{room.event_id}/transcript/"


def test_transcript_lists_public_messages_with_summary_and_leaves_out_hidden_and_deleted(client, room):
    asker, other = member("Asker"), member("Other")
    question = ChatMessageFactory(room=room, author=asker, is_question=True, votes=3, answered_at=timezone.now())
    said = ChatMessageFactory(room=room, author=other, text="Thanks", html="<p>Thanks</p>")
    ChatMessageFactory(room=room, author=other, hidden_by_author=True)
    ChatMessageFactory(room=room, author=other, deleted_at=timezone.now())
    body = client.get(_url(room)).json()
    assert body["summary"] == {"messages": 2, "questions": 1, "answered": 1, "participants": 2}
    assert [m["id"] for m in body["results"]] == [question.pk, said.pk]
    assert body["results"][1] == {
        "id": said.pk,
        "author": {"id": other.pk, "name": "Other", "guest": False},
        "text": "Thanks",
        "html": "<p>Thanks</p>",
        "created": said.created.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "question": False,
        "votes": 0,
        "answered": False,
    }
    assert (body["results"][0]["votes"], body["results"][0]["answered"]) == (3, True)


def test_transcript_pages_follow_next_links_without_gaps(client, room):
    rows = ChatMessageFactory.create_batch(7, room=room)
    seen, url = [], _url(room) + "?page_size=3"
    while url:
        body = client.get(url).json()
        seen += [m["id"] for m in body["results"]]
        url = body["next"]
    assert seen == [m.pk for m in rows]


def _queries(client, url: str, rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(response.json()["results"]) == rows
    return len(queries)


def test_transcript_query_count_is_the_same_for_1_and_50_messages(client, room):
    ChatMessageFactory(room=room, is_question=True)
    one = _queries(client, _url(room) + "?page_size=50", 1)
    ChatMessageFactory.create_batch(49, room=room)
    assert _queries(client, _url(room) + "?page_size=50", 50) == one
    assert one == 3  # room, page, summary


def test_transcript_of_an_event_without_a_room_is_a_404_problem(client):
    event = EventFactory()
    response = client.get(f"/api/v1/events/{event.pk}/transcript/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")
    assert response.json()["detail"] == f"No public event with a chat room has id {event.pk}."


def test_transcript_of_a_removed_event_is_a_404(client, room):
    room.event.removed_at = timezone.now()
    room.event.save(update_fields=["removed_at"])
    assert client.get(_url(room)).status_code == 404


def test_transcript_unknown_parameter_is_a_400_naming_it(client, room):
    response = client.get(_url(room) + "?sort=votes")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["sort"])
