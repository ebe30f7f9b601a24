import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from events.chat.errors import ChatError
from events.chat.messages import (
    hide_own_message,
    messages_after,
    open_questions,
    post_message,
    recent_messages,
    upvote_question,
    voted_question_ids,
)
from events.chat.moderation import delete_message, mark_answered, mute_member, set_room_opening, set_slow_mode
from events.chat.transcript import transcript_messages
from events.models import ChatMessage, ChatModerationLog, ChatRoom
from tests.events.factories_chat import ChatMessageFactory, live_session, member
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    return ChatRoom.objects.create(event=live_session())


def _error(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(ChatError) as caught:
        call(**kwargs)
    return caught.value.code, caught.value.message


def test_post_message_stores_text_and_linkified_html(room):
    user = member("Lucía")
    message, created = post_message(
        room=room, user=user, text="See https://praxis.example/x <b>now</b>", client_id="a1"
    )
    assert created is True
    assert (message.author_name, message.text) == ("Lucía", "See https://praxis.example/x <b>now</b>")
    assert message.html == (
        '<p>See <a href="https://praxis.example/x" rel="nofollow ugc noopener">https://praxis.example/x</a>'
        " &lt;b&gt;now&lt;/b&gt;</p>"
    )


def test_post_message_with_the_same_client_id_returns_the_stored_message(room):
    user = member()
    first, created_first = post_message(room=room, user=user, text="hello", client_id="retry-1")
    again, created_again = post_message(room=room, user=user, text="hello", client_id="retry-1")
    assert (again.pk, created_first, created_again, ChatMessage.objects.count()) == (first.pk, True, False, 1)


def test_post_message_client_ids_are_per_author(room):
    post_message(room=room, user=member(), text="one", client_id="same")
    post_message(room=room, user=member(), text="two", client_id="same")
    assert ChatMessage.objects.count() == 2


def test_post_message_refuses_over_the_length_limit(room, settings):
    settings.CHAT_MAX_CHARS = 2000
    code, message = _error(post_message, room=room, user=member(), text="x" * 2001, client_id="long")
    assert (code, message) == ("too_long", "A message can have at most 2000 characters; this one has 2001.")


def test_post_message_accepts_exactly_the_length_limit(room, settings):
    settings.CHAT_MAX_CHARS = 2000
    message, _ = post_message(room=room, user=member(), text="x" * 2000, client_id="max")
    assert len(message.text) == 2000


def test_post_message_refuses_a_read_only_room():
    start = timezone.now() + dt.timedelta(days=2)
    room = ChatRoom.objects.create(event=SessionFactory(start=start, end=start + dt.timedelta(hours=1)))
    assert _error(post_message, room=room, user=member(), text="early", client_id="e")[0] == "closed"


def test_post_message_refuses_a_signed_out_visitor(room):
    assert _error(post_message, room=room, user=AnonymousUser(), text="hi", client_id="x")[0] == "forbidden"


@pytest.mark.parametrize(("text", "client_id"), [("", "c"), ("   ", "c"), ("hi", ""), ("hi", 7), (["hi"], "c")])
def test_post_message_refuses_malformed_input(room, text, client_id):
    assert _error(post_message, room=room, user=member(), text=text, client_id=client_id)[0] == "invalid"


def test_post_message_rate_limit_per_member_per_room(room, settings):
    settings.CHAT_RATE_MESSAGES, settings.CHAT_RATE_SECONDS = 5, 10
    user, other = member(), member()
    now = timezone.now().replace(second=0, microsecond=0)
    for n in range(5):
        post_message(room=room, user=user, text=f"m{n}", client_id=f"m{n}", now=now)
    code, _ = _error(post_message, room=room, user=user, text="m5", client_id="m5", now=now)
    post_message(room=room, user=other, text="still fine", client_id="o", now=now)
    later, _ = post_message(room=room, user=user, text="m6", client_id="m6", now=now + dt.timedelta(seconds=10))
    assert (code, later.text, ChatMessage.objects.count()) == ("rate_limited", "m6", 7)


def test_post_message_slow_mode_spaces_a_members_messages(room):
    moderator = member()
    room.slow_mode_seconds = 30
    room.save()
    user = member()
    post_message(room=room, user=user, text="one", client_id="1", moderator=False)
    code, message = _error(post_message, room=room, user=user, text="two", client_id="2", moderator=False)
    post_message(room=room, user=moderator, text="mods are exempt", client_id="1", moderator=True)
    post_message(room=room, user=moderator, text="mods are exempt", client_id="2", moderator=True)
    assert (code, message) == ("rate_limited", "Slow mode is on: one message every 30 seconds.")


def test_recent_messages_are_the_last_fifty_oldest_first_without_deleted(room):
    rows = ChatMessageFactory.create_batch(53, room=room)
    ChatMessage.objects.filter(pk=rows[-1].pk).update(deleted_at=timezone.now())
    assert [m.pk for m in recent_messages(room=room)] == [m.pk for m in rows[2:52]]


def test_messages_after_returns_everything_after_an_id_once(room):
    rows = ChatMessageFactory.create_batch(5, room=room)
    ChatMessageFactory(room=ChatRoom.objects.create(event=live_session()))  # another room
    assert [m.pk for m in messages_after(room=room, after=rows[1].pk)] == [m.pk for m in rows[2:]]


def test_upvote_question_counts_each_member_once_and_orders_questions(room):
    first = ChatMessageFactory(room=room, is_question=True)
    second = ChatMessageFactory(room=room, is_question=True)
    voter, other = member(), member()
    results = [
        upvote_question(room=room, user=voter, message_id=second.pk)[1],
        upvote_question(room=room, user=voter, message_id=second.pk)[1],
        upvote_question(room=room, user=other, message_id=second.pk)[1],
    ]
    assert results == [True, False, True]
    assert [(q.pk, q.votes) for q in open_questions(room=room)] == [(second.pk, 2), (first.pk, 0)]
    assert voted_question_ids(room=room, user=voter) == [second.pk]


def test_upvote_question_refuses_a_plain_message(room):
    message = ChatMessageFactory(room=room)
    assert _error(upvote_question, room=room, user=member(), message_id=message.pk)[0] == "invalid"


def test_moderation_actions_are_refused_to_members_and_logged_for_moderators(room):
    plain, moderator = member(), member()
    question = ChatMessageFactory(room=room, is_question=True)
    assert _error(delete_message, room=room, actor=plain, message_id=question.pk, moderator=False)[0] == "forbidden"
    mark_answered(room=room, actor=moderator, message_id=question.pk, moderator=True)
    mute_member(room=room, actor=moderator, user_id=plain.pk, minutes=10, moderator=True)
    set_slow_mode(room=room, actor=moderator, seconds=15, moderator=True)
    set_room_opening(room=room, actor=moderator, override="closed", moderator=True)
    delete_message(room=room, actor=moderator, message_id=question.pk, moderator=True)
    actions = list(ChatModerationLog.objects.order_by("id").values_list("action", "detail"))
    assert actions == [
        ("answered", ""),
        ("mute", "10 min"),
        ("slow_mode", "15 s"),
        ("opening", "closed"),
        ("delete", ""),
    ]
    assert recent_messages(room=room) == []


def test_muted_member_cannot_post_until_the_mute_ends(room):
    muted, moderator = member(), member()
    mute_member(room=room, actor=moderator, user_id=muted.pk, minutes=5, moderator=True)
    assert _error(post_message, room=room, user=muted, text="hi", client_id="m")[0] == "forbidden"
    message, _ = post_message(
        room=room, user=muted, text="back", client_id="n", now=timezone.now() + dt.timedelta(minutes=6)
    )
    assert message.text == "back"


@pytest.mark.parametrize("minutes", [0, -1, "5", None, 10**9])
def test_mute_member_refuses_bad_durations(room, minutes):
    code, _ = _error(mute_member, room=room, actor=member(), user_id=member().pk, minutes=minutes, moderator=True)
    assert code == "invalid"


def test_post_message_sees_a_room_closed_elsewhere_since_it_was_loaded(room):
    """Each connection holds its own room object; a moderator on another process closes the room."""
    elsewhere = ChatRoom.objects.get(pk=room.pk)
    set_room_opening(room=elsewhere, actor=member(), override="closed", moderator=True)
    assert _error(post_message, room=room, user=member(), text="late", client_id="l")[0] == "closed"


def test_hide_own_message_leaves_the_transcript_and_only_the_author_may(room):
    author = member()
    message = ChatMessageFactory(room=room, author=author)
    assert _error(hide_own_message, room=room, user=member(), message_id=message.pk)[0] == "forbidden"
    hide_own_message(room=room, user=author, message_id=message.pk)
    assert list(transcript_messages(room=room)) == []
