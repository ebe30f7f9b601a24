"""What people do, end to end, in Chromium against the real server (issue 17's journeys).

1. A newcomer signs up, verifies the address from the email (read from the server's console
   outbox), fills in a profile and finds themselves in the member directory.
2. A member submits a practice story; a moderator approves it in the Wagtail admin; it is in the
   index and in search; a second member replies in its discussion; the author is notified.
5. The language switcher shows the site in Spanish and in Slovenian.

Journey 4 (two participants in a session room) is tests/e2e/test_chat_e2e.py.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from community.models import User
from tests.community.factories_stories import moderator, story_index
from tests.e2e.browsers import CHROMIUM, NO_CHROMIUM, screenshot, signed_in_context, wait_for_server
from tests.factories import ProfileFactory, UserFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]
pytest.importorskip("playwright.sync_api")

PASSWORD = "a long and unusual passphrase 42"


def confirmation_links(server) -> list[str]:
    """The e-mail confirmation links the server has printed (console email, quoted-printable undone)."""
    text = server.output.read_text(errors="replace").replace("=\n", "").replace("=3D", "=")
    return re.findall(r"https?://[^\s\"<>]+/accounts/confirm-email/[^\s\"<>]+", text)


def signs_in_with_password(user: User) -> User:
    """A password the server can check (the test run itself hashes with MD5, tests/conftest.py)."""
    hasher = PBKDF2PasswordHasher()
    User.objects.filter(pk=user.pk).update(password=hasher.encode(PASSWORD, hasher.salt()))
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    user.refresh_from_db()  # a session made from it later carries the new password's hash
    return user


def sign_in(page, server: str, email: str, next_path: str = "/") -> None:
    page.goto(f"{server}/accounts/login/?next={next_path}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(re.escape(server + next_path.split("?")[0])))


def test_newcomer_signs_up_verifies_fills_in_a_profile_and_is_in_the_directory(server, sync_browser):
    context = sync_browser.new_context()
    page = context.new_page()
    wait_for_server(page, server)

    page.goto(server + "/accounts/signup/")
    screenshot(page, "sign-up")
    page.locator("input[name=email]").fill("nika@school.example")
    page.locator("input[name=display_name]").fill("Nika Kovač")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("input[name=password2]").press("Enter")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    links = confirmation_links(server)
    assert len(links) == 1
    page.goto(links[0].replace("http://127.0.0.1:8000", server).replace("http://localhost:8000", server))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    assert EmailAddress.objects.get(email="nika@school.example").verified

    page.goto(server + "/members/me/edit/")
    if "/accounts/login/" in page.url:
        page.locator("input[name=login]").fill("nika@school.example")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("input[name=password]").press("Enter")
        page.wait_for_url(re.compile(r"/members/me/edit/"))
    page.locator("input[name=headline]").fill("Maths teacher, eTwinning ambassador")
    page.locator("textarea[name=bio]").fill("I run a cross-border maths club.")
    page.locator("form:has(textarea[name=bio]) button[type=submit]").first.click()
    page.wait_for_load_state("load")
    screenshot(page, "profile-own")
    # Listed nowhere until they choose (#18's privacy-friendly defaults): public, in the directory.
    page.goto(server + "/members/me/privacy/")
    page.locator("input[name=visibility][value=public]").check()
    page.locator("input[name=in_directory]").check()
    page.locator("form:has(input[name=in_directory]) button[type=submit]").first.click()
    page.wait_for_load_state("load")

    page.goto(server + "/members/")
    screenshot(page, "member-directory")
    card = page.locator("main").get_by_text("Nika Kovač")
    assert card.count() >= 1
    card.first.click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Maths teacher, eTwinning ambassador").count() >= 1
    context.close()


def test_language_switcher_shows_the_site_in_spanish_and_slovenian(server, sync_browser):
    context = sync_browser.new_context()
    page = context.new_page()
    wait_for_server(page, server)
    page.goto(server + "/events/")
    navigation = page.get_by_role("navigation", name=re.compile("Main|Principal|Glavn", re.IGNORECASE))

    page.locator("#language-select").select_option("es")
    page.locator("html[lang=es]").wait_for(state="attached")
    assert page.url == server + "/events/"
    assert navigation.get_by_role("link", name="Eventos").count() == 1
    assert navigation.get_by_role("link", name="Experiencias").count() == 1
    screenshot(page, "events-es")

    page.locator("#language-select").select_option("sl")
    page.locator("html[lang=sl]").wait_for(state="attached")
    assert navigation.get_by_role("link", name="Dogodki").count() == 1
    assert navigation.get_by_role("link", name="Zgodbe").count() == 1
    screenshot(page, "events-sl")
    context.close()


def test_story_is_submitted_approved_in_the_admin_found_and_discussed_and_the_author_notified(server, sync_browser):
    story_index()
    author = signs_in_with_password(UserFactory(email="ana@vet.example"))
    ProfileFactory(user=author, display_name="Ana Author")
    decider = signs_in_with_password(moderator())
    reader = UserFactory()
    ProfileFactory(user=reader, display_name="Ben Reader")

    page = (context := sync_browser.new_context()).new_page()
    wait_for_server(page, server)
    sign_in(page, server, author.email, "/stories/submit/")
    page.locator("input[name=title]").fill("Apprentices mentor first-years")
    page.locator("textarea[name=summary]").fill("Second-year apprentices mentor first-years, who then stay.")
    page.locator("textarea[name=body_markdown]").fill("We paired **apprentices** with first-years for a term.")
    page.locator("form:has(textarea[name=body_markdown]) button[type=submit]").first.click()
    page.wait_for_load_state("load")
    context.close()

    page = (context := sync_browser.new_context()).new_page()
    sign_in(page, server, decider.email, "/admin/")
    page.goto(server + "/admin/")
    page.get_by_text("Apprentices mentor first-years").first.wait_for()
    screenshot(page, "admin-dashboard-moderation")
    page.get_by_role("link", name="Apprentices mentor first-years").first.click()
    page.wait_for_load_state("load")
    # The edit view's footer menu: "Approve" sits in a dropdown; its click handler (Wagtail's
    # workflow-action script) posts the action.
    with page.expect_navigation():
        page.locator("button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])").dispatch_event(
            "click"
        )
    screenshot(page, "admin-approved")
    context.close()

    page = signed_in_context(sync_browser, server, reader).new_page()
    page.goto(server + "/stories/")
    page.get_by_role("link", name="Apprentices mentor first-years").first.click()
    page.wait_for_load_state("load")
    screenshot(page, "story")
    page.locator("textarea[name=body_markdown]").fill("We tried this too: it works with evening classes.")
    page.locator("form:has(textarea[name=body_markdown]) button[type=submit]").first.click()
    page.wait_for_load_state("load")
    page.goto(server + "/search/?q=apprentices")
    assert page.get_by_role("link", name="Apprentices mentor first-years").count() >= 1
    page.context.close()

    page = signed_in_context(sync_browser, server, author).new_page()
    page.goto(server + "/notifications/")
    screenshot(page, "notifications")
    assert page.locator("main").get_by_text(re.compile("Ben Reader")).count() >= 1
    page.context.close()
