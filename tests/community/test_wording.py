"""One wording throughout: "Log in" and "Sign up", also on the pages django-allauth renders
(locale/en overrides its "Sign In" / "Sign Up")."""

import re

import pytest

pytestmark = pytest.mark.django_db

OTHER_WORDINGS = re.compile(r"\bSign[ -]?In\b|\bSign Up\b|\bSignup\b|\bsign in\b|\bSign in\b")


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_account_pages_say_log_in_and_sign_up(client, path):
    text = re.sub(r"<[^>]+>", " ", client.get(path).content.decode())
    assert OTHER_WORDINGS.findall(text) == []
    assert "Log in" in text
