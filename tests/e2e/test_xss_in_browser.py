"""Every XSS vector through every surface that shows what someone else wrote, rendered in Chromium.

Each vector is written through the surface's real write path (the member's forms, the Wagtail
moderation action, the discussion and chat domain functions, the partner API with its key, the
iCalendar importer), then every page that shows it is opened in Chromium with a hook: an init
script replaces ``alert``/``confirm``/``prompt`` (every vector calls one) with a recorder in
``window.__xss`` of every frame, and ``page.on("dialog")`` catches any real dialog. After the
load the DOM is searched for a ``javascript:``/``vbscript:``/``data:text/html`` URL or an
``on…`` attribute, and the page must still be where it was opened (no meta refresh).

The browser context **bypasses the Content-Security-Policy** on purpose: the policy would block
an inline script that slipped through, so with it on this test would prove the header and not
the escaping. The escaping and the sanitiser are what is tested here; the header is the second
line (tests/community/test_content_security.py).

Vectors are batched (several per object, all objects of a surface on as few pages as the site
shows them) so the whole matrix costs a few dozen page loads.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from community.discussions import post_reply, start_thread
from community.models import Organisation, PracticeStoryPage, Role
from community.organisations import add_member, create_api_key
from events.chat.messages import post_message
from events.federation.imports import import_calendar
from events.models import ChatRoom, Event
from tests.community.factories_stories import CategoryFactory, moderator, story_index
from tests.community.xss_vectors import DANGEROUS_MARKUP, UNSAFE_HREFS
from tests.e2e.browsers import CHROMIUM, NO_CHROMIUM, signed_in_context, wait_for_server
from tests.events.factories_chat import live_session
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]
pytest.importorskip("playwright.sync_api")

# Breaking out of an attribute, a title, a textarea or a script block of the page around the text.
BREAKOUTS = [
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><svg onload=alert(1)>",
    "</script><script>alert(1)</script>",
    '" onmouseover="alert(1)" autofocus onfocus="alert(1)" x="',
    "javascript:alert(1)",
    " javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    '<a href="javascript&colon;alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '![x](x" onerror="alert(1))',
    '<https://ok.example/"onmouseover="alert(1)>',
    '<div style="background:url(javascript:alert(1))">css</div>',
    '<div style="width:expression(alert(1))">css</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]
# Web addresses that a URL field accepts and that try to break out of the attribute they land in.
URL_SHAPED = [
    'https://ok.example/"onmouseover="alert(1)',
    "https://ok.example/'><script>alert(1)</script>",
    "https://ok.example/#%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
]
VECTORS = [
    vector
    for vector in (
        *(markup for _name, markup, _expected in DANGEROUS_MARKUP),
        *(f'<a href="{href}">x</a>' for _name, href in UNSAFE_HREFS),
        *BREAKOUTS,
    )
    if "\x00" not in vector  # a NUL is refused before any page (PostgreSQL cannot store it)
]
CHUNK = 20

HOOK = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (value) => { window.__xss.push(name + ":" + String(value)); };
}
"""
DOM_SCAN = """
() => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`${element.tagName} ${name}`);
      if (name === "srcdoc") found.push(`${element.tagName} srcdoc`);
      if (urlAttributes.includes(name) &&
          (value.startsWith("javascript:") || value.startsWith("vbscript:") || value.startsWith("data:text/html"))) {
        found.push(`${element.tagName} ${name}=${attribute.value.slice(0, 60)}`);
      }
    }
  }
  return found;
}
"""


def chunks(vectors: list[str], size: int = CHUNK) -> list[list[str]]:
    """Every vector in a batch of ``size`` (the last batch topped up from the first vectors)."""
    padded = vectors + vectors[: -len(vectors) % size]
    return [padded[i : i + size] for i in range(0, len(padded), size)]


