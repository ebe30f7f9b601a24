"""Every way to sign in shares allauth's rate limits and lockout.

The admins' login URLs (Wagtail's /admin/login/, Django's /django-admin/login/) lead
to /accounts/login/ and never check a password themselves.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Permission

from community.models import User

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough passphrase 42"
ADMIN_DOORS = ["/admin/login/", "/django-admin/login/"]


def person(email: str = "ana@example.org", **extra) -> User:
    user = User.objects.create_user(username=email.split("@")[0], email=email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def staff(email: str = "staff@example.org") -> User:
    user = person(email, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sign_in(client, *, email: str, password: str, next_url: str = ""):
    data = {"login": email, "password": password}
    path = f"/accounts/login/?next={quote(next_url)}" if next_url else "/accounts/login/"
    return client.post(path, data)


@pytest.mark.parametrize(("door", "home"), [("/admin/login/", "/admin/"), ("/django-admin/login/", "/django-admin/")])
def test_admin_login_page_leads_to_the_sign_in_page_with_the_admin_as_next(client, door, home):
    assert client.get(door).headers["Location"] == f"/accounts/login/?next={quote(home, safe='')}"
    wanted = f"{home}pages/" if door == "/admin/login/" else f"{home}community/user/"
    response = client.get(f"{door}?next={quote(wanted)}")
    assert response.headers["Location"] == f"/accounts/login/?next={quote(wanted, safe='')}"


@pytest.mark.parametrize("door", ADMIN_DOORS)
def test_admin_login_page_ignores_a_next_on_another_host(client, door):
    response = client.get(f"{door}?next=https://evil.example/")
    assert response.headers["Location"].endswith(quote(door.removesuffix("login/"), safe=""))


def test_admin_pages_send_anonymous_visitors_to_the_sign_in_page(client):
    assert client.get("/admin/pages/").headers["Location"] == "/accounts/login/?next=/admin/pages/"
    assert client.get("/django-admin/").headers["Location"] == "/django-admin/login/?next=/django-admin/"


@pytest.mark.parametrize("door", ADMIN_DOORS)
def test_admin_login_form_does_not_sign_in_a_non_staff_member(client, door):
    person()
    response = client.post(door, {"username": "ana@example.org", "login": "ana@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/?next=")
    assert signed_in(client) is False


@pytest.mark.parametrize("door", ADMIN_DOORS)
def test_admin_login_form_does_not_sign_in_staff_either(client, door):
    staff()
    client.post(door, {"username": "staff@example.org", "login": "staff@example.org", "password": PASSWORD})
    assert signed_in(client) is False


@pytest.mark.parametrize("door", ADMIN_DOORS)
def test_signed_in_non_staff_member_at_an_admin_login_page_is_refused_not_looped(client, door):
    client.force_login(person())
    assert client.get(door).status_code == 403


def test_staff_sign_in_through_the_front_door_reaches_both_admins(client):
    staff()
    response = sign_in(client, email="staff@example.org", password=PASSWORD, next_url="/admin/")
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/login/").headers["Location"] == "/django-admin/"
    assert client.get("/django-admin/").status_code == 200


WRONG = "The email address and/or password you specified are not correct."
LOCKED = "Too many failed login attempts. Try again later."


def form_error(response) -> str:
    return response.context["form"].errors["__all__"][0]


def test_thirty_wrong_passwords_on_the_sign_in_page_end_in_refusals(client):
    person()
    answers = [form_error(sign_in(client, email="ana@example.org", password=f"wrong {n}")) for n in range(30)]

    assert answers == [WRONG] * 5 + [LOCKED] * 25
    # The address has used its 30 attempts a minute: the right password gets a 429 page.
    response = sign_in(client, email="ana@example.org", password=PASSWORD)
    assert response.status_code == 429
    assert BeautifulSoup(response.content, "html.parser").find("main").find("h1").get_text() == "Too many attempts"
    assert signed_in(client) is False


def test_locked_account_refuses_the_right_password(client):
    person()
    for n in range(5):
        sign_in(client, email="ana@example.org", password=f"wrong {n}")
    assert form_error(sign_in(client, email="ana@example.org", password=PASSWORD)) == LOCKED
    assert signed_in(client) is False


def test_ten_failures_from_one_address_lock_out_other_accounts_from_it(client):
    for n in range(10):
        sign_in(client, email=f"nobody{n}@example.org", password="wrong")
    person()
    assert form_error(sign_in(client, email="ana@example.org", password=PASSWORD)) == LOCKED


def test_password_reset_requests_are_limited_per_address(client, mailoutbox):
    person()
    answers = [client.post("/accounts/password/reset/", {"email": "ana@example.org"}) for _ in range(6)]

    assert [a.status_code for a in answers[:5]] == [302] * 5
    assert len(mailoutbox) == 5
    assert answers[5].status_code == 429
    assert len(mailoutbox) == 5


@pytest.mark.parametrize("door", ADMIN_DOORS)
def test_thirty_wrong_passwords_on_an_admin_door_are_never_checked(client, door):
    person()
    answers = {
        client.post(door, {"username": "ana@example.org", "password": f"wrong {n}"}).status_code for n in range(30)
    }
    assert answers == {302}
    assert signed_in(client) is False


@pytest.mark.parametrize("door", ADMIN_DOORS)
def test_lockout_from_the_sign_in_page_holds_at_the_admin_door(client, door):
    staff()
    for n in range(5):
        sign_in(client, email="staff@example.org", password=f"wrong {n}")

    # The admin door leads to the same page, which now refuses even the right password.
    sign_in_page = client.get(door).headers["Location"]
    response = client.post(sign_in_page, {"login": "staff@example.org", "password": PASSWORD})

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == ["Too many failed login attempts. Try again later."]
    assert signed_in(client) is False


@pytest.mark.skipif(not settings.REDIS_URL, reason="with the local-memory cache each process counts alone, by design")
def test_lockout_is_shared_between_processes_through_redis(client):
    """Five failures counted by another process (another uvicorn worker) lock the account here."""
    person()
    script = (
        "import django; django.setup()\n"
        "from allauth.account.adapter import get_adapter\n"
        "from django.test import RequestFactory\n"
        "request = RequestFactory().post('/accounts/login/', REMOTE_ADDR='192.0.2.50')\n"
        "for _ in range(5):\n"
        "    get_adapter(request).pre_authenticate(request, email='ana@example.org')\n"
        "print('counted')\n"
    )
    env = {**os.environ, "ALLOWED_HOSTS": "testserver", "DJANGO_SETTINGS_MODULE": "config.settings"}
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.stdout.strip() == "counted", proc.stderr

    assert form_error(sign_in(client, email="ana@example.org", password=PASSWORD)) == LOCKED
    assert signed_in(client) is False


def test_wagtail_password_reset_is_not_a_second_door(client, mailoutbox):
    person()
    response = client.post("/admin/password_reset/", {"email": "ana@example.org"})
    assert response.status_code == 404
    assert mailoutbox == []
