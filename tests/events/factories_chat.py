"""Factories and helpers for the chat tests: rooms that are open now, members who can sign in."""

from __future__ import annotations

import datetime as dt

import factory
from django.test import Client
from django.utils import timezone

from events.models import ChatMessage, ChatRoom
from tests.factories import EventFactory, ProfileFactory, SessionFactory


def live_session(**fields):
    """A conference session that started ten minutes ago, so its room is open."""
    now = timezone.now().replace(microsecond=0)
    conference = EventFactory(kind="conference", start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=6))
    return SessionFactory(
        parent=conference, start=now - dt.timedelta(minutes=10), end=now + dt.timedelta(minutes=50), **fields
    )


def member(name: str = ""):
    """A signed-up member with a profile; returns the user."""
    profile = ProfileFactory(display_name=name) if name else ProfileFactory()
    return profile.user


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


class ChatRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatRoom

    event = factory.LazyFunction(live_session)


class ChatMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatMessage

    room = factory.SubFactory(ChatRoomFactory)
    author = factory.LazyFunction(member)
    author_name = factory.LazyAttribute(lambda o: o.author.profile.display_name)
    client_id = factory.Sequence(lambda n: f"c{n}")
    text = factory.Sequence(lambda n: f"Message {n}")
    html = factory.LazyAttribute(lambda o: f"<p>{o.text}</p>")


def visitor_cookie() -> str:
    """The session cookie a visitor who is not signed in gets from a room's page (guest posting)."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["chat_guest"] = True
    store.create()
    return store.session_key
