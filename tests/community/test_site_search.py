"""/search/: stories, discussions and member profiles in one list, a facet per kind, reader's language first."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from community.discussions import post_reply
from tests.community.factories_stories import ThreadFactory, publish_story
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def results(response) -> list[tuple[str, str]]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [(li["data-kind"], li.a.get_text(strip=True)) for li in soup.select(".search-result")]


def counts(response) -> dict[str, int]:
    soup = BeautifulSoup(response.content, "html.parser")
    return {li["data-kind"]: int(li.find(class_="count").get_text()) for li in soup.select(".facets li[data-kind]")}


@pytest.fixture
def content():
    publish_story(title="Apprenticeship mentoring", body_html="<p>Mentoring in the workshop.</p>")
    publish_story(title="Mentoría entre aprendices", body_html="<p>Mentoring en el taller.</p>", language="es")
    author = UserFactory(date_joined=timezone.now() - dt.timedelta(days=9))
    ProfileFactory(user=author, display_name="Jordi")
    post_reply(user=author, thread=ThreadFactory(title="Workshop tips"), body_markdown="Try mentoring pairs.")
    ProfileFactory(display_name="Mentoring Maria", visibility="public")
    ProfileFactory(display_name="Mentoring Hidden", visibility="members")


def test_search_finds_every_kind_and_counts_them(client, content):
    response = client.get("/search/", {"q": "mentoring"})

    assert counts(response) == {"stories": 2, "threads": 1, "members": 1, "events": 0}
    assert sorted(results(response)) == [
        ("members", "Mentoring Maria"),
        ("stories", "Apprenticeship mentoring"),
        ("stories", "Mentoría entre aprendices"),
        ("threads", "Workshop tips"),
    ]


def test_search_puts_the_readers_language_first(client, content):
    response = client.get("/search/", {"q": "mentoring", "kind": "stories"}, headers={"accept-language": "es"})

    assert results(response) == [("stories", "Mentoría entre aprendices"), ("stories", "Apprenticeship mentoring")]


def test_unknown_kind_answers_400_naming_it(client):
    response = client.get("/search/", {"q": "x", "kind": "recipes"})

    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("li[data-field=kind]").get_text() == "Unknown kind: recipes"
