"""A story page: JSON-LD Article, Open Graph, feeds advertised, constant queries; project pages."""

import datetime as dt
import json
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import ProjectStatus
from community.models.projects import project_status
from tests.community.factories_stories import ProjectFactory, publish_story
from tests.factories import OrganisationFactory, ProfileFactory, SectorFactory, ThemeFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
def test_story_page_has_json_ld_article_and_open_graph(client):
    author = ProfileFactory(display_name="Aoife Byrne")
    story = publish_story(title="Innovation ecosystem", summary="Nine partners piloted it.", authors=[author])

    soup = soup_of(client.get(story.url))

    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert {k: data[k] for k in ("@type", "headline", "description", "inLanguage", "url", "license")} == {
        "@type": "Article",
        "headline": "Innovation ecosystem",
        "description": "Nine partners piloted it.",
        "inLanguage": "en",
        "url": story.full_url,
        "license": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert data["author"] == [{"@type": "Person", "name": "Aoife Byrne"}]
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert (og["og:type"], og["og:title"], og["og:url"]) == ("article", "Innovation ecosystem", story.full_url)


@pytest.mark.django_db
def test_json_ld_cannot_be_closed_by_a_title(client):
    story = publish_story(title="</script><script>alert(1)</script>")

    soup = soup_of(client.get(story.url))

    (ld,) = soup.find_all("script", type="application/ld+json")
    assert json.loads(ld.string)["headline"] == "</script><script>alert(1)</script>"


@pytest.mark.django_db
def test_index_advertises_the_atom_feed_and_the_theme_feed_when_filtered(client):
    theme = ThemeFactory(slug="inclusion-x", name="Inclusion")
    publish_story(title="Inclusive", themes=[theme])
    publish_story(title="Other")

    plain = soup_of(client.get("/stories/")).find_all("link", rel="alternate")
    filtered = soup_of(client.get("/stories/", {"theme": "inclusion-x"})).find_all("link", rel="alternate")
    theme_feed = ElementTree.fromstring(client.get(filtered[1]["href"]).content)

    assert [link["href"] for link in plain] == ["/stories/feed/"]
    assert [link["href"] for link in filtered] == ["/stories/feed/", "/stories/feed/inclusion-x/"]
    assert [e.find(f"{ATOM}title").text for e in theme_feed.findall(f"{ATOM}entry")] == ["Inclusive"]


@pytest.mark.django_db
def test_story_page_queries_do_not_grow_with_tags_authors_and_countries(client):
    def count(story) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(story.url).status_code == 200
        return len(ctx.captured_queries)

    small = publish_story(title="Small")
    big = publish_story(
        title="Big",
        authors=[ProfileFactory() for _ in range(4)],
        themes=[ThemeFactory() for _ in range(5)],
        sectors=[SectorFactory() for _ in range(3)],
        organisations=[OrganisationFactory() for _ in range(3)],
        countries=["ES", "SI", "IE"],
    )
    count(small)

    assert count(small) == count(big)


@pytest.mark.parametrize(
    ("start", "end", "status"),
    [
        (dt.date(2026, 1, 2), dt.date(2026, 12, 31), ProjectStatus.PLANNED),
        (dt.date(2025, 1, 1), dt.date(2026, 1, 1), ProjectStatus.ONGOING),
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), ProjectStatus.FINISHED),
        (None, None, ProjectStatus.ONGOING),
    ],
)
def test_project_status_is_derived_from_the_dates(start, end, status):
    assert project_status(start=start, end=end, today=dt.date(2026, 1, 1)) == status


@pytest.mark.django_db
def test_project_page_lists_its_partners_and_stories(client):
    project = ProjectFactory(title="Innovation Ecosystems for VET", slug="ie-vet")
    project.partners.create(name="VET Innovation Centre", country="IE", is_coordinator=True)
    publish_story(title="From the project", project=project)
    publish_story(title="Unrelated")

    soup = soup_of(client.get("/projects/ie-vet/"))

    assert soup.find("h1").get_text(strip=True) == "Innovation Ecosystems for VET"
    assert [h.get_text(strip=True) for h in soup.select(".card--story .card__title")] == ["From the project"]
    assert soup.find(id="partners-h").find_next("li").get_text(" ", strip=True) == (
        "VET Innovation Centre (Ireland) – coordinator"
    )


@pytest.mark.django_db
def test_a_translation_made_in_the_admin_gets_its_own_address_and_both_link_each_other(client):
    from wagtail.models import Locale

    english = publish_story(title="Peer mentoring")
    spanish = english.copy_for_translation(Locale.objects.get(language_code="es"), copy_parents=True)
    spanish.title = "Mentoría entre iguales"
    spanish.save_revision().publish()
    spanish.refresh_from_db()

    english_page = soup_of(client.get(english.url))
    spanish_page = soup_of(client.get(spanish.url))

    assert (english.url, spanish.url) == ("/stories/peer-mentoring/", "/stories/peer-mentoring-es/")
    assert spanish_page.find("h1").get_text(strip=True) == "Mentoría entre iguales"
    assert [(a["href"], a.get_text()) for a in english_page.select(".translations a")] == [(spanish.url, "Español")]
    assert [(a["href"], a.get_text()) for a in spanish_page.select(".translations a")] == [(english.url, "English")]
