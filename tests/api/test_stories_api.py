"""/api/v1/stories/, /projects/ and /threads/ (with posting): shapes, filters, errors as problems."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.serializers.stories import ProjectSerializer, StoryDetailSerializer, StorySerializer
from community.discussions import post_reply
from community.models import Post
from tests.community.factories_stories import ProjectFactory, ThreadFactory, assert_inert, publish_story
from tests.community.xss_vectors import DANGEROUS_MARKUP
from tests.factories import ProfileFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def member():
    user = UserFactory(date_joined=timezone.now() - dt.timedelta(days=30))
    ProfileFactory(user=user)
    return user


def test_story_list_has_the_documented_fields_and_filters_like_the_page(client):
    theme = ThemeFactory(slug="inclusion-x")
    publish_story(title="Inclusive", themes=[theme])
    publish_story(title="Other")

    body = client.get("/api/v1/stories/", {"theme": "inclusion-x"}).json()

    assert [row["title"] for row in body["results"]] == ["Inclusive"]
    assert [set(row) for row in body["results"]] == [set(StorySerializer().fields)]


def test_story_list_unknown_filter_values_are_a_400_problem_naming_each(client):
    response = client.get("/api/v1/stories/", {"theme": "nope", "language": "xx", "colour": "red"})

    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    assert response.json()["errors"] == {
        "colour": [
            "Unknown parameter (known: country, language, organisation, page, page_size, project, q, sector, "
            "sort, theme)."
        ]
    }
    response = client.get("/api/v1/stories/", {"theme": "nope", "language": "xx"})
    assert response.json()["errors"] == {"theme": ["Unknown theme: nope"], "language": ["Unknown language: xx"]}


def test_story_detail_has_sanitised_body_and_its_discussion(client):
    story = publish_story(title="Peer mentoring", body_html="<p>We <strong>paired</strong> them.</p>")
    thread = ThreadFactory(category=None, story=story)

    row = client.get(f"/api/v1/stories/{story.pk}/").json()

    assert set(row) == set(StoryDetailSerializer().fields)
    assert (row["body_html"], row["discussion"], row["language"]) == (
        '<div class="w-block-text block-text"><p>We <strong>paired</strong> them.</p></div>',
        thread.pk,
        "en",
    )


def test_unpublished_or_unknown_story_is_a_404_problem(client):
    response = client.get("/api/v1/stories/999999/")

    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
    assert response.json()["detail"] == "No published story with id 999999."


def test_story_list_queries_are_the_same_for_2_and_8_stories(client):
    themes = [ThemeFactory() for _ in range(3)]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/stories/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        publish_story(themes=themes[:1])
    client.get("/api/v1/stories/")
    few = count()
    for _ in range(6):
        publish_story(themes=themes, authors=[ProfileFactory(), ProfileFactory()])

    assert count() == few


def test_projects_list_and_detail_with_status_derived_from_dates(client):
    today = timezone.localdate()
    ProjectFactory(slug="a-finished", end_date=today - dt.timedelta(days=1))
    ProjectFactory(slug="b-planned", start_date=today + dt.timedelta(days=1), end_date=today + dt.timedelta(days=9))
    ProjectFactory(slug="c-ongoing", start_date=today, end_date=today)

    body = client.get("/api/v1/projects/").json()

    assert [(row["slug"], row["status"]) for row in body["results"]] == [
        ("a-finished", "finished"),
        ("b-planned", "planned"),
        ("c-ongoing", "ongoing"),
    ]
    assert set(client.get("/api/v1/projects/c-ongoing/").json()) == set(ProjectSerializer().fields)
    assert client.get("/api/v1/projects/nope/").status_code == 404


def test_thread_detail_lists_a_page_of_posts_and_hides_removed_text(client):
    thread = ThreadFactory()
    first = post_reply(user=member(), thread=thread, body_markdown="Kept")
    gone = post_reply(user=member(), thread=thread, body_markdown="Gone")
    Post.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())

    row = client.get(f"/api/v1/threads/{thread.pk}/").json()

    assert [(p["number"], p["body_html"], p["removed"]) for p in row["posts"]] == [
        (1, "<p>Kept</p>\n", False),
        (2, "", True),
    ]
    assert (row["page"], row["page_count"], row["posts"][0]["id"]) == (1, 1, first.pk)
    assert client.get(f"/api/v1/threads/{thread.pk}/", {"page": 3}).json()["errors"] == {
        "page": ["Enter a page from 1 to 1."]
    }


def test_posting_through_the_api_needs_a_signed_in_member(client):
    thread = ThreadFactory()

    response = client.post(
        f"/api/v1/threads/{thread.pk}/posts/", {"body_markdown": "Hi"}, content_type="application/json"
    )

    assert (response.status_code, response["Content-Type"]) == (403, PROBLEM)
    assert Post.objects.count() == 0


def test_posting_through_the_api_with_a_session_and_csrf_token(client):
    thread = ThreadFactory()
    author = member()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(author)
    csrf_client.get("/discussions/")
    token = csrf_client.cookies["csrftoken"].value
    url = f"/api/v1/threads/{thread.pk}/posts/"

    refused = csrf_client.post(url, {"body_markdown": "Hi"}, content_type="application/json")
    created = csrf_client.post(
        url, {"body_markdown": "**Hi**"}, content_type="application/json", headers={"X-CSRFToken": token}
    )

    assert refused.status_code == 403
    assert created.status_code == 201
    assert (created.json()["number"], created.json()["body_html"]) == (1, "<p><strong>Hi</strong></p>\n")


def test_posting_to_a_locked_thread_through_the_api_answers_403_with_the_reason(client):
    thread = ThreadFactory(is_locked=True)
    client.force_login(member())

    response = client.post(
        f"/api/v1/threads/{thread.pk}/posts/", {"body_markdown": "Hi"}, content_type="application/json"
    )

    assert (response.status_code, response["Content-Type"]) == (403, PROBLEM)
    assert response.json()["detail"] == "This thread is locked: no new posts."


def test_api_post_over_the_limit_is_a_400_naming_the_field_and_limit(client):
    thread = ThreadFactory()
    client.force_login(member())

    response = client.post(
        f"/api/v1/threads/{thread.pk}/posts/", {"body_markdown": "x" * 10_001}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "body_markdown": ["A post can be at most 10000 characters (this one has 10001)."]
    }


def test_api_rate_limit_answers_429(client, settings):
    settings.POST_RATE_LIMIT = 1
    thread = ThreadFactory()
    client.force_login(member())
    url = f"/api/v1/threads/{thread.pk}/posts/"
    client.post(url, {"body_markdown": "one"}, content_type="application/json")

    response = client.post(url, {"body_markdown": "two"}, content_type="application/json")

    assert (response.status_code, response["Content-Type"]) == (429, PROBLEM)
    assert response.json()["detail"] == "You can post 1 time every 10 minutes. Please wait a little and try again."


def test_xss_posted_through_the_api_is_inert_in_the_api_answer(client):
    thread = ThreadFactory()
    client.force_login(member())
    markup = "\n\n".join(vector for _name, vector, _expected in DANGEROUS_MARKUP if "\x00" not in vector)

    created = client.post(
        f"/api/v1/threads/{thread.pk}/posts/", {"body_markdown": markup[:9000]}, content_type="application/json"
    ).json()

    assert_inert(created["body_html"])
    assert_inert(client.get(f"/api/v1/threads/{thread.pk}/").json()["posts"][0]["body_html"])
