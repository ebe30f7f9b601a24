import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from community.models import Profile, User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "ana@example.org",
    "password1": "a long enough passphrase 42",
    "password2": "a long enough passphrase 42",
    "display_name": "Ana Pérez",
    "country": "ES",
}


def test_signup_creates_profile_and_sends_verification_email(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="ana@example.org")
    assert user.profile.display_name == "Ana Pérez"
    assert user.profile.country == "ES"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert EmailAddress.objects.get(user=user).verified is False


def test_signup_verification_link_verifies_the_address(client):
    client.post("/accounts/signup/", SIGNUP)
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ana@example.org").verified is True


def test_signup_with_bad_input_keeps_what_was_typed_and_names_the_fields(client):
    data = {**SIGNUP, "email": "not-an-email", "password2": "different", "country": "XX"}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"email", "password2", "country"}
    html = response.content.decode()
    assert 'value="Ana Pérez"' in html
    assert 'value="not-an-email"' in html
    assert User.objects.count() == 0


def test_login_by_email_with_verified_address(client):
    user = User.objects.create_user(username="b", email="b@example.org", password="a long enough passphrase 42")
    EmailAddress.objects.create(user=user, email="b@example.org", verified=True, primary=True)
    response = client.post("/accounts/login/", {"login": "b@example.org", "password": "a long enough passphrase 42"})
    assert response.status_code == 302
    assert client.get("/members/me/edit/").status_code == 200
    assert Profile.objects.filter(user=user).count() == 1


def test_password_reset_sends_an_email(client):
    user = User.objects.create_user(username="c", email="c@example.org", password="x" * 20)
    EmailAddress.objects.create(user=user, email="c@example.org", verified=True, primary=True)
    response = client.post("/accounts/password/reset/", {"email": "c@example.org"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["c@example.org"]]


def test_confirming_the_address_signs_in_and_lands_on_the_profile_to_finish(client):
    client.post("/accounts/signup/", SIGNUP)
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[0].body).group(0)
    response = client.post(link.split("testserver", 1)[1])
    assert response["Location"] == "/members/me/edit/"
    page = client.get("/members/me/edit/")
    assert (page.status_code, page.context["user"].email) == (200, "ana@example.org")


def test_account_emails_say_praxis_and_greet_by_display_name(client):
    client.post("/accounts/signup/", SIGNUP)
    body = mail.outbox[0].body
    assert (body.splitlines()[0], body.rstrip().splitlines()[-1]) == ("Hello Ana Pérez,", "Praxis")
    assert "example.com" not in body
    assert mail.outbox[0].subject.startswith("[Praxis] ")
