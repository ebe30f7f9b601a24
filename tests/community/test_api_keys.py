import hashlib
import re

import pytest
from django.urls import reverse

from community.models import ApiKey, Role
from community.organisations import create_api_key
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    membership = MembershipFactory(role=Role.ADMIN)
    client.force_login(membership.user)
    return membership


def test_api_keys_admin_creates_a_key_shown_once_and_stored_hashed(client, admin):
    url = reverse("organisation-api-keys", args=[admin.organisation.slug])
    response = client.post(url, {"name": "website sync", "expires_on": "2099-01-01"})
    secret = re.search(r'<code id="new-key">([^<]+)</code>', response.content.decode()).group(1)
    key = ApiKey.objects.get()
    assert (response["Cache-Control"], key.hashed_key, key.name) == (
        "no-store",
        hashlib.sha256(secret.encode()).hexdigest(),
        "website sync",
    )
    assert key.expires_at.year == 2099
    assert secret not in client.get(url).content.decode()


def test_api_keys_admin_revokes_and_the_key_stops_working(client, admin):
    key, secret = create_api_key(organisation=admin.organisation)
    client.post(reverse("organisation-api-keys", args=[admin.organisation.slug]), {"revoke": key.pk})
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert client.get("/api/v1/partner/events/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_api_keys_past_expiry_is_a_form_error(client, admin):
    response = client.post(
        reverse("organisation-api-keys", args=[admin.organisation.slug]), {"name": "x", "expires_on": "2001-01-01"}
    )
    assert (response.status_code, list(response.context["form"].errors)) == (400, ["expires_on"])


def test_api_keys_another_organisations_key_cannot_be_revoked(client, admin):
    other, _secret = create_api_key(organisation=OrganisationFactory())
    response = client.post(reverse("organisation-api-keys", args=[admin.organisation.slug]), {"revoke": other.pk})
    other.refresh_from_db()
    assert (response.status_code, other.revoked_at) == (404, None)


def test_api_keys_page_is_for_admins_only(client):
    editor = MembershipFactory(role=Role.EDITOR)
    client.force_login(editor.user)
    assert client.get(reverse("organisation-api-keys", args=[editor.organisation.slug])).status_code == 403
