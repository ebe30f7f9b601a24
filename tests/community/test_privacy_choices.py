"""Privacy choices (issue #18): each one honoured on every surface, as a matrix.

For every surface, every profile visibility, both kinds of viewer and both values of the
choice that governs the surface, the member's name is shown exactly when the rule says so.
The other listing choices are set to the opposite value, so a surface that read the wrong
choice fails.
"""

from __future__ import annotations

import itertools

import pytest
from django.core import mail

from community.models import AuditEntry, NotificationEmail, Profile
from community.notifications import notify
from community.privacy import update_privacy_choices
from events.models import Speaker
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME = "Zelda Quokka"
LISTING_CHOICES = ("in_directory", "in_speaker_lists", "in_organisation_lists")


def _seen(response) -> bool:
    return response.status_code == 200 and NAME in response.content.decode()


def profile_page(client, world) -> bool:
    return _seen(client.get(world["profile"].get_absolute_url()))


def directory(client, world) -> bool:
    return _seen(client.get("/members/"))


def member_search(client, world) -> bool:
    return _seen(client.get("/members/", {"q": "Quokka"}))


def site_search(client, world) -> bool:
    return _seen(client.get("/search/", {"q": "Quokka"}))


def organisation_page(client, world) -> bool:
    return _seen(client.get(world["organisation"].get_absolute_url()))


def session_page_speakers(client, world) -> bool:
    return _seen(client.get(f"/events/{world['session'].pk}/"))


def conference_page_speakers(client, world) -> bool:
    return _seen(client.get(f"/events/{world['session'].parent_id}/"))


def api_speakers(client, world) -> bool:
    row = client.get(f"/api/v1/conferences/{world['session'].parent_id}/").json()
    return [s["name"] for s in row["sessions"][0]["speakers"]] == [NAME]


# surface → the choice that governs it (None: only the profile's visibility does)
SURFACES = {
    profile_page: None,
    directory: "in_directory",
    member_search: "in_directory",
    site_search: "in_directory",
    organisation_page: "in_organisation_lists",
    session_page_speakers: "in_speaker_lists",
    conference_page_speakers: "in_speaker_lists",
    api_speakers: "in_speaker_lists",
}


@pytest.mark.parametrize(
    ("surface", "visibility", "viewer", "choice"),
    list(itertools.product(SURFACES, ["public", "members"], ["anonymous", "member"], [True, False])),
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_a_surface_shows_the_member_exactly_when_their_choices_allow(client, surface, visibility, viewer, choice):
    governing = SURFACES[surface]
    flags = {name: (choice if name == governing else not choice) for name in LISTING_CHOICES}
    if governing is None:
        flags = dict.fromkeys(LISTING_CHOICES, choice)
    profile = ProfileFactory(display_name=NAME, visibility=visibility, **flags)
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, user=profile.user)
    session = SessionFactory(title="Mentoring in the workshop")
    Speaker.objects.create(session=session, profile=profile)
    if viewer == "member":
        client.force_login(ProfileFactory().user)

    shown = surface(client, {"profile": profile, "organisation": organisation, "session": session})

    may_see_profile = visibility == "public" or viewer == "member"
    expected = may_see_profile and (governing is None or choice)
    assert shown == expected


def test_new_profiles_get_the_privacy_friendly_defaults():
    profile = Profile.objects.create(user=UserFactory(), slug="new", display_name="New")
    assert (profile.visibility, profile.in_directory, profile.in_speaker_lists, profile.in_organisation_lists) == (
        "members",
        False,
        False,
        False,
    )
    assert profile.quotable is False


def test_the_privacy_page_saves_every_choice_and_the_email_choice(client):
    profile = ProfileFactory(visibility="public")
    client.force_login(profile.user)
    assert client.get("/members/me/privacy/").status_code == 200
    response = client.post(
        "/members/me/privacy/",
        {"visibility": "members", "in_directory": "on", "quotable": "on"},  # unchecked boxes are absent
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (
        profile.visibility,
        profile.in_directory,
        profile.in_speaker_lists,
        profile.in_organisation_lists,
        profile.quotable,
    ) == ("members", True, False, False, True)
    assert NotificationEmail.objects.get(user=profile.user).enabled is False
    assert AuditEntry.objects.count() == 0  # the member's own change is not an audit event


def test_the_privacy_page_refuses_an_unknown_visibility_and_keeps_the_stored_one(client):
    profile = ProfileFactory(visibility="public")
    client.force_login(profile.user)
    response = client.post("/members/me/privacy/", {"visibility": "everyone"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["visibility"]
    profile.refresh_from_db()
    assert profile.visibility == "public"


def test_the_privacy_page_needs_a_signed_in_member(client):
    response = client.get("/members/me/privacy/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_staff_change_of_someone_elses_choices_is_audited():
    profile = ProfileFactory(display_name=NAME, visibility="public")
    admin = ProfileFactory(display_name="Ada Admin").user
    changed = update_privacy_choices(
        profile=profile,
        actor=admin,
        notification_emails=True,
        visibility="members",
        in_directory=True,
        in_speaker_lists=True,
        in_organisation_lists=True,
        quotable=False,
    )
    assert changed == ["visibility"]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.subject, entry.detail) == (
        "privacy_changed",
        admin,
        profile.user,
        "visibility",
    )


def test_turning_emails_off_on_the_privacy_page_stops_the_digest(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    client.post("/members/me/privacy/", {"visibility": "public"})
    notify(user=profile.user, kind="reply", message="A reply", url="/")
    assert mail.outbox == []


def test_a_staff_edit_in_the_wagtail_admin_is_audited(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    ProfileFactory(user=admin, display_name="Ada Admin")
    profile = ProfileFactory(display_name=NAME, visibility="public", in_directory=True)
    client.force_login(admin)
    data = {
        "user": profile.user_id,
        "slug": profile.slug,
        "display_name": NAME,
        "visibility": "members",
        "in_speaker_lists": "on",
        "in_organisation_lists": "on",
    }  # in_directory unticked
    response = client.post(f"/admin/snippets/community/profile/edit/{profile.pk}/", data)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.visibility, profile.in_directory) == ("members", False)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.subject, entry.detail) == (
        "privacy_changed",
        admin,
        profile.user,
        "admin: visibility, in_directory",
    )
