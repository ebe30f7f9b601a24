"""Story cards on the index come from the cache under a key of everything they show: a
second view renders no card, and a new title, a renamed author or a changed theme shows at once."""

import pytest

from tests.community.factories_stories import publish_story
from tests.factories import ProfileFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def cards(client) -> str:
    html = client.get("/stories/").content.decode()
    return html[html.index('<ul class="card-list">') : html.index("</ul>", html.index('<ul class="card-list">'))]


def test_a_second_view_renders_no_card_and_says_the_same(client, monkeypatch):
    publish_story(title="Mentoring apprentices")
    first = cards(client)
    assert "Mentoring apprentices" in first

    def not_again(*args, **kwargs):
        raise AssertionError("a cached card was rendered again")

    monkeypatch.setattr("community.story_cards.render_to_string", not_again)
    assert cards(client) == first


def test_a_republished_title_shows_at_once(client):
    story = publish_story(title="Old title")
    cards(client)
    story.title = "New title"
    story.save_revision().publish()
    shown = cards(client)
    assert "New title" in shown
    assert "Old title" not in shown


def test_a_renamed_author_shows_at_once(client):
    author = ProfileFactory(display_name="Ana Old")
    publish_story(authors=[author])
    cards(client)
    author.display_name = "Ana New"
    author.save()
    assert "Ana New" in cards(client)


def test_a_theme_added_to_a_story_shows_at_once(client):
    story = publish_story(title="Tagged later")
    cards(client)
    story.themes.add(ThemeFactory(slug="outdoor-x", name="Outdoor learning"))
    story.save_revision().publish()
    assert "Outdoor learning" in cards(client)


def test_an_unpublished_story_leaves_the_index(client):
    story = publish_story(title="Withdrawn")
    assert "Withdrawn" in cards(client)
    story.unpublish()
    assert "Withdrawn" not in cards(client)


def test_counts_follow_publishing_unpublishing_and_deleting_without_waiting(client):
    first = publish_story(title="One")
    assert "1 story" in client.get("/stories/").content.decode()
    second = publish_story(title="Two")
    assert "2 stories" in client.get("/stories/").content.decode()
    first.unpublish()
    assert "1 story" in client.get("/stories/").content.decode()
    second.delete()
    assert "No stories match" in client.get("/stories/").content.decode()


def test_the_index_reads_no_aggregate_over_every_story_once_counts_are_cached(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish_story(title="Counted once")
    client.get("/stories/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/stories/")
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not [q for q in sql if "COUNT(" in q or "MAX(" in q]


def test_the_filter_form_is_kept_until_a_story_is_published_and_keeps_the_chosen_filters(client, monkeypatch):
    theme = ThemeFactory(slug="mentoring-x", name="Mentoring")
    publish_story(title="One", themes=[theme])
    first = client.get("/stories/?sort=newest").content.decode()
    assert 'data-value="mentoring-x"' in first

    def not_again(*args, **kwargs):
        raise AssertionError("a cached form was rendered again")

    with monkeypatch.context() as patch:
        patch.setattr("community.story_index.render_to_string", not_again)
        again = client.get("/stories/?sort=newest").content.decode()
    assert again[again.index('<form class="filters"') :].split("</form>")[0] in first
    publish_story(title="Two", themes=[theme])
    shown = client.get("/stories/?sort=newest").content.decode()
    box = shown[shown.index('data-facet="theme"') :]
    assert '<span class="count">2</span>' in box.split("</fieldset>")[0]
    assert 'href="?sort=newest&amp;theme=mentoring-x"' in shown
