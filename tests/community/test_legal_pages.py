"""Privacy notice and terms (issue #18): edited in the Wagtail admin, linked from every page and from sign-up;
and no rendered page makes the browser ask another host for anything (no fonts, analytics or CDNs)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from community.models import LegalText, PracticeStoryPage, Thread, User
from events.models import Event

pytestmark = pytest.mark.django_db

# Attributes that make the browser fetch something (an <a href> is a link the reader may follow, not a request).
FETCHING = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "link": ["href"],
    "form": ["action"],
}


# <link rel="canonical"> and rel="alternate" name an address; the browser fetches none of them.
NOT_FETCHED_LINKS = {"canonical", "alternate", "author", "license", "next", "prev", "search"}


def foreign_references(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag, attributes in FETCHING.items():
        for element in soup.find_all(tag):
            if tag == "link" and set(element.get("rel") or []) <= NOT_FETCHED_LINKS and element.get("rel"):
                continue
            for attribute in attributes:
                for value in (element.get(attribute) or "").split(","):
                    url = value.strip().split(" ")[0]
                    parts = urlsplit(url)
                    if parts.netloc and parts.netloc not in {"testserver", "127.0.0.1:8000"}:
                        found.append(f"<{tag} {attribute}={url}>")
    return found


def test_the_check_catches_what_it_should():
    bad = '<link rel="stylesheet" href="https://fonts.googleapis.com/css"><script src="//cdn.example.com/a.js">'
    assert foreign_references(bad) == [
        "<script src=//cdn.example.com/a.js>",
        "<link href=https://fonts.googleapis.com/css>",
    ]
    assert foreign_references('<a href="https://erasmus-plus.ec.europa.eu/">E+</a><img src="/media/a.png">') == []


def test_no_rendered_page_references_another_host(client):
    call_command("load_demo", verbosity=0)
    story = PracticeStoryPage.objects.live().first()
    event = Event.objects.filter(kind="session").first()
    thread = Thread.objects.first()
    member = User.objects.get(email="lucia@praxis.example")
    pages = [
        "/",
        "/events/",
        "/stories/",
        story.url,
        "/members/",
        member.profile.get_absolute_url(),
        "/organisations/florida-universitaria/",
        f"/events/{event.pk}/",
        f"/events/{event.parent_id}/",
        "/discussions/",
        thread.get_absolute_url(),
        "/search/?q=vet",
        "/accounts/signup/",
        "/accounts/login/",
        "/privacy/",
        "/terms/",
        "/api/v1/docs/",
    ]
    offenders = {}
    for viewer in (None, member):
        if viewer is not None:
            client.force_login(viewer)
            pages = [p for p in pages if not p.startswith("/accounts/")]
            pages += ["/members/me/privacy/", "/members/me/delete/", "/members/me/edit/", "/notifications/"]
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            found = foreign_references(response.content.decode())
            if found:
                offenders[path] = found
    assert offenders == {}


def test_every_page_links_the_privacy_notice_and_terms_in_its_footer(client):
    for path in ["/members/", "/events/", "/discussions/", "/accounts/login/", "/privacy/"]:
        soup = BeautifulSoup(client.get(path).content, "html.parser")
        footer_links = [a["href"] for a in soup.select("footer a")]
        assert [h for h in footer_links if h in ("/privacy/", "/terms/")] == ["/privacy/", "/terms/"], path


def test_sign_up_links_the_terms_and_the_privacy_notice(client):
    soup = BeautifulSoup(client.get("/accounts/signup/").content, "html.parser")
    assert [a["href"] for a in soup.select("main .signup-legal a")] == ["/terms/", "/privacy/"]


def test_staff_edit_the_text_and_the_page_shows_it(client):
    assert "not been published yet" in client.get("/privacy/").content.decode()
    LegalText.objects.create(kind="privacy", title="How we treat your data", body="<p>We keep little.</p>")
    page = client.get("/privacy/").content.decode()
    assert "How we treat your data" in page
    assert "We keep little." in page
    assert "not been published yet" in client.get("/terms/").content.decode()
