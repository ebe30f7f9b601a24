"""Delete my account (issue #18): every trace of the name goes, contributions stay as "a former member".

The walk test seeds the member's name on every surface first and checks it shows there,
then deletes the account and walks the same surfaces again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.account_deletion import delete_account
from community.discussions import post_reply
from community.models import (
    AuditEntry,
    Membership,
    Notification,
    Post,
    PracticeStoryPage,
    Profile,
    Role,
    ThreadFollow,
    User,
)
from community.notifications import notify
from community.story_search import search_stories
from events.models import ChatMessage, ChatModerationLog, ChatRoom, EventFollow, Speaker
from tests.community.factories_stories import ThreadFactory, publish_story
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME = "Xavier Quill"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def world():
    """A member whose name is on every surface: profile, directory, organisation, posts, stories, speaker, chat."""
    user = UserFactory(date_joined=timezone.now() - dt.timedelta(days=30))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    profile = ProfileFactory(user=user, display_name=NAME, headline="Quill trainer")
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, user=user)
    MembershipFactory(organisation=organisation, user=ProfileFactory().user, role=Role.ADMIN)
    thread = ThreadFactory(title="Workshop tips")
    other = ProfileFactory(display_name="Olga Other").user
    post_reply(user=other, thread=thread, body_markdown="Who pairs apprentices?")  # Olga now follows the thread
    post = post_reply(user=user, thread=thread, body_markdown="Pair apprentices with mentors.")
    post_reply(user=other, thread=thread, body_markdown="Agreed, and rotate the pairs.", reply_to=post)
    solo = publish_story(title="Solo practice", authors=[profile])
    shared = publish_story(title="Shared practice", authors=[profile, ProfileFactory(display_name="Co Author")])
    session = SessionFactory(title="Mentoring session")
    Speaker.objects.create(session=session, profile=profile)
    room = ChatRoom.objects.create(event=session)
    ChatMessage.objects.create(
        room=room, author=user, author_name=NAME, client_id="c1", text="Hello room", html="<p>Hello room</p>"
    )
    ChatMessage.objects.create(
        room=room,
        author=user,
        author_name=NAME,
        client_id="c2",
        text="How long do pairs last?",
        html="<p>How long do pairs last?</p>",
        is_question=True,
    )
    EventFollow.objects.create(user=user, event=session)
    notify(user=user, kind="reply", message="A reply", url="/")
    return {
        "user": user,
        "profile": profile,
        "organisation": organisation,
        "thread": thread,
        "post": post,
        "solo": solo,
        "shared": shared,
        "session": session,
        "token": profile.calendar_token,
        "follower": other,
    }


def _surfaces(world) -> dict[str, str]:
    session = world["session"]
    return {
        "profile page": world["profile"].get_absolute_url(),
        "directory": "/members/",
        "member search": "/members/?q=Quill",
        "site search": "/search/?q=Quill",
        "organisation page": world["organisation"].get_absolute_url(),
        "thread page": world["thread"].get_absolute_url(),
        "solo story": world["solo"].url,
        "shared story": world["shared"].url,
        "story feed": "/stories/feed/",
        "session page": f"/events/{session.pk}/",
        "conference page": f"/events/{session.parent_id}/",
        "api thread": f"/api/v1/threads/{world['thread'].pk}/",
        "api stories": "/api/v1/stories/",
        "api conference": f"/api/v1/conferences/{session.parent_id}/",
        "api transcript": f"/api/v1/events/{session.pk}/transcript/",
        "personal feed": f"/calendar/{world['token']}.ics",
    }


def _showing_name(client, world) -> list[str]:
    found = []
    for surface, url in _surfaces(world).items():
        response = client.get(url)
        body = response.getvalue().decode() if response.status_code == 200 else ""  # feeds stream
        if NAME in body or (surface == "personal feed" and response.status_code == 200):
            found.append(surface)
    return found


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_after_deletion_no_surface_shows_the_name(client, world, viewer):
    if viewer == "member":
        client.force_login(ProfileFactory().user)
    assert _showing_name(client, world) == list(_surfaces(world))  # the seed could leak everywhere

    delete_account(user=world["user"], remove_contributions=False, actor=world["user"])

    assert _showing_name(client, world) == []


def test_contributions_stay_as_a_former_member_unless_removed(client, world):
    delete_account(user=world["user"], remove_contributions=False, actor=world["user"])
    post = Post.objects.get(pk=world["post"].pk)
    assert (post.author, post.body_text) == (None, "Pair apprentices with mentors.")
    page = client.get(world["thread"].get_absolute_url()).content.decode()
    assert "a former member" in page
    assert "Pair apprentices with mentors." in page
    messages = ChatMessage.objects.filter(room__event=world["session"]).order_by("pk")
    assert [(m.author_name, m.text) for m in messages] == [
        ("a former member", "Hello room"),
        ("a former member", "How long do pairs last?"),
    ]


def test_removing_contributions_clears_posts_and_chat_messages(world):
    delete_account(user=world["user"], remove_contributions=True, actor=world["user"])
    post = Post.objects.get(pk=world["post"].pk)
    assert (post.author, post.body_markdown, post.body_text, post.deleted_at is not None) == (None, "", "", True)
    messages = ChatMessage.objects.filter(room__event=world["session"])
    assert {(m.text, m.html, m.deleted_at is not None) for m in messages} == {("", "", True)}


def test_solo_stories_are_unpublished_and_shared_ones_lose_the_name(world):
    result = delete_account(user=world["user"], remove_contributions=False, actor=world["user"])
    assert (result.stories_unpublished, result.stories_unnamed) == (1, 1)
    solo = PracticeStoryPage.objects.get(pk=world["solo"].pk)
    shared = PracticeStoryPage.objects.get(pk=world["shared"].pk)
    assert (solo.live, shared.live) == (False, True)
    assert [a.display_name for a in shared.authors.all()] == ["Co Author"]


def test_a_shared_story_is_no_longer_found_by_the_former_authors_name(world):
    assert sorted(s.title for s in search_stories(q=NAME)) == ["Shared practice", "Solo practice"]

    delete_account(user=world["user"], remove_contributions=False, actor=world["user"])

    assert ([s.title for s in search_stories(q=NAME)], [s.title for s in search_stories(q="co author")]) == (
        [],
        ["Shared practice"],
    )


def test_everything_personal_is_gone_and_the_account_is_a_tombstone(world):
    from community.personal_tokens import create_personal_token, user_for_token

    user = world["user"]
    _token, secret = create_personal_token(user=user, name="my script")
    delete_account(user=user, remove_contributions=False, actor=user)
    user = User.objects.get(pk=user.pk)
    assert (user.username, user.email, user.is_active, user.has_usable_password()) == (
        f"former-member-{user.pk}",
        "",
        False,
        False,
    )
    assert user.deleted_at is not None
    assert not Profile.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not ThreadFollow.objects.filter(user=user).exists()
    assert not EventFollow.objects.filter(user=user).exists()
    assert not Notification.objects.filter(recipient=user).exists()
    assert not user.personal_tokens.exists()
    assert user_for_token(secret) is None
    entry = AuditEntry.objects.get(action="account_deleted")
    assert (entry.subject_label, entry.actor_label) == (f"member #{user.pk}", "system")


def test_deleting_twice_is_safe_and_does_nothing_the_second_time(world):
    first = delete_account(user=world["user"], remove_contributions=False, actor=world["user"])
    second = delete_account(user=world["user"], remove_contributions=True, actor=world["user"])
    assert (first.deleted, second.deleted) == (True, False)
    assert AuditEntry.objects.filter(action="account_deleted").count() == 1
    # The second call (which asked for removal) changed nothing already decided.
    assert Post.objects.get(pk=world["post"].pk).body_text == "Pair apprentices with mentors."


def test_the_last_admin_of_an_organisation_must_hand_over_first(client):
    profile = ProfileFactory(display_name=NAME)
    organisation = OrganisationFactory(name="Lonely Org")
    MembershipFactory(organisation=organisation, user=profile.user, role=Role.ADMIN)
    with pytest.raises(ValidationError) as excinfo:
        delete_account(user=profile.user, remove_contributions=False, actor=profile.user)
    assert "Lonely Org" in excinfo.value.messages[0]
    assert User.objects.get(pk=profile.user.pk).is_active
    client.force_login(profile.user)
    page = client.get("/members/me/delete/").content.decode()
    assert "You are the only admin of Lonely Org" in page


def test_a_member_cannot_delete_someone_elses_account():
    victim = ProfileFactory().user
    with pytest.raises(PermissionDenied):
        delete_account(user=victim, remove_contributions=False, actor=ProfileFactory().user)
    assert User.objects.get(pk=victim.pk).deleted_at is None


def test_the_site_deletes_only_the_signed_in_member_even_for_an_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    ProfileFactory(user=admin)
    victim = ProfileFactory().user
    client.force_login(admin)
    # There is no address that names another member: the form deletes whoever is signed in.
    response = client.post(f"/members/me/delete/?user={victim.pk}", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    assert User.objects.get(pk=victim.pk).deleted_at is None
    assert User.objects.get(pk=admin.pk).deleted_at is None


def test_the_delete_page_needs_the_password_and_then_signs_out(client, world):
    client.force_login(world["user"])
    response = client.post("/members/me/delete/", {"password": "not it", "confirm": "on"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["password"]
    assert User.objects.get(pk=world["user"].pk).deleted_at is None
    response = client.post("/members/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert User.objects.get(pk=world["user"].pk).deleted_at is not None
    assert client.get("/members/me/privacy/").status_code == 302  # signed out


def test_sessions_elsewhere_end(client, world):
    client.force_login(world["user"])
    delete_account(user=world["user"], remove_contributions=False, actor=world["user"])
    response = client.get("/members/me/privacy/")
    assert (response.status_code, response["Location"].startswith("/accounts/login/")) == (302, True)


def test_an_account_without_a_password_confirms_by_email(client, mailoutbox):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    ProfileFactory(user=user)
    client.force_login(user)
    client.post("/members/me/delete/", {"send_link": "1"})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/members/me/delete/" in line).strip()
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    assert client.get(path + "x").status_code == 404  # forged
    response = client.post(path, {"confirm": "on"})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).deleted_at is not None


def test_moderation_logs_keep_the_action_not_the_person(world):
    moderator = ProfileFactory(display_name="Mo Derator").user
    room = ChatRoom.objects.get(event=world["session"])
    ChatModerationLog.objects.create(room=room, actor=moderator, action="mute", target_user=world["user"])
    delete_account(user=world["user"], remove_contributions=False, actor=world["user"])
    entry = ChatModerationLog.objects.get()
    assert (entry.action, entry.actor, entry.target_user) == ("mute", moderator, None)


def test_staff_delete_an_account_only_through_the_admin_and_it_is_logged(client, world):
    admin = UserFactory(is_staff=True, is_superuser=True)
    ProfileFactory(user=admin, display_name="Sam Staff")
    client.force_login(admin)
    response = client.post(f"/admin/snippets/community/profile/delete/{world['profile'].pk}/")
    assert response.status_code == 302
    user = User.objects.get(pk=world["user"].pk)
    assert (user.deleted_at is not None, user.is_active) == (True, False)
    entry = AuditEntry.objects.get(action="account_deleted")
    assert (entry.actor, entry.actor_label, entry.subject_label) == (
        admin,
        f"Sam Staff (#{admin.pk})",
        f"member #{user.pk}",
    )


def test_the_admin_refuses_to_delete_members_in_bulk(client, world):
    admin = UserFactory(is_staff=True, is_superuser=True)
    ProfileFactory(user=admin)
    client.force_login(admin)
    response = client.post(f"/admin/bulk/community/profile/delete/?id={world['profile'].pk}")
    assert (response.status_code, response["Location"]) == (302, "/admin/snippets/community/profile/")
    assert Profile.objects.filter(pk=world["profile"].pk).exists()
    assert User.objects.get(pk=world["user"].pk).deleted_at is None


def test_other_members_notifications_stop_naming_the_member(client, world):
    client.force_login(world["follower"])
    assert NAME in client.get("/notifications/").content.decode()  # "Xavier Quill posted in …"
    delete_account(user=world["user"], remove_contributions=False, actor=world["user"])
    page = client.get("/notifications/").content.decode()
    assert NAME not in page
    assert "a former member posted in" in page
