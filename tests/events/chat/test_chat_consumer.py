"""The chat socket through the real ASGI application: origin check, session auth, routing."""

import datetime as dt
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from community.models import Role
from config.asgi import application
from events.models import ChatMessage, ChatRoom
from tests.events.factories_chat import ChatMessageFactory, live_session, member, session_cookie
from tests.factories import EventFactory, MembershipFactory, SessionFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def socket(event_id: int, *, cookie: str | None = None, origin: str = "http://localhost", query: str = ""):
    headers = [(b"host", b"localhost"), (b"origin", origin.encode())]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, f"/ws/chat/{event_id}/{query}", headers=headers)


async def receive(communicator, *, skip=("presence",)) -> dict:
    """The next frame that is not one of ``skip`` (presence arrives on its own clock)."""
    while True:
        frame = await communicator.receive_json_from(timeout=3)
        if frame["type"] not in skip:
            return frame


async def open_socket(event_id: int, **kwargs):
    communicator = socket(event_id, **kwargs)
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    return communicator, await receive(communicator)


@pytest.fixture
def session():
    return live_session(title="Good practices for school success")


@pytest.fixture
def lucia():
    return member("Lucía")


@pytest.fixture
def lucia_cookie(lucia):
    return session_cookie(lucia)


async def test_connect_sends_room_state_with_history_presence_and_can_post(session, lucia, lucia_cookie):
    room = await database_sync_to_async(ChatRoom.objects.create)(event=session)
    rows = await database_sync_to_async(ChatMessageFactory.create_batch)(52, room=room)
    communicator, state = await open_socket(session.pk, cookie=lucia_cookie)
    assert {key: state[key] for key in ("type", "room", "title", "state", "can_post", "can_moderate", "presence")} == {
        "type": "room",
        "room": session.pk,
        "title": "Good practices for school success",
        "state": "open",
        "can_post": True,
        "can_moderate": False,
        "presence": 1,
    }
    assert state["me"] == {"id": lucia.pk, "name": "Lucía"}
    assert [m["id"] for m in state["history"]] == [m.pk for m in rows[2:]]
    await communicator.disconnect()


async def test_anonymous_visitor_reads_but_cannot_post(session):
    communicator, state = await open_socket(session.pk)
    assert (state["can_post"], state["me"]) == (False, None)
    await communicator.send_json_to({"type": "post", "text": "hi", "client_id": "a"})
    assert await receive(communicator) == {
        "type": "error",
        "code": "forbidden",
        "message": "Sign in to post in the chat.",
        "client_id": "a",
    }
    await communicator.disconnect()


async def test_post_is_stored_then_broadcast_to_every_member_with_its_client_id(session, lucia, lucia_cookie):
    reader, _ = await open_socket(session.pk)
    writer, _ = await open_socket(session.pk, cookie=lucia_cookie)
    await writer.send_json_to({"type": "post", "text": "Hello https://praxis.example", "client_id": "k1"})
    to_writer, to_reader = await receive(writer), await receive(reader)
    stored = await database_sync_to_async(ChatMessage.objects.get)()
    assert to_writer == to_reader
    assert to_writer == {
        "type": "message",
        "id": stored.pk,
        "client_id": "k1",
        "author": {"id": lucia.pk, "name": "Lucía", "guest": False},
        "text": "Hello https://praxis.example",
        "html": '<p>Hello <a href="https://praxis.example" rel="nofollow ugc noopener">https://praxis.example</a></p>',
        "created": stored.created.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "question": False,
        "votes": 0,
        "answered": False,
    }
    await reader.disconnect()
    await writer.disconnect()


async def test_post_retried_with_the_same_client_id_is_confirmed_not_duplicated(session, lucia_cookie):
    writer, _ = await open_socket(session.pk, cookie=lucia_cookie)
    await writer.send_json_to({"type": "post", "text": "once", "client_id": "same"})
    first = await receive(writer)
    await writer.disconnect()
    again, state = await open_socket(session.pk, cookie=lucia_cookie, query=f"?after={first['id']}")
    await again.send_json_to({"type": "post", "text": "once", "client_id": "same"})
    confirmation = await receive(again)
    count = await database_sync_to_async(ChatMessage.objects.count)()
    assert (state["history"], confirmation["id"], confirmation["client_id"], count) == ([], first["id"], "same", 1)
    await again.disconnect()