def _form_errors(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [e.get_text(" ", strip=True) for e in soup.select(".errorlist, .form-errors, [role=alert]")]


# --- the write paths ------------------------------------------------------------------------------


def write_profiles(client: Client) -> list[str]:
    """The member's profile form: display name, headline, bio and links."""
    paths = []
    for n, batch in enumerate(chunks(VECTORS)):
        user = UserFactory()
        ProfileFactory(user=user)
        client.force_login(user)
        data = {
            "display_name": f"Member {n} {batch[0]}"[:120],
            "headline": batch[-1][:160],
            "country": "ES",
            "bio": "\n\n".join(batch)[:5000],
            "website": "",
            "links": "\n".join(URL_SHAPED),  # the field accepts web addresses only
            "visibility": "public",
        }
        response = client.post(reverse("profile-edit"), data)
        assert response.status_code == 302, _form_errors(response)
        paths.append(user.profile.get_absolute_url())
    client.logout()
    return [*paths, "/members/"]


def write_organisations() -> list[str]:
    """The organisation as an admin saves it (model validation, then save)."""
    paths = []
    for n, batch in enumerate(chunks(VECTORS)):
        organisation = OrganisationFactory.build(
            name=f"Org {n} {batch[0]}"[:200], slug=f"xss-org-{n}", description="\n\n".join(batch), city=batch[1][:120]
        )
        organisation.full_clean()
        organisation.save()
        paths.append(organisation.get_absolute_url())
    return [*paths, "/organisations/"]


def write_stories(client: Client) -> list[str]:
    """The member's story form, then a moderator's approval in the Wagtail admin."""
    story_index()
    decider = moderator()
    paths = []
    for n, batch in enumerate(chunks(VECTORS)):
        author = UserFactory()
        ProfileFactory(user=author)
        client.force_login(author)
        body = "\n\n".join(batch)
        data = {
            "title": f"Story {n} {batch[0]}"[:200],
            "language": "en",
            "summary": " ".join(batch)[:600],
            "body_markdown": body,
            "outcome_before": batch[1][:2000],
            "outcome_after": batch[2][:2000],
            "outcome_evidence": "\n".join(batch)[:2000],
            "video_url": "",
            "licence": "cc-by-4.0",
        }
        response = client.post(reverse("story-submit"), data)
        assert response.status_code == 302, _form_errors(response)
        story = PracticeStoryPage.objects.get(owner=author)
        task_state = story.current_workflow_state.current_task_state
        client.force_login(decider)
        url = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk])
        assert client.post(url, {"comment": batch[0]}).status_code in {200, 302}
        story.refresh_from_db()
        assert story.live, f"story {n} was not published"
        paths.append(story.url)
    client.logout()
    return [*paths, "/stories/"]


def write_thread_posts(settings) -> list[str]:
    """Threads started and replied to through the discussion domain functions (as the views call them)."""
    settings.POST_RATE_LIMIT = settings.POST_RATE_LIMIT_NEW_ACCOUNT = 1000
    category = CategoryFactory()
    paths = []
    for n, batch in enumerate(chunks(VECTORS)):
        author = UserFactory()
        ProfileFactory(user=author)
        thread = start_thread(user=author, category=category, title=f"T{n} {batch[0]}"[:200], body_markdown=batch[0])
        post_reply(user=author, thread=thread, body_markdown="\n\n".join(batch[1:]))
        post_reply(user=author, thread=thread, body_markdown="\n\n".join(f"[x{i}]({v})" for i, v in enumerate(batch)))
        paths.append(thread.get_absolute_url())
    return [*paths, category.get_absolute_url(), "/discussions/"]


def write_chat(session: Event) -> int:
    """Chat messages through ``post_message`` (what the consumer calls): every vector, a few per
    message so that all are in the room's history; one member per message (the rate limit)."""
    room, _created = ChatRoom.objects.get_or_create(event=session)
    batches = chunks(VECTORS, 5)
    for n, batch in enumerate(batches):
        author = UserFactory()
        ProfileFactory(user=author, display_name=f"Chatter {n} {batch[0]}"[:120])
        post_message(room=room, user=author, text="\n".join(batch)[:2000], client_id=f"xss-{n}", as_question=n % 3 == 0)
    return len(batches)


def write_events_by_form(client: Client, organisation: Organisation) -> list[str]:
    """The front-end event form, as an editor of the organiser."""
    editor = UserFactory()
    ProfileFactory(user=editor)
    add_member(organisation=organisation, user=editor, role=Role.EDITOR)
    client.force_login(editor)
    paths = []
    for n, batch in enumerate(chunks(VECTORS)):
        data = {
            "start_local": "2027-03-10T10:00",
            "end_local": "2027-03-10T12:00",
            "timezone": "Europe/Madrid",
            "organiser": organisation.pk,
            "kind": "event",
            "title": f"Form {n} {batch[0]}"[:200],
            "description": "\n\n".join(batch)[:20000],
            "status": "confirmed",
            "attendance_mode": "offline",
            "venue": batch[1][:200],
            "address": batch[2][:300],
            "city": batch[3][:120],
            "country": "ES",
            "room": batch[4][:120],
            "track": batch[5][:120],
        }
        response = client.post(reverse("event-create"), data)
        assert response.status_code == 302, _form_errors(response)
        paths.append(response["Location"])
    client.logout()
    return paths


def write_events_by_api(organisation: Organisation) -> list[str]:
    """The partner API with the organisation's key."""
    _key, secret = create_api_key(organisation=organisation)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    paths = []
    for n, batch in enumerate(chunks(VECTORS)):
        payload = {
            "uid": f"xss-api-{n}@partner.example",
            "title": f"API {n} {batch[0]}"[:250],
            "description": "\n".join(batch),
            "start": "2027-04-10T10:00:00+02:00",
            "end": "2027-04-10T12:00:00+02:00",
            "timezone": "Europe/Madrid",
            "venue": batch[1][:200],
            "url": "https://ok.example/",
        }
        response = api.post("/api/v1/partner/events/", payload, format="json")
        assert response.status_code == 201, response.content
        paths.append(Event.objects.get(uid=payload["uid"]).get_absolute_url())
    return paths


