"""Personal API tokens: a member's own Bearer token acts as them on the API, never as anyone else."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from community.models import Post
from community.organisations import create_api_key
from community.personal_tokens import create_personal_token, revoke_personal_token, user_for_token
from tests.community.factories_stories import ThreadFactory
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(**kwargs):
    user = UserFactory(date_joined=timezone.now() - dt.timedelta(days=30), **kwargs)
    ProfileFactory(user=user)
    return user


def post_with(client: Client, thread, secret: str, text: str = "Posted by my script"):
    return client.post(
        f"/api/v1/threads/{thread.pk}/posts/",
        {"body_markdown": text},
        content_type="application/json",
        headers={"authorization": f"Bearer {secret}"},
    )


def test_a_personal_token_posts_as_its_member_without_a_session_or_csrf():
    user = member()
    thread = ThreadFactory()
    _token, secret = create_personal_token(user=user, name="newsletter bot")

    response = post_with(Client(enforce_csrf_checks=True), thread, secret)

    assert response.status_code == 201, response.content
    assert Post.objects.get(pk=response.json()["id"]).author == user


def test_only_the_hash_is_stored_and_the_secret_says_what_it_is():
    user = member()
    token, secret = create_personal_token(user=user, name="x")
    assert secret.startswith("prt_")
    assert secret not in token.hashed_key
    assert token.prefix == secret[:10]


@pytest.mark.parametrize("state", ["revoked", "expired", "inactive member", "forged"])
def test_a_dead_token_is_refused_with_a_problem(state):
    user = member()
    thread = ThreadFactory()
    token, secret = create_personal_token(user=user, name="x")
    if state == "revoked":
        revoke_personal_token(user=user, token=token)
    elif state == "expired":
        token.expires_at = timezone.now() - dt.timedelta(seconds=1)
        token.save()
    elif state == "inactive member":
        user.is_active = False
        user.save()
    else:
        secret = secret[:-4] + "AAAA"

    response = post_with(Client(), thread, secret)

    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "The token is not valid, revoked or expired."
    assert not Post.objects.filter(thread=thread, number__gt=1).exists()


def test_an_organisation_key_on_a_member_endpoint_is_told_where_it_belongs():
    thread = ThreadFactory()
    _key, secret = create_api_key(organisation=OrganisationFactory())

    response = post_with(Client(), thread, secret)

    assert response.status_code in (401, 403)
    assert "Organisation keys (prx_…) work on the partner API only" in response.json()["detail"]


def test_a_personal_token_is_not_a_partner_key():
    user = member()
    _token, secret = create_personal_token(user=user, name="x")
    response = Client().get("/api/v1/partner/events/", headers={"authorization": f"Bearer {secret}"})
    assert response.status_code in (401, 403)


def test_only_the_owner_revokes_and_revoking_twice_is_harmless():
    owner, other = member(), member()
    token, _secret = create_personal_token(user=owner, name="x")
    with pytest.raises(PermissionDenied):
        revoke_personal_token(user=other, token=token)
    revoke_personal_token(user=owner, token=token)
    first = token.revoked_at
    revoke_personal_token(user=owner, token=token)
    assert token.revoked_at == first is not None


def test_names_expiries_and_the_per_member_limit_are_checked(settings):
    settings.PERSONAL_TOKENS_MAX = 2
    user = member()
    with pytest.raises(ValidationError) as blank:
        create_personal_token(user=user, name="  ")
    with pytest.raises(ValidationError) as past:
        create_personal_token(user=user, name="x", expires_at=timezone.now() - dt.timedelta(days=1))
    create_personal_token(user=user, name="a")
    create_personal_token(user=user, name="b")
    with pytest.raises(ValidationError) as limit:
        create_personal_token(user=user, name="c")
    assert set(blank.value.message_dict) == {"name"}
    assert set(past.value.message_dict) == {"expires_at"}
    assert limit.value.message_dict["name"] == ["You have 2 tokens; revoke one you no longer use first."]


def test_a_long_or_foreign_secret_is_not_looked_up():
    assert user_for_token("prt_" + "a" * 200) is None
    assert user_for_token("prx_abc") is None


def test_the_tokens_page_shows_the_secret_once_and_revokes(client):
    user = member()
    client.force_login(user)

    created = client.post("/members/me/tokens/", {"name": "calendar sync"})
    secret = created.context["secret"]
    listed = client.get("/members/me/tokens/")
    token = user.personal_tokens.get()
    revoked = client.post("/members/me/tokens/", {"revoke": token.pk}, follow=True)

    assert (created.status_code, created["Cache-Control"]) == (200, "no-store")
    assert secret.startswith("prt_")
    assert secret in created.content.decode()
    assert secret not in listed.content.decode()
    assert token.prefix in listed.content.decode()
    assert revoked.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_member_cannot_revoke_someone_elses_token_from_the_page(client):
    owner, other = member(), member()
    token, _secret = create_personal_token(user=owner, name="x")
    client.force_login(other)
    assert client.post("/members/me/tokens/", {"revoke": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/members/me/tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
