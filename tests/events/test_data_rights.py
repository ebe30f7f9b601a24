"""The events side of account deletion (events/data_rights.py), registered into community's registry."""

import pytest

from community.account_deletion import delete_account
from community.data_rights import registered_erasers, registered_exporters
from community.models import User
from events.chat.errors import ChatError
from events.chat.messages import post_message
from events.data_rights import erase_events_data
from events.models import ChatRoom
from tests.events.factories_chat import live_session, member

pytestmark = pytest.mark.django_db


def test_events_registers_its_exporters_and_eraser_at_start_up():
    assert sorted(registered_exporters()) == ["chat_messages", "event_follows", "question_votes"]
    assert registered_erasers() == [erase_events_data]


def test_an_open_socket_of_a_deleted_account_cannot_post():
    room = ChatRoom.objects.create(event=live_session())
    user = member("Gone Soon")
    stale = User.objects.get(pk=user.pk)  # the object a connected consumer holds
    delete_account(user=user, remove_contributions=False, actor=user)
    with pytest.raises(ChatError) as caught:
        post_message(room=room, user=stale, text="still here?", client_id="late")
    assert caught.value.code == "forbidden"