def write_events_by_ical(organisation: Organisation) -> list[str]:
    """An iCalendar upload: SUMMARY, DESCRIPTION, X-ALT-DESC (HTML), LOCATION and URL."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//xss//EN")
    calendar.add("version", "2.0")
    start = dt.datetime(2027, 5, 10, 10, tzinfo=dt.UTC)
    uids = []
    for n, batch in enumerate(chunks(VECTORS)):
        uid = f"xss-ical-{n}@feed.example"
        script_url = next((v for v in batch if v.lstrip().startswith(("javascript", "data", "vbscript"))), batch[2])
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("dtstamp", timezone.now())
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(hours=1))
        event.add("summary", f"iCal {n} {batch[0]}"[:250])
        event.add("description", "\n".join(batch))
        event.add("x-alt-desc", icalendar.vText("".join(batch)), parameters={"FMTTYPE": "text/html"})
        event.add("location", batch[1][:200])
        event.add("url", "".join(script_url.splitlines()))  # a URI value cannot hold a line break
        calendar.add_component(event)
        uids.append(uid)
    run = import_calendar(organisation=organisation, body=calendar.to_ical(), source="xss upload")
    assert run.failed == 0, run.message
    return [event.get_absolute_url() for event in Event.objects.filter(uid__in=uids)]


# --- the browser side -----------------------------------------------------------------------------


def inspect(page, url: str, *, dialogs: list[str], wait_for: str | None = None, count: int = 0) -> list[str]:
    """What ran or what dangerous URL is left on this page."""
    page.goto(url, wait_until="load")
    if wait_for:
        page.locator(wait_for).nth(count - 1).wait_for(state="attached")
    page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 50)))")
    findings = [f"dialog {d}" for d in dialogs]
    dialogs.clear()
    for frame in page.frames:
        try:
            findings.extend(frame.evaluate("() => window.__xss || []"))
        except Exception:  # noqa: BLE001 - a cross-origin video player frame cannot be read, nor written to
            continue
    findings.extend(page.evaluate(DOM_SCAN))
    if page.url.split("#")[0] != url.split("#")[0]:
        findings.append(f"navigated to {page.url}")
    return [f"{url}: {finding}" for finding in findings]


def test_every_vector_through_every_surface_runs_nothing_in_chromium(server, sync_browser, settings, capsys):
    client = Client()
    organisation = OrganisationFactory(slug="xss-organiser", name="XSS organiser")
    session = live_session(title="Chat room for the XSS matrix")
    surfaces = {
        "profile fields": write_profiles(client),
        "organisation description": write_organisations(),
        "story fields and body": write_stories(client),
        "thread posts": write_thread_posts(settings),
        "events by form": write_events_by_form(client, organisation),
        "events by partner API": write_events_by_api(organisation),
        "events by iCal import": write_events_by_ical(organisation),
    }
    chat_messages = write_chat(session)
    observer = UserFactory()
    ProfileFactory(user=observer)

    context = signed_in_context(sync_browser, server, observer, bypass_csp=True)
    context.add_init_script(HOOK)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    wait_for_server(page, server)

    findings = []
    pages = 0
    for paths in surfaces.values():
        for path in paths:
            findings.extend(inspect(page, server + path, dialogs=dialogs))
            pages += 1
    findings.extend(inspect(page, server + "/events/", dialogs=dialogs))
    findings.extend(
        inspect(
            page,
            server + session.get_absolute_url(),
            dialogs=dialogs,
            wait_for="[data-chat-log] li",
            count=min(chat_messages, 50),
        )
    )
    pages += 2
    context.close()

    tried = len(VECTORS) * (len(surfaces) + 1)
    with capsys.disabled():
        print(
            f"\nXSS in Chromium: {len(VECTORS)} vectors x {len(surfaces) + 1} surfaces = {tried} tried"
            f" on {pages} pages, {len(findings)} executions or live script URLs seen"
        )
    assert findings == []


def test_the_hook_sees_a_dialog_a_recorded_call_a_handler_and_a_script_url(sync_browser):
    """The matrix can fail: a page that does run script is reported, every way it is looked for."""
    url = "http://127.0.0.1:9/unsafe"  # never reached: the route answers
    context = sync_browser.new_context()
    context.add_init_script(HOOK)
    context.route(
        url,
        lambda route: route.fulfill(
            content_type="text/html",
            body='<img src="data:," onerror="alert(7)"><a href=" java\tscript:x()">x</a>'
            '<iframe srcdoc="<script>parent.confirm(8)</script>"></iframe>',
        ),
    )
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    findings = inspect(page, url, dialogs=dialogs)
    context.close()
    assert sorted(f.removeprefix(f"{url}: ") for f in findings) == sorted(
        ["alert:7", "confirm:8", "IMG onerror", "A href= java\tscript:x()", "IFRAME srcdoc"]
    )