async def test_reconnect_with_after_gets_every_later_message_once(session, lucia_cookie):
    room = await database_sync_to_async(ChatRoom.objects.create)(event=session)
    rows = await database_sync_to_async(ChatMessageFactory.create_batch)(80, room=room)
    communicator, state = await open_socket(session.pk, cookie=lucia_cookie, query=f"?after={rows[9].pk}")
    assert [m["id"] for m in state["history"]] == [m.pk for m in rows[10:]]
    await communicator.disconnect()


async def test_resume_frame_sends_what_was_missed_without_repeating_history(session, lucia_cookie):
    room = await database_sync_to_async(ChatRoom.objects.create)(event=session)
    rows = await database_sync_to_async(ChatMessageFactory.create_batch)(60, room=room)
    communicator, state = await open_socket(session.pk, cookie=lucia_cookie)
    assert state["history"][0]["id"] == rows[10].pk
    await communicator.send_json_to({"type": "resume", "after": rows[4].pk})
    history = await receive(communicator)
    assert ([m["id"] for m in history["messages"]], history["more"]) == ([m.pk for m in rows[5:10]], False)
    await communicator.disconnect()


def _delete_and_vote(room, rows, voter):
    """What happens while a client is away: a moderator deletes two messages it had seen
    and a question it had seen gets a vote and the answered mark."""
    from events.models import QuestionVote

    now = timezone.now()
    ChatMessage.objects.filter(pk__in=[rows[3].pk, rows[7].pk]).update(deleted_at=now)
    question = rows[5]
    ChatMessage.objects.filter(pk=question.pk).update(is_question=True, votes=1, answered_at=now)
    QuestionVote.objects.create(message=question, user=voter)
    return question


async def test_reconnect_replays_deletions_votes_and_answers_made_while_away(session, lucia, lucia_cookie):
    room = await database_sync_to_async(ChatRoom.objects.create)(event=session)
    rows = await database_sync_to_async(ChatMessageFactory.create_batch)(10, room=room)
    question = await database_sync_to_async(_delete_and_vote)(room, rows, lucia)
    communicator, state = await open_socket(session.pk, cookie=lucia_cookie, query=f"?after={rows[9].pk}")
    assert state["history"] == []
    assert state["deleted"] == [rows[3].pk, rows[7].pk]
    assert [(q["id"], q["votes"], q["answered"]) for q in state["questions"]] == [(question.pk, 1, True)]
    await communicator.disconnect()


async def test_resume_frame_replays_deletions_and_question_state(session, lucia, lucia_cookie):
    room = await database_sync_to_async(ChatRoom.objects.create)(event=session)
    rows = await database_sync_to_async(ChatMessageFactory.create_batch)(10, room=room)
    communicator, _ = await open_socket(session.pk, cookie=lucia_cookie)
    question = await database_sync_to_async(_delete_and_vote)(room, rows, lucia)
    await communicator.send_json_to({"type": "resume", "after": rows[9].pk})
    history = await receive(communicator)
    assert (history["messages"], history["deleted"]) == ([], [rows[3].pk, rows[7].pk])
    assert [(q["id"], q["votes"], q["answered"]) for q in history["questions"]] == [(question.pk, 1, True)]
    await communicator.disconnect()


async def test_a_first_connect_replays_no_deletions(session, lucia_cookie):
    room = await database_sync_to_async(ChatRoom.objects.create)(event=session)
    rows = await database_sync_to_async(ChatMessageFactory.create_batch)(3, room=room)
    await database_sync_to_async(ChatMessage.objects.filter(pk=rows[0].pk).update)(deleted_at=timezone.now())
    communicator, state = await open_socket(session.pk, cookie=lucia_cookie)
    assert (state["deleted"], [m["id"] for m in state["history"]]) == ([], [rows[1].pk, rows[2].pk])
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "The frame is not valid JSON."),
        ('["post"]', "A frame must be a JSON object with a type."),
        ('{"type": "shout"}', None),
        ("x" * 1_048_576, "The frame is too large (over 16384 characters)."),
        ('{"type": "resume", "after": "yesterday"}', "after must be the id of the last message you saw (0 for all)."),
    ],
)
async def test_bad_frames_get_an_invalid_error_and_the_connection_stays_open(session, lucia_cookie, raw, message):
    communicator, _ = await open_socket(session.pk, cookie=lucia_cookie)
    await communicator.send_to(text_data=raw)
    error = await receive(communicator)
    assert (error["type"], error["code"]) == ("error", "invalid")
    if message:
        assert error["message"] == message
    await communicator.send_json_to({"type": "ping"})
    assert await receive(communicator) == {"type": "pong"}
    await communicator.disconnect()


