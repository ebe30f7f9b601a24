"""Download my data (issue #18): one archive with every kind, a signed expiring link, one request a day."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from community.account_deletion import delete_account
from community.data_exports import build_export, export_link_token
from community.discussions import edit_post, post_reply
from community.models import AuditEntry, DataExport, Flag, Post, PracticeStoryPage, ThreadFollow, User
from community.notifications import notify
from events.models import ChatMessage, ChatRoom, Event, EventFollow, QuestionVote
from tests.community.factories_stories import ThreadFactory, publish_story
from tests.factories import MembershipFactory, ProfileFactory, SessionFactory

pytestmark = pytest.mark.django_db

EXPECTED_FILES = [
    "README.txt",
    "account.json",
    "chat_messages.json",
    "event_follows.json",
    "feed_settings.json",
    "flags.json",
    "follows.json",
    "memberships.json",
    "notifications.json",
    "posts.json",
    "profile.json",
    "question_votes.json",
    "stories.json",
]


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def member():
    profile = ProfileFactory(display_name="Dana Data")
    profile.avatar = SimpleUploadedFile("me.png", _png(), content_type="image/png")
    profile.save()
    user = profile.user
    MembershipFactory(user=user)
    thread = ThreadFactory(title="Data thread")
    post = post_reply(user=user, thread=thread, body_markdown="First words.")
    edit_post(user=user, post=post, body_markdown="Second words.")
    other_post = post_reply(user=ProfileFactory(display_name="Member 1").user, thread=thread, body_markdown="Spam.")
    Flag.objects.create(post=other_post, reporter=user, reason="spam", note="looks like spam")
    publish_story(title="My practice", authors=[profile])
    session = SessionFactory()
    room = ChatRoom.objects.create(event=session)
    question = ChatMessage.objects.create(
        room=room, author=user, author_name="Dana Data", client_id="q", text="A question?", html="", is_question=True
    )
    QuestionVote.objects.create(message=question, user=user)
    EventFollow.objects.create(user=user, event=session)
    notify(user=user, kind="reply", message="Someone replied", url="/")
    return user


def _ask(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/members/me/privacy/export/")


def _link_path(mailoutbox) -> str:
    body = next(m.body for m in mailoutbox if "data" in m.subject.lower())
    return re.search(r"https?://[^/\s]+(/members/me/privacy/export/\S+/)", body).group(1)


def test_a_member_downloads_an_archive_with_everything_they_wrote(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    assert _ask(client, django_capture_on_commit_callbacks).status_code == 302
    export = DataExport.objects.get(user=member)
    assert export.state == "ready"
    response = client.get(_link_path(mailoutbox))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="praxis-my-data.zip"'
    archive = zipfile.ZipFile(io.BytesIO(_read(response)))
    names = archive.namelist()
    assert sorted(n for n in names if not n.startswith("files/")) == EXPECTED_FILES
    assert [n for n in names if n.startswith("files/")] == [
        f"files/avatar/{member.profile.avatar.name.rsplit('/', 1)[1]}"
    ]
    data = {n[:-5]: json.loads(archive.read(n)) for n in names if n.endswith(".json")}
    assert data["profile"]["display_name"] == "Dana Data"
    assert [(p["markdown"], [v["markdown"] for v in p["earlier_versions"]]) for p in data["posts"]] == [
        ("Second words.", ["First words."])
    ]
    assert [(f["reason"], f["note"]) for f in data["flags"]] == [("spam", "looks like spam")]
    assert [s["title"] for s in data["stories"]] == ["My practice"]
    assert len(data["stories"][0]["revisions"]) == 1
    assert [(m["text"], m["is_question"]) for m in data["chat_messages"]] == [("A question?", True)]
    assert [v["message__text"] for v in data["question_votes"]] == ["A question?"]
    assert len(data["event_follows"]["events"]) == 1
    assert [f["thread__title"] for f in data["follows"]["threads"]] == ["Data thread"]
    assert sorted(n["message"] for n in data["notifications"]) == [
        "Member 1 posted in “Data thread”",
        "Someone replied",
    ]
    assert len(data["memberships"]) == 1
    readme = archive.read("README.txt").decode()
    assert all(f"{name}" in readme for name in EXPECTED_FILES if name != "README.txt")
    assert ThreadFollow.objects.filter(user=member).exists()  # exporting changes nothing
    assert sorted(AuditEntry.objects.filter(subject=member).values_list("action", flat=True)) == [
        "export_downloaded",
        "export_ready",
        "export_requested",
    ]


def test_the_privacy_page_lists_requests_with_their_state_and_refuses_a_second_one_that_day(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    _ask(client, django_capture_on_commit_callbacks)
    response = _ask(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    page = client.get("/members/me/privacy/")
    assert "less than a day ago" in page.content.decode()
    assert [e.state for e in page.context["exports"]] == ["ready"]
    download = client.get(page.context["exports"][0].download_url)
    _read(download)  # read to the end, which closes the archive the FileResponse holds open
    assert download.status_code == 200  # the page links the archive too
    assert DataExport.objects.filter(user=member).count() == 1


def _read(response) -> bytes:
    """The whole archive; reading it to the end closes the file (the test client's wrapper)."""
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("tamper", ["forged", "expired", "other member"])
def test_a_bad_link_is_404(client, member, mailoutbox, django_capture_on_commit_callbacks, settings, tamper):
    client.force_login(member)
    _ask(client, django_capture_on_commit_callbacks)
    path = _link_path(mailoutbox)
    if tamper == "forged":
        path = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    elif tamper == "expired":
        settings.EXPORT_LINK_MAX_AGE = -1
    else:
        client.force_login(ProfileFactory().user)
    assert client.get(path).status_code == 404


def test_the_archive_is_not_served_from_media(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    _ask(client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get(user=member)
    assert export.path.startswith("private/exports/")
    assert client.get(f"/media/{export.path}").status_code == 404


def test_an_export_of_a_deleted_account_builds_nothing(member, settings):
    export = DataExport.objects.create(user=member)
    delete_account(user=member, remove_contributions=False, actor=member)
    assert build_export(export_id=export.pk) is None
    assert not DataExport.objects.filter(user=member).exists()
    assert list(settings.MEDIA_ROOT.rglob("*.zip")) == []


def test_deleting_the_account_removes_its_archives(client, member, django_capture_on_commit_callbacks, settings):
    client.force_login(member)
    _ask(client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get(user=member)
    token = export_link_token(export=export)
    archive = settings.MEDIA_ROOT / export.path
    assert archive.is_file()
    delete_account(user=member, remove_contributions=False, actor=member)
    assert not archive.exists()
    assert client.get(f"/members/me/privacy/export/{token}/").status_code == 302  # signed out: to the login page


def test_a_demo_member_gets_everything_they_wrote_on_every_surface(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    call_command("load_demo", verbosity=0)
    maja = User.objects.get(email="maja@praxis.example")
    session = Event.objects.filter(kind="session").first()
    room, _created = ChatRoom.objects.get_or_create(event=session)
    ChatMessage.objects.create(room=room, author=maja, author_name="Maja", client_id="d", text="Said in chat", html="")
    client.force_login(maja)
    _ask(client, django_capture_on_commit_callbacks)
    archive = zipfile.ZipFile(io.BytesIO(_read(client.get(_link_path(mailoutbox)))))
    data = {n[:-5]: json.loads(archive.read(n)) for n in archive.namelist() if n.endswith(".json")}
    assert sorted(p["id"] for p in data["posts"]) == sorted(
        Post.objects.filter(author=maja).values_list("pk", flat=True)
    )
    assert sorted(s["id"] for s in data["stories"]) == sorted(
        PracticeStoryPage.objects.filter(authors__user=maja).values_list("pk", flat=True)
    )
    assert [m["text"] for m in data["chat_messages"]] == ["Said in chat"]
    assert len(data["posts"]) == 2
    assert len(data["stories"]) == 2
    assert data["profile"]["display_name"] == maja.profile.display_name
