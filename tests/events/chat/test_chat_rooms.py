import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone

from community.models import Role
from events.chat.errors import ChatError
from events.chat.rooms import OPEN, READ_ONLY, can_moderate, can_post, room_for_event, room_window
from events.models import ChatMute, ChatRoom
from tests.events.factories_chat import live_session, member
from tests.factories import EventFactory, MembershipFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_room_for_event_creates_a_sessions_room_once():
    session = live_session()
    first = room_for_event(event_id=session.pk)
    second = room_for_event(event_id=session.pk)
    assert (first.pk, ChatRoom.objects.count()) == (second.pk, 1)


def test_room_for_event_refuses_a_removed_session():
    session = live_session()
    session.removed_at = timezone.now()
    session.save(update_fields=["removed_at"])
    with pytest.raises(ChatError) as caught:
        room_for_event(event_id=session.pk)
    assert caught.value.code == "not_found"


def test_room_for_event_refuses_a_session_of_a_removed_conference():
    session = live_session()
    conference = session.parent
    conference.removed_at = timezone.now()
    conference.save(update_fields=["removed_at"])
    with pytest.raises(ChatError) as caught:
        room_for_event(event_id=session.pk)
    assert caught.value.code == "not_found"


def test_room_for_event_refuses_an_event_without_chat_enabled():
    event = EventFactory()
    with pytest.raises(ChatError) as caught:
        room_for_event(event_id=event.pk)
    assert (caught.value.code, ChatRoom.objects.count()) == ("not_found", 0)


def test_room_for_event_refuses_an_unknown_id():
    with pytest.raises(ChatError) as caught:
        room_for_event(event_id=999_999)
    assert caught.value.code == "not_found"


@pytest.mark.parametrize(
    ("minutes_from_start", "expected"),
    [(-31, READ_ONLY), (-29, OPEN), (60 + 59, OPEN), (60 + 61, READ_ONLY)],
)
def test_room_window_opens_before_the_start_and_archives_after_the_end(settings, minutes_from_start, expected):
    settings.CHAT_OPENS_MINUTES_BEFORE = 30
    settings.CHAT_ARCHIVES_MINUTES_AFTER = 60
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    room = ChatRoom.objects.create(event=SessionFactory(start=start, end=start + dt.timedelta(hours=1)))
    assert room_window(room=room, now=start + dt.timedelta(minutes=minutes_from_start)).state == expected


def test_room_window_follows_a_manual_override():
    room = ChatRoom.objects.create(event=live_session(), override="closed")
    assert room_window(room=room).state == READ_ONLY
    room.override = "open"
    room.event.start += dt.timedelta(days=30)
    room.event.end += dt.timedelta(days=30)
    assert room_window(room=room).state == OPEN


def test_can_post_needs_a_signed_in_member_an_open_room_and_no_mute():
    room = ChatRoom.objects.create(event=live_session())
    user = member()
    assert (can_post(user=user, room=room), can_post(user=AnonymousUser(), room=room)) == (True, False)
    ChatMute.objects.create(room=room, user=user, until=timezone.now() + dt.timedelta(minutes=5))
    assert can_post(user=user, room=room) is False


def test_can_moderate_for_organiser_editors_and_the_moderators_group_only():
    room = ChatRoom.objects.create(event=live_session())
    editor, moderator, plain = member(), member(), member()
    MembershipFactory(organisation=room.event.organiser, user=editor, role=Role.EDITOR)
    MembershipFactory(organisation=room.event.organiser, user=plain, role=Role.MEMBER)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    assert [can_moderate(user=u, room=room) for u in (editor, moderator, plain)] == [True, True, False]