async def test_post_too_long_and_rate_limited_get_error_frames(session, lucia_cookie, settings):
    settings.CHAT_RATE_MESSAGES = 2
    communicator, _ = await open_socket(session.pk, cookie=lucia_cookie)
    await communicator.send_json_to({"type": "post", "text": "x" * 2001, "client_id": "long"})
    too_long = await receive(communicator)
    codes = []
    for n in range(3):
        await communicator.send_json_to({"type": "post", "text": f"m{n}", "client_id": f"m{n}"})
        codes.append((await receive(communicator))["type"])
    assert too_long["code"] == "too_long"
    assert codes == ["message", "message", "error"]
    await communicator.disconnect()


async def test_post_to_a_read_only_room_is_refused_and_the_connection_stays_open(lucia_cookie):
    start = timezone.now() + dt.timedelta(days=3)
    session = await database_sync_to_async(SessionFactory)(start=start, end=start + dt.timedelta(hours=1))
    communicator, state = await open_socket(session.pk, cookie=lucia_cookie)
    await communicator.send_json_to({"type": "post", "text": "early", "client_id": "e"})
    error = await receive(communicator)
    await communicator.send_json_to({"type": "ping"})
    assert (state["state"], state["can_post"], error["code"]) == ("read_only", False, "closed")
    assert await receive(communicator) == {"type": "pong"}
    await communicator.disconnect()


async def test_handshake_from_another_origin_is_refused(session, lucia_cookie):
    communicator = socket(session.pk, cookie=lucia_cookie, origin="https://evil.example")
    connected, _ = await communicator.connect(timeout=3)
    assert connected is False


async def test_handshake_for_a_removed_event_is_refused(session):
    session.removed_at = timezone.now()
    await database_sync_to_async(session.save)(update_fields=["removed_at"])
    connected, code = await socket(session.pk).connect(timeout=3)
    assert (connected, code) == (False, 4404)


async def test_handshake_for_an_event_without_chat_is_refused():
    event = await database_sync_to_async(EventFactory)()
    connected, code = await socket(event.pk).connect(timeout=3)
    assert (connected, code) == (False, 4404)


async def test_presence_counts_members_and_follows_a_departure(session, lucia_cookie):
    first, _ = await open_socket(session.pk)
    second, state = await open_socket(session.pk, cookie=lucia_cookie)
    assert state["presence"] == 2
    await second.disconnect()
    frame = await receive(first, skip=())
    while frame != {"type": "presence", "count": 1}:
        frame = await receive(first, skip=())
    await first.disconnect()


async def test_binary_frame_is_answered_with_invalid(session):
    communicator, _ = await open_socket(session.pk)
    await communicator.send_to(bytes_data=b"\x00\x01")
    assert (await receive(communicator))["code"] == "invalid"
    await communicator.disconnect()


async def test_error_frame_keeps_only_a_string_client_id(session):
    communicator, _ = await open_socket(session.pk)
    await communicator.send_to(text_data=json.dumps({"type": "post", "text": "x", "client_id": {"a": 1}}))
    assert "client_id" not in await receive(communicator)
    await communicator.disconnect()


@pytest.fixture
def moderator_cookie(session):
    editor = member("Moderator")
    MembershipFactory(organisation=session.organiser, user=editor, role=Role.EDITOR)
    return session_cookie(editor)


