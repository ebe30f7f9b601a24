import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from community.models import Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def test_organisation_page_lists_visible_members_only(client):
    org = OrganisationFactory(slug="florida")
    MembershipFactory(organisation=org, user=ProfileFactory(display_name="Shown", visibility="public").user)
    MembershipFactory(organisation=org, user=ProfileFactory(display_name="Hidden", visibility="members").user)
    response = client.get("/organisations/florida/")
    assert response.status_code == 200
    assert [m.user.profile.display_name for m in response.context["memberships"]] == ["Shown"]


def test_unknown_organisation_is_404(client):
    assert client.get("/organisations/nope/").status_code == 404


def _admin_client(client, org):
    admin = ProfileFactory()
    MembershipFactory(organisation=org, user=admin.user, role=Role.ADMIN)
    client.force_login(admin.user)
    return admin


def test_admin_invites_by_email_and_invitee_accepts(client, django_capture_on_commit_callbacks):
    org = OrganisationFactory(slug="cmepius")
    _admin_client(client, org)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organisations/cmepius/members/", {"email": "new@example.org", "role": "editor"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    token = org.invitations.get().token
    invitee = ProfileFactory(user__email="new@example.org")
    EmailAddress.objects.create(user=invitee.user, email="new@example.org", verified=True, primary=True)
    client.force_login(invitee.user)
    assert client.post(f"/invitations/{token}/").status_code == 302
    assert Membership.objects.get(user=invitee.user, organisation=org).role == "editor"


def test_invitation_cannot_be_accepted_by_another_address(client):
    org = OrganisationFactory()
    admin = _admin_client(client, org)
    client.post(f"/organisations/{org.slug}/members/", {"email": "right@example.org", "role": "member"})
    token = org.invitations.get().token
    client.force_login(admin.user)
    intruder = ProfileFactory(user__email="wrong@example.org")
    client.force_login(intruder.user)
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 403
    assert not Membership.objects.filter(user=intruder.user).exists()


def test_plain_member_cannot_manage_members(client):
    org = OrganisationFactory()
    member = ProfileFactory()
    MembershipFactory(organisation=org, user=member.user, role=Role.MEMBER)
    client.force_login(member.user)
    assert client.get(f"/organisations/{org.slug}/members/").status_code == 403
    other = MembershipFactory(organisation=org)
    response = client.post(f"/organisations/{org.slug}/members/{other.pk}/", {"action": "remove"})
    assert response.status_code == 403
    assert Membership.objects.filter(pk=other.pk).exists()


def test_admin_changes_role_and_removes_member(client):
    org = OrganisationFactory()
    _admin_client(client, org)
    other = MembershipFactory(organisation=org)
    client.post(f"/organisations/{org.slug}/members/{other.pk}/", {"role": "editor"})
    other.refresh_from_db()
    assert other.role == "editor"
    client.post(f"/organisations/{org.slug}/members/{other.pk}/", {"action": "remove"})
    assert not Membership.objects.filter(pk=other.pk).exists()


def test_last_admin_cannot_demote_themselves(client):
    org = OrganisationFactory()
    admin = _admin_client(client, org)
    membership = Membership.objects.get(user=admin.user)
    client.post(f"/organisations/{org.slug}/members/{membership.pk}/", {"role": "member"})
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_admin_of_one_organisation_cannot_manage_another(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    _admin_client(client, mine)
    victim = MembershipFactory(organisation=theirs)
    response = client.post(f"/organisations/{theirs.slug}/members/{victim.pk}/", {"action": "remove"})
    assert response.status_code == 403
    assert Membership.objects.filter(pk=victim.pk).exists()
