"""Every page sends the Content-Security-Policy and Permissions-Policy, and no page needs an inline script.

The crawl walks the demo site from the home page, as a visitor and as a signed-in member, and
parses each HTML page: a page that still had an inline script, an event-handler attribute or a
style attribute would break under the policy (or only work because the policy is loose).
"""

from urllib.parse import urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from community.content_security import (
    ADMIN_POLICY,
    API_DOCS_POLICY,
    PERMISSIONS_POLICY,
    SITE_POLICY,
    policy_for_path,
    serialise_policy,
)
from community.models import User

pytestmark = pytest.mark.django_db

NOT_CRAWLED = ("/admin/", "/django-admin/", "/media/", "/static/", "/documents/", "/i18n/", "/accounts/logout/")
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
MAX_PAGES = 160


def inline_problems(html: str) -> list[str]:
    """What in this HTML the site policy would block or that carries script outside files."""
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for script in soup.find_all("script"):
        if not script.get("src") and script.get("type") not in DATA_SCRIPT_TYPES:
            problems.append(f"inline script: {str(script)[:80]}")
    problems.extend(f"<style> element: {str(style)[:80]}" for style in soup.find_all("style"))
    for tag in soup.find_all(True):
        for attribute, value in tag.attrs.items():
            if attribute.lower().startswith("on"):
                problems.append(f"event handler {attribute} on <{tag.name}>")
            if attribute.lower() == "style":
                problems.append(f"style attribute on <{tag.name}>: {value[:60]}")
            is_url = attribute.lower() in {"href", "src", "action", "formaction"} and isinstance(value, str)
            if is_url and "".join(value.split()).lower().startswith(("javascript:", "vbscript:")):
                problems.append(f"{attribute}={value[:60]} on <{tag.name}>")
    return problems


def crawl(client, start: list[str]) -> dict[str, object]:
    """Responses by path for every same-site page reachable from ``start`` (HTML pages only)."""
    seen: dict[str, object] = {}
    queue = list(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response
        if not response.get("Content-Type", "").startswith("text/html") or response.status_code != 200:
            continue
        for link in BeautifulSoup(response.content, "html.parser").find_all("a", href=True):
            href = urldefrag(link["href"])[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(NOT_CRAWLED):
                continue
            if href.endswith(".ics") or href in seen or href in queue:
                continue
            queue.append(href)
    return seen


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def _check(pages: dict) -> None:
    failures = []
    for path, response in pages.items():
        if response.get("Content-Security-Policy") != policy_for_path(path=path):
            failures.append(f"{path}: CSP {response.get('Content-Security-Policy')!r}")
        if response.get("Permissions-Policy") != PERMISSIONS_POLICY:
            failures.append(f"{path}: no Permissions-Policy")
        if response.get("Content-Type", "").startswith("text/html"):
            failures.extend(f"{path}: {problem}" for problem in inline_problems(response.content.decode()))
    assert failures == []


def test_every_page_a_visitor_or_member_sees_sends_both_policies_and_has_no_inline_script(client, demo):
    """One crawl as a visitor, one as a signed-in member (the demo loads once: it is the slow part)."""
    pages = crawl(client, ["/", "/stories/", "/events/?view=month", "/accounts/signup/", "/accounts/login/"])
    assert len(pages) >= 60  # the crawl really walked the demo site
    assert {response.status_code for response in pages.values()} <= {200, 301, 302, 404}
    _check(pages)

    client.force_login(User.objects.get(email="lucia@praxis.example"))
    start = ["/", "/members/me/edit/", "/notifications/", "/stories/", "/discussions/", "/events/"]
    member_pages = crawl(client, start)
    assert len(member_pages) >= 60
    _check(member_pages)


def test_error_pages_and_feeds_send_the_site_policy(client):
    for path in ["/no-such-page/", "/events/calendar.ics", "/api/v1/events/", "/healthz"]:
        response = client.get(path)
        assert response["Content-Security-Policy"] == serialise_policy(SITE_POLICY), path
        assert response["Permissions-Policy"] == PERMISSIONS_POLICY, path


def test_site_policy_forbids_inline_script_and_framing():
    header = serialise_policy(SITE_POLICY)
    directives = dict(part.split(" ", 1) for part in header.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["img-src"] == "'self' data:"


def test_admins_and_api_docs_get_their_relaxed_policies_and_nothing_else_does():
    assert policy_for_path(path="/admin/pages/") == serialise_policy(ADMIN_POLICY)
    assert policy_for_path(path="/django-admin/") == serialise_policy(ADMIN_POLICY)
    assert policy_for_path(path="/api/v1/docs/redoc/") == serialise_policy(API_DOCS_POLICY)
    for path in ["/", "/administration/", "/api/v1/events/", "/stories/admin/"]:
        assert policy_for_path(path=path) == serialise_policy(SITE_POLICY), path


def test_api_docs_pages_have_no_inline_script(client):
    for path in ["/api/v1/docs/", "/api/v1/docs/redoc/"]:
        response = client.get(path)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        assert [str(s)[:80] for s in soup.find_all("script") if not s.get("src")] == [], path
        assert soup.find_all("style") == [], path
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")


def test_inline_problems_finds_what_the_policy_would_block():
    html = (
        '<script>alert(1)</script><script type="application/json">{}</script><script src="/s.js"></script>'
        '<p onclick="x()" style="color:red">x</p><style>p{}</style><a href=" java script:x">x</a>'
    )
    assert inline_problems(html) == [
        "inline script: <script>alert(1)</script>",
        "<style> element: <style>p{}</style>",
        "event handler onclick on <p>",
        "style attribute on <p>: color:red",
        "href= java script:x on <a>",
    ]
