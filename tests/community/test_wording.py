"""One wording throughout: "Log in" and "Sign up", also on the pages django-allauth renders
(locale/en overrides its "Sign In" / "Sign Up")."""

import re

import pytest
from allauth.account.models import EmailAddress

from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

OTHER_WORDINGS = re.compile(r"\bSign[ -]?In\b|\bSign Up\b|\bSignup\b|\bsign in\b|\bSign in\b")


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_account_pages_say_log_in_and_sign_up(client, path):
    text = re.sub(r"<[^>]+>", " ", client.get(path).content.decode())
    assert OTHER_WORDINGS.findall(text) == []
    assert "Log in" in text


def test_logging_in_greets_the_member_by_display_name(client):
    profile = ProfileFactory(display_name="Lucía Martínez")
    user = profile.user
    user.email = "lucia@example.org"
    user.set_password("a long enough passphrase 42")
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "a long enough passphrase 42"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["You are logged in as Lucía Martínez."]
