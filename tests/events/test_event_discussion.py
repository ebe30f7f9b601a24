"""An event's discussion: shown under the event, made on the first reply, linked from the events side."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from events.discussions import event_thread
from events.models import EventDiscussion
from tests.factories import EventFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_first_reply_makes_the_events_thread_and_it_shows_under_the_event(client):
    event = EventFactory(title="Valorisation conference")
    user = UserFactory(date_joined=timezone.now() - dt.timedelta(days=5))
    ProfileFactory(user=user)
    client.force_login(user)

    response = client.post(reverse("event-discussion-post", args=[event.pk]), {"body_markdown": "See you *there*"})

    thread = EventDiscussion.objects.get(event=event).thread
    assert (thread.title, thread.category, thread.story) == ("Valorisation conference", None, None)
    assert response["Location"] == thread.posts.get().get_absolute_url()
    section = BeautifulSoup(client.get(event.get_absolute_url()).content, "html.parser").find(
        "section", class_="discussion"
    )
    assert [p.decode_contents().strip() for p in section.select(".post__body")] == ["<p>See you <em>there</em></p>"]


def test_event_thread_is_one_per_event():
    event = EventFactory()

    assert event_thread(event=event) == event_thread(event=event)
    assert EventDiscussion.objects.count() == 1