async def test_questions_are_upvoted_once_each_and_marked_answered(session, lucia_cookie, moderator_cookie):
    asker, _ = await open_socket(session.pk, cookie=lucia_cookie)
    moderator, state = await open_socket(session.pk, cookie=moderator_cookie)
    assert state["can_moderate"] is True
    await asker.send_json_to({"type": "post", "text": "Which tools?", "client_id": "q1", "question": True})
    question = await receive(asker)
    await receive(moderator)
    await asker.send_json_to({"type": "vote", "id": question["id"]})
    await asker.send_json_to({"type": "vote", "id": question["id"]})
    first_vote, repeat = await receive(asker), await receive(asker)
    await moderator.send_json_to({"type": "answer", "id": question["id"]})
    answered = await receive(asker)
    assert question["question"] is True
    assert (first_vote, repeat) == ({"type": "votes", "id": question["id"], "votes": 1},) * 2
    assert answered == {"type": "answered", "id": question["id"]}
    await asker.disconnect()
    await moderator.disconnect()


async def test_moderator_deletes_and_mutes_and_a_reconnect_does_not_lift_the_mute(
    session, lucia, lucia_cookie, moderator_cookie
):
    member_socket, _ = await open_socket(session.pk, cookie=lucia_cookie)
    moderator, _ = await open_socket(session.pk, cookie=moderator_cookie)
    await member_socket.send_json_to({"type": "post", "text": "spam", "client_id": "s"})
    spam = await receive(member_socket)
    await receive(moderator)
    await moderator.send_json_to({"type": "delete", "id": spam["id"]})
    deleted = await receive(member_socket)
    await moderator.send_json_to({"type": "mute", "user_id": lucia.pk, "minutes": 10})
    muted = await receive(member_socket)
    await member_socket.disconnect()
    again, state = await open_socket(session.pk, cookie=lucia_cookie)
    await again.send_json_to({"type": "post", "text": "spam again", "client_id": "s2"})
    refused = await receive(again)
    assert deleted == {"type": "deleted", "id": spam["id"]}
    assert (muted["type"], muted["user_id"]) == ("muted", lucia.pk)
    assert (state["history"], state["can_post"], refused["code"]) == ([], False, "forbidden")
    await again.disconnect()
    await moderator.disconnect()


async def test_member_cannot_moderate(session, lucia_cookie):
    communicator, _ = await open_socket(session.pk, cookie=lucia_cookie)
    await communicator.send_json_to({"type": "slow_mode", "seconds": 30})
    assert (await receive(communicator))["code"] == "forbidden"
    await communicator.disconnect()


async def test_moderator_switches_slow_mode_and_closes_the_room(session, moderator_cookie):
    reader, _ = await open_socket(session.pk)
    moderator, _ = await open_socket(session.pk, cookie=moderator_cookie)
    await moderator.send_json_to({"type": "slow_mode", "seconds": 30})
    slow = await receive(reader)
    await moderator.send_json_to({"type": "set_state", "state": "closed"})
    closed = await receive(reader)
    assert (slow, closed) == (
        {"type": "state", "state": "open", "slow_mode": 30},
        {"type": "state", "state": "read_only", "slow_mode": 30},
    )
    await reader.disconnect()
    await moderator.disconnect()


def _bulk_messages(room, author, count: int) -> list[int]:
    ChatMessage.objects.bulk_create(
        ChatMessage(room=room, author=author, author_name="Bulk", client_id=f"b{n}", text=f"m{n}", html=f"<p>m{n}</p>")
        for n in range(count)
    )
    return list(ChatMessage.objects.filter(room=room).order_by("id").values_list("id", flat=True))


async def test_reconnect_after_a_long_gap_says_more_and_resume_fetches_the_rest(session, lucia, lucia_cookie):
    room = await database_sync_to_async(ChatRoom.objects.create)(event=session)
    ids = await database_sync_to_async(_bulk_messages)(room, lucia, 1001)
    communicator, state = await open_socket(session.pk, cookie=lucia_cookie, query="?after=0")
    assert (len(state["history"]), state["more"]) == (1000, True)
    await communicator.send_json_to({"type": "resume", "after": state["history"][-1]["id"]})
    rest = await receive(communicator)
    assert ([m["id"] for m in rest["messages"]], rest["more"]) == ([ids[-1]], False)
    await communicator.disconnect()
