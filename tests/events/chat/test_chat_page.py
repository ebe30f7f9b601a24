import datetime as dt
import json

import pytest
from django.utils import timezone

from events.models import ChatRoom
from tests.events.factories_chat import ChatMessageFactory, live_session, member
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_live_session_page_has_the_chat_room_and_its_script(client):
    session = live_session()
    html = client.get(session.get_absolute_url()).content.decode()
    assert f'data-chat-url="/ws/chat/{session.pk}/"' in html
    assert html.count("/static/js/chat.js") == 1
    assert 'aria-live="polite"' in html


def test_event_without_chat_has_no_room_on_its_page(client):
    event = EventFactory()
    assert "data-chat-url" not in client.get(event.get_absolute_url()).content.decode()


def test_page_after_the_session_shows_the_transcript_with_counts_votes_and_answered_marks(client):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)
    session = SessionFactory(start=start, end=start + dt.timedelta(hours=1))
    room = ChatRoom.objects.create(event=session)
    asker = member("Asker")
    ChatMessageFactory(room=room, author=asker, text="How?", html="<p>How?</p>", is_question=True, votes=4,
                       answered_at=timezone.now())  # fmt: skip
    ChatMessageFactory(room=room, text="Visit https://x.example", html='<p>Visit <a href="https://x.example">x</a></p>')
    ChatMessageFactory(room=room, text="gone", html="<p>secret removed</p>", deleted_at=timezone.now())
    ChatMessageFactory(room=room, text="hidden", html="<p>hidden by me</p>", hidden_by_author=True)
    html = client.get(session.get_absolute_url()).content.decode()
    assert "2 messages and 1 questions (1 answered) from 2 participants." in html
    assert "4 votes" in html
    assert "Visit" in html
    assert "data-chat-url" not in html
    assert ("secret removed" in html, "hidden by me" in html) == (False, False)
    assert f'href="/api/v1/events/{session.pk}/transcript/"' in html


def test_session_ics_entry_links_its_chat_and_transcript(client):
    session = live_session()
    body = client.get(f"/events/{session.pk}.ics").getvalue().decode().replace("\r\n ", "")
    attach = [line for line in body.splitlines() if line.startswith("ATTACH")]
    assert attach == [f"ATTACH;FMTTYPE=text/html:http://127.0.0.1:8000/events/{session.pk}/#chat"]


def test_session_json_ld_links_its_chat_and_transcript(client):
    session = live_session()
    html = client.get(session.get_absolute_url()).content.decode()
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["subjectOf"] == {
        "@type": "Conversation",
        "name": "Session chat and transcript",
        "url": f"http://testserver/events/{session.pk}/#chat",
    }
