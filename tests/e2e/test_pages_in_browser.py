"""The pages people meet, in Chromium with the real Content-Security-Policy: axe-core finds no serious
or critical accessibility violation, no page logs a policy violation or a script error, and the
Wagtail admin still signs in and shows its dashboard under its own policy.

axe-core comes bundled in axe-playwright-python (no download). With ``E2E_SCREENSHOTS=1`` each page
is also saved at desktop and phone width under tests/e2e/screenshots/.
"""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone

from community.discussions import post_reply, start_thread
from community.models import User, Visibility
from tests.community.factories_stories import CategoryFactory, publish_story
from tests.e2e.browsers import CHROMIUM, NO_CHROMIUM, screenshot, signed_in_context, wait_for_server
from tests.events.factories_chat import live_session
from tests.factories import EventFactory, OrganisationFactory, ProfileFactory, UserFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]
pytest.importorskip("playwright.sync_api")

PASSWORD = "correct horse battery staple"
BLOCKING_IMPACTS = {"serious", "critical"}
# Every policy violation the page reports, and every uncaught script error.
WATCH = """
window.__problems = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__problems.push(`CSP ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
window.addEventListener("error", (event) => { window.__problems.push(`error ${event.message}`); });
"""


def watch(page) -> list[str]:
    """Console errors of this page (Chromium logs every CSP refusal there too), script errors, and
    responses of 400 or more (by URL: the console's "Failed to load resource" names none, and is
    also logged for the browser's own /favicon.ico request, which no page of ours makes)."""
    problems: list[str] = []

    def console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: problems.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    return problems


def people_and_things():
    """One of each page the issue names, with a member's words on it."""
    author = UserFactory()
    profile = ProfileFactory(
        user=author,
        display_name="Lucía Ferrer",
        headline="VET trainer",
        bio="<p>Teaches <strong>welding</strong> and mentors apprentices.</p>",
        visibility=Visibility.PUBLIC,
    )
    story = publish_story(
        title="Peer mentoring in the workshop",
        summary="Apprentices mentor first-years, and first-years stay.",
        body_html="<p>We paired <strong>apprentices</strong> with first-years.</p><ul><li>weekly</li></ul>",
        authors=[profile],
    )
    category = CategoryFactory(name="Assessment")
    thread = start_thread(
        user=author, category=category, title="Peer assessment rubrics", body_markdown="Which rubric do you use?"
    )
    post_reply(user=author, thread=thread, body_markdown="We use a **three-level** rubric.")
    organisation = OrganisationFactory(name="Florida Universitària", description="A VET centre in Valencia.")
    start = timezone.now().replace(microsecond=0, second=0, minute=0) + dt.timedelta(days=3)
    event = EventFactory(
        organiser=organisation,
        title="Valorisation day",
        start=start,
        end=start + dt.timedelta(hours=3),
        venue="Aula Magna",
    )
    session = live_session(title="Mentoring that lasts")
    return author, {
        "home": "/",
        "story-index": "/stories/",
        "story": story.url,
        "thread": thread.get_absolute_url(),
        "calendar": "/events/?view=month",
        "event-list": "/events/",
        "event": event.get_absolute_url(),
        "session-room": session.get_absolute_url(),
        "profile": profile.get_absolute_url(),
        "organisation": organisation.get_absolute_url(),
        "sign-up": "/accounts/signup/",
    }


def test_pages_have_no_serious_accessibility_violation_and_no_policy_violation(server, sync_browser):
    member, pages = people_and_things()
    axe = Axe()
    failures = []
    for signed_in in (False, True):
        context = signed_in_context(sync_browser, server, member if signed_in else None)
        context.add_init_script(WATCH)
        page = context.new_page()
        console = watch(page)
        wait_for_server(page, server)
        console.clear()  # the browser's own /favicon.ico request on a non-HTML page
        for name, path in pages.items():
            if signed_in and name == "sign-up":
                continue
            page.goto(server + path, wait_until="load")
            if name == "session-room" and signed_in:
                page.locator("[data-chat-form]").wait_for(state="visible")
                if not page.locator("[data-chat-moderation]").is_hidden():
                    failures.append(f"{path}: a member who cannot moderate sees the moderation controls")
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] in BLOCKING_IMPACTS:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    failures.append(f"{path} ({'member' if signed_in else 'visitor'}): {violation['id']} {targets}")
            failures.extend(f"{path}: {problem}" for problem in page.evaluate("window.__problems"))
            failures.extend(f"{path}: console: {text}" for text in console)
            console.clear()
            screenshot(page, f"{name}-{'member' if signed_in else 'visitor'}")
        context.close()
    assert failures == []


def test_wagtail_admin_signs_in_and_shows_its_dashboard_under_its_policy(server, sync_browser):
    admin = UserFactory(email="admin@praxis.example", is_staff=True, is_superuser=True)
    # The server's own hasher: the test run hashes with MD5 (tests/conftest.py), which the server does not know.
    hasher = PBKDF2PasswordHasher()
    User.objects.filter(pk=admin.pk).update(password=hasher.encode(PASSWORD, hasher.salt()))
    ProfileFactory(user=admin, display_name="Admin")
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    context = sync_browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    console = watch(page)
    wait_for_server(page, server)
    console.clear()

    page.goto(server + "/admin/")
    page.locator("input[name=login]").fill(admin.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(server + "/admin/")
    assert "Dashboard" in page.title()
    problems = page.evaluate("window.__problems")
    page.goto(server + "/admin/pages/")
    page.wait_for_load_state("load")
    problems += page.evaluate("window.__problems")
    screenshot(page, "admin-pages")
    context.close()

    assert problems + console == []
