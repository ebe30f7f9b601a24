import pytest

from events.chat.moderation import set_slow_mode
from events.models import ChatRoom
from tests.events.factories_chat import live_session, member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_chat_rooms_and_the_moderation_log(client):
    room = ChatRoom.objects.create(event=live_session(title="Room in the admin"))
    set_slow_mode(room=room, actor=member("Moderator"), seconds=30, moderator=True)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    rooms = client.get("/admin/snippets/events/chatroom/")
    log = client.get("/admin/snippets/events/chatmoderationlog/")
    assert (rooms.status_code, log.status_code) == (200, 200)
    assert "Room in the admin" in rooms.content.decode()
    assert "30 s" in log.content.decode()
