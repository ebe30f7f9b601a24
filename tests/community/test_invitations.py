"""Invitations expire INVITATION_EXPIRY_DAYS after they were sent, and the page says so."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.utils import timezone

from community.models import Invitation, Membership, Role
from community.organisations import send_invitation
from tests.factories import OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def invitation_sent(days_ago: float, *, email: str = "new@example.org") -> Invitation:
    invitation = Invitation.objects.create(
        organisation=OrganisationFactory(name="CMEPIUS"), email=email, role=Role.EDITOR
    )
    Invitation.objects.filter(pk=invitation.pk).update(created=timezone.now() - dt.timedelta(days=days_ago))
    invitation.refresh_from_db()
    return invitation


def invitee(client, email: str = "new@example.org"):
    profile = ProfileFactory(user__email=email)
    EmailAddress.objects.create(user=profile.user, email=email, verified=True, primary=True)
    client.force_login(profile.user)
    return profile.user


def test_invitations_expire_after_fourteen_days_by_default():
    assert django_settings.INVITATION_EXPIRY_DAYS == 14
    invitation = invitation_sent(0)
    assert invitation.expires_at == invitation.created + dt.timedelta(days=14)


def test_invitation_page_names_the_organisation_role_and_expiry(client):
    invitation = invitation_sent(13.9)
    invitee(client)

    response = client.get(f"/invitations/{invitation.token}/")

    assert response.status_code == 200
    assert response.context["refusal"] is None
    html = response.content.decode()
    assert "You are invited to join CMEPIUS as Editor." in html
    assert "This invitation works until" in html
    assert 'type="submit"' in html


def test_expired_invitation_page_says_so_and_offers_no_button(client):
    invitation = invitation_sent(14.01)
    invitee(client)

    response = client.get(f"/invitations/{invitation.token}/")

    assert response.status_code == 410
    assert response.context["refusal"].startswith("This invitation expired on ")
    assert response.context["refusal"].endswith(" Ask an admin of CMEPIUS to invite you again.")
    assert "Join the organisation" not in response.content.decode()


def test_expired_invitation_is_not_accepted(client):
    invitation = invitation_sent(15)
    user = invitee(client)

    response = client.post(f"/invitations/{invitation.token}/")

    assert response.status_code == 410
    assert response.context["refusal"].startswith("This invitation expired on ")
    assert Membership.objects.filter(user=user).count() == 0
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_within_its_days_is_accepted(client):
    invitation = invitation_sent(13)
    user = invitee(client)

    assert client.post(f"/invitations/{invitation.token}/").status_code == 302
    assert Membership.objects.get(user=user).role == Role.EDITOR


def test_expiry_follows_the_setting(client, settings):
    settings.INVITATION_EXPIRY_DAYS = 30
    invitation = invitation_sent(20)
    user = invitee(client)

    assert client.post(f"/invitations/{invitation.token}/").status_code == 302
    assert Membership.objects.filter(user=user).count() == 1


def test_accepted_invitation_cannot_be_used_again(client):
    invitation = invitation_sent(1)
    invitee(client)
    client.post(f"/invitations/{invitation.token}/")

    response = client.get(f"/invitations/{invitation.token}/")

    assert response.status_code == 410
    assert response.context["refusal"] == "This invitation has already been accepted."


def test_unknown_invitation_is_404(client):
    invitee(client)
    assert client.get("/invitations/no-such-token/").status_code == 404


def test_invitation_email_says_until_when_the_link_works(mailoutbox):
    invitation = invitation_sent(0)
    send_invitation(invitation=invitation, base_url="https://praxis.example.org")

    (message,) = mailoutbox
    assert f"https://praxis.example.org/invitations/{invitation.token}/" in message.body
    assert "The link works until " in message.body


def test_members_page_marks_expired_invitations(client):
    fresh, stale = invitation_sent(1, email="fresh@example.org"), invitation_sent(20, email="stale@example.org")
    admin = ProfileFactory().user
    for organisation in (fresh.organisation, stale.organisation):
        organisation.memberships.create(user=admin, role=Role.ADMIN)
    client.force_login(admin)

    stale_page = client.get(f"/organisations/{stale.organisation.slug}/members/").content.decode()
    fresh_page = client.get(f"/organisations/{fresh.organisation.slug}/members/").content.decode()

    assert "stale@example.org (Editor) — expired" in stale_page
    assert "fresh@example.org (Editor) — until " in fresh_page
