"""Wagtail's site lookup is remembered per process and forgotten when any site or page changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from tests.community.factories_stories import publish_story, story_index

pytestmark = pytest.mark.django_db


def site_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len([q for q in queries.captured_queries if '"wagtailcore_site"' in q["sql"]])


def test_a_second_page_view_does_not_look_the_site_up_again(client):
    story_index()
    site_queries(client, "/stories/")
    assert site_queries(client, "/stories/") == 0


def test_a_changed_site_is_looked_up_again_and_its_new_root_is_served(client):
    story_index()
    site_queries(client, "/stories/")
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Renamed"
    site.save()
    assert site_queries(client, "/stories/") >= 1


def test_a_new_page_is_reachable_at_once(client):
    site_queries(client, "/")
    story = publish_story(title="Fresh story")
    assert client.get(story.url).status_code == 200


def test_an_unknown_host_is_refused_before_any_lookup(client):
    assert client.get("/stories/", HTTP_HOST="evil.example").status_code == 400


def test_a_deleted_page_is_forgotten(client):
    story = publish_story(title="Short-lived story")
    site_queries(client, "/stories/")
    story.delete()
    assert site_queries(client, "/stories/") >= 1
    assert client.get(story.url).status_code == 404


def test_saving_anything_but_a_site_or_page_keeps_the_remembered_site(client):
    from community.models import Theme

    story_index()
    site_queries(client, "/stories/")
    Theme.objects.create(name="Unrelated", slug="unrelated")
    assert site_queries(client, "/stories/") == 0
