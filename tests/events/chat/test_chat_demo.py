import pytest
from django.core.management import call_command

from events.chat.rooms import OPEN, room_for_event, room_window
from events.models import Event

pytestmark = pytest.mark.django_db


def test_demo_has_a_session_whose_room_is_open_now_and_the_api_lists_it(client):
    call_command("load_demo", verbosity=0)
    live = [
        s for s in Event.objects.filter(kind="session") if room_window(room=room_for_event(event_id=s.pk)).state == OPEN
    ]
    assert [s.title for s in live] == ["Live now: ask the panel about innovation ecosystems"]
    conferences = client.get("/api/v1/conferences/?start=2000-01-01&page_size=100").json()["results"]
    session_ids = {s["id"] for c in conferences for s in c["sessions"]}
    assert live[0].pk in session_ids
