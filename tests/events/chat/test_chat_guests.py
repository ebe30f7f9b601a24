"""Guests in a chat room (CHAT_GUEST_POSTING): off by default; when on, a visitor posts under a name."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from community.models import Role
from events.models import ChatMessage, ChatModerationLog
from tests.events.chat.test_chat_consumer import open_socket, receive
from tests.events.factories_chat import live_session, member, session_cookie, visitor_cookie
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def session():
    return live_session(title="Open questions")


@pytest.fixture
def guests_on(settings):
    settings.CHAT_GUEST_POSTING = True


async def test_by_default_a_visitor_reads_but_cannot_post_even_with_a_session(session):
    cookie = await database_sync_to_async(visitor_cookie)()
    visitor, state = await open_socket(session.pk, cookie=cookie)
    await visitor.send_json_to({"type": "post", "text": "hi", "client_id": "a", "name": "Ana"})
    error = await receive(visitor)
    assert (state["can_post"], state["guest"], error["code"]) == (False, False, "forbidden")
    assert error["message"] == "Sign in to post in the chat."
    await visitor.disconnect()


async def test_a_guest_posts_under_a_name_and_a_retry_is_not_doubled(session, guests_on):
    cookie = await database_sync_to_async(visitor_cookie)()
    visitor, state = await open_socket(session.pk, cookie=cookie)
    await visitor.send_json_to(
        {"type": "post", "text": "From the back row", "client_id": "g1", "name": " A\u202ena\x00 "}
    )
    message = await receive(visitor)
    await visitor.send_json_to({"type": "post", "text": "From the back row", "client_id": "g1", "name": "Ana"})
    retry = await receive(visitor)
    stored = await database_sync_to_async(list)(ChatMessage.objects.values_list("author_id", "author_name", "text"))
    assert (state["can_post"], state["guest"], state["me"]) == (True, True, None)
    assert message["author"] == {"id": None, "name": "Ana", "guest": True}
    assert retry["id"] == message["id"]
    assert stored == [(None, "Ana", "From the back row")]
    await visitor.disconnect()


@pytest.mark.parametrize("name", [None, "", "   ", "x" * 61, 7, "\u200b\u202e\u2066", "\x00\t"])
async def test_a_guest_without_a_usable_name_gets_an_invalid_error(session, guests_on, name):
    cookie = await database_sync_to_async(visitor_cookie)()
    visitor, _ = await open_socket(session.pk, cookie=cookie)
    await visitor.send_json_to({"type": "post", "text": "hi", "client_id": "a", "name": name})
    error = await receive(visitor)
    assert error["code"] == "invalid"
    assert not await database_sync_to_async(ChatMessage.objects.exists)()
    await visitor.disconnect()


async def test_a_visitor_without_a_session_cannot_post_even_with_guests_on(session, guests_on):
    visitor, state = await open_socket(session.pk)
    await visitor.send_json_to({"type": "post", "text": "hi", "client_id": "a", "name": "Ana"})
    assert (state["can_post"], (await receive(visitor))["code"]) == (False, "forbidden")
    await visitor.disconnect()


async def test_guests_share_the_rate_limit_rules_of_members(session, guests_on, settings):
    settings.CHAT_RATE_MESSAGES = 2
    cookie = await database_sync_to_async(visitor_cookie)()
    visitor, _ = await open_socket(session.pk, cookie=cookie)
    kinds = []
    for n in range(3):
        await visitor.send_json_to({"type": "post", "text": f"m{n}", "client_id": f"m{n}", "name": "Ana"})
        frame = await receive(visitor)
        kinds.append(frame.get("code", frame["type"]))
    assert kinds == ["message", "message", "rate_limited"]
    await visitor.disconnect()


async def test_a_moderator_mutes_a_guest_by_their_message_and_reconnecting_does_not_lift_it(session, guests_on):
    editor = await database_sync_to_async(member)("Moderator")
    await database_sync_to_async(MembershipFactory)(organisation=session.organiser, user=editor, role=Role.EDITOR)
    moderator_cookie = await database_sync_to_async(session_cookie)(editor)
    cookie = await database_sync_to_async(visitor_cookie)()
    visitor, _ = await open_socket(session.pk, cookie=cookie)
    moderator, _ = await open_socket(session.pk, cookie=moderator_cookie)
    await visitor.send_json_to({"type": "post", "text": "spam", "client_id": "s1", "name": "Spammer"})
    spam = await receive(moderator)
    await moderator.send_json_to({"type": "mute", "message_id": spam["id"], "minutes": 10})
    confirmed = await receive(moderator)
    await visitor.disconnect()

    again, state = await open_socket(session.pk, cookie=cookie)
    await again.send_json_to({"type": "post", "text": "more spam", "client_id": "s2", "name": "Spammer"})
    error = await receive(again)
    log = await database_sync_to_async(list)(ChatModerationLog.objects.values_list("action", "message_id", "detail"))
    assert confirmed == {"type": "guest_muted", "message_id": spam["id"]}
    assert (state["can_post"], error["code"]) == (False, "forbidden")
    assert log == [("mute", spam["id"], "guest, 10 min")]
    await again.disconnect()
    await moderator.disconnect()


def _page(event_pk):
    client = Client()
    response = client.get(f"/events/{event_pk}/")
    return response, client.cookies.get("sessionid")


async def test_the_rooms_page_gives_a_visitor_a_session_and_a_name_field_only_when_guests_may_post(session, settings):
    off, off_cookie = await database_sync_to_async(_page)(session.pk)
    settings.CHAT_GUEST_POSTING = True
    on, on_cookie = await database_sync_to_async(_page)(session.pk)
    assert (off_cookie, b"data-chat-name" in off.content) == (None, False)
    assert on_cookie is not None
    assert b"data-chat-name" in on.content
