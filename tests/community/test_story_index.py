"""/stories/: facets with counts, search, language filter, sorting, pagination, bad filters."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.discussions import post_reply, story_thread
from community.story_index import STORIES_PER_PAGE
from tests.community.factories_stories import publish_story, story_index
from tests.factories import OrganisationFactory, ProfileFactory, SectorFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def titles(response) -> list[str]:
    return [h.get_text(strip=True) for h in soup_of(response).select(".card--story .card__title")]


def facet(response, name: str) -> dict[str, int]:
    box = soup_of(response).find("fieldset", attrs={"data-facet": name})
    if box is None:
        return {}
    return {li.a["data-value"]: int(li.find(class_="count").get_text()) for li in box.find_all("li")}


def test_index_lists_published_stories_newest_first(client):
    publish_story(title="First")
    publish_story(title="Second")

    response = client.get("/stories/")

    assert response.status_code == 200
    assert titles(response) == ["Second", "First"]


def test_theme_filter_narrows_the_list_and_facets_count_the_filtered_stories(client):
    vet, school = SectorFactory(slug="vet-x", name="VET"), SectorFactory(slug="school-x", name="School")
    theme = ThemeFactory(slug="leadership-x", name="Leadership")
    publish_story(title="Both", themes=[theme], sectors=[vet, school], countries=["ES"])
    publish_story(title="VET only", themes=[theme], sectors=[vet], countries=["SI"])
    publish_story(title="Untagged")

    response = client.get("/stories/", {"theme": "leadership-x"})

    assert titles(response) == ["VET only", "Both"]
    assert facet(response, "sector") == {"vet-x": 2, "school-x": 1}
    assert facet(response, "country") == {"ES": 1, "SI": 1}
    assert facet(response, "theme") == {"leadership-x": 2}


def test_organisation_and_country_filters_combine(client):
    org = OrganisationFactory(slug="florida-x")
    publish_story(title="Florida in Spain", organisations=[org], countries=["ES"])
    publish_story(title="Florida in Ireland", organisations=[org], countries=["IE"])

    response = client.get("/stories/", {"organisation": "florida-x", "country": "es"})

    assert titles(response) == ["Florida in Spain"]


def test_language_filter_shows_only_stories_in_that_locale(client):
    publish_story(title="In English")
    publish_story(title="En español", language="es")

    response = client.get("/stories/", {"language": "es"})

    assert titles(response) == ["En español"]
    assert facet(client.get("/stories/"), "language") == {"en": 1, "es": 1}


def test_unknown_filter_values_answer_400_naming_each(client):
    story_index()

    response = client.get("/stories/", {"theme": "no-such-theme", "country": "XX", "sort": "oldest"})

    assert response.status_code == 400
    errors = {li["data-filter"]: li.get_text(strip=True) for li in soup_of(response).select("li[data-filter]")}
    assert errors == {
        "theme": "Unknown theme: no-such-theme",
        "country": "Unknown country: XX (use ISO 3166 codes like ES, SI).",
        "sort": "Unknown sort: oldest (use newest or discussed).",
    }


def test_search_finds_words_in_the_body(client):
    publish_story(title="Mentoring", body_html="<p>Apprentices mentor each other in the workshop.</p>")
    publish_story(title="Unrelated", body_html="<p>Nothing to see.</p>")

    response = client.get("/stories/", {"q": "apprentices"})

    assert titles(response) == ["Mentoring"]


def test_most_discussed_sort_puts_the_story_with_most_posts_first(client):
    quiet = publish_story(title="Quiet")
    busy = publish_story(title="Busy")
    publish_story(title="Newest")
    user = UserFactory()
    ProfileFactory(user=user)
    for story, count in ((quiet, 1), (busy, 2)):
        thread = story_thread(story=story)
        for n in range(count):
            post_reply(user=user, thread=thread, body_markdown=f"Post {n}")

    response = client.get("/stories/", {"sort": "discussed"})

    assert titles(response) == ["Busy", "Quiet", "Newest"]


def test_index_paginates(client):
    index = story_index()
    for n in range(STORIES_PER_PAGE + 1):
        publish_story(title=f"Story {n:02d}", index=index)

    second = client.get("/stories/", {"page": 2})

    assert titles(second) == ["Story 00"]


def _index_queries(client) -> int:
    cache.clear()  # facet counts are cached per publication state: measure the uncached page
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/stories/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_index_query_count_is_the_same_for_3_and_12_stories_with_many_tags_and_authors(client):
    index = story_index()
    themes = [ThemeFactory() for _ in range(4)]
    for _ in range(3):
        publish_story(index=index, themes=themes[:1], authors=[ProfileFactory()])
    client.get("/stories/")  # warm Wagtail's site and locale caches
    few = _index_queries(client)
    for _ in range(9):
        publish_story(index=index, themes=themes, authors=[ProfileFactory(), ProfileFactory()], countries=["ES", "SI"])

    assert _index_queries(client) == few


def test_facet_links_add_their_value_keep_the_others_and_clear_when_chosen_again(client):
    theme = ThemeFactory(slug="leadership-y", name="Leadership")
    vet = SectorFactory(slug="vet-y", name="VET")
    publish_story(title="Tagged", themes=[theme], sectors=[vet])

    soup = soup_of(client.get("/stories/", {"theme": "leadership-y", "page": "1"}))

    links = {a["data-value"]: a["href"] for a in soup.select("fieldset.facet a")}
    assert links["vet-y"] == "?theme=leadership-y&sector=vet-y"
    assert links["leadership-y"] == "?"


def test_facet_counts_follow_a_new_publication_despite_the_cache(client):
    theme = ThemeFactory(slug="cached-x")
    publish_story(themes=[theme])
    assert facet(client.get("/stories/"), "theme") == {"cached-x": 1}

    publish_story(themes=[theme])

    assert facet(client.get("/stories/"), "theme") == {"cached-x": 2}
