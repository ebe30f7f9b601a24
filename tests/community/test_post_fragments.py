"""A thread page's posts come from fragments cached under a key of everything they show:
whatever changes after a first view — an edit, a rename, a hide, the viewer — shows at once."""

import datetime as dt

import pytest
from django.utils import timezone

from community.discussions import edit_post, post_reply
from community.moderation import hide_post
from tests.community.factories_stories import ThreadFactory, moderator
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(name="Ana"):
    user = UserFactory(date_joined=timezone.now() - dt.timedelta(days=30))
    ProfileFactory(user=user, display_name=name, visibility="public")
    return user


@pytest.fixture
def thread_with_post():
    author = member("Ana Pérez")
    thread = ThreadFactory()
    post = post_reply(user=author, thread=thread, body_markdown="First version")
    return thread, post, author


def posts_of(html: str) -> str:
    return html[html.index('<ol class="posts">') : html.index("</ol>", html.index('<ol class="posts">'))]


def page(client, thread) -> str:
    return client.get(thread.get_absolute_url()).content.decode()


def test_the_second_view_is_served_from_the_cache_and_says_the_same(client, thread_with_post, monkeypatch):
    thread, _post, _author = thread_with_post
    first = page(client, thread)

    def not_again(*args, **kwargs):
        raise AssertionError("a cached fragment was rendered again")

    monkeypatch.setattr("community.post_fragments.render_to_string", not_again)
    assert posts_of(page(client, thread)) == posts_of(first)  # the rest of the page has a fresh CSRF token


def test_an_edit_shows_at_once(client, thread_with_post):
    thread, post, author = thread_with_post
    page(client, thread)
    edit_post(user=author, post=post, body_markdown="Second version")
    shown = page(client, thread)
    assert "Second version" in shown
    assert "First version" not in shown


def test_a_renamed_author_shows_at_once(client, thread_with_post):
    thread, _post, author = thread_with_post
    page(client, thread)
    author.profile.display_name = "Ana Pérez-Gil"
    author.profile.save()
    assert "Ana Pérez-Gil" in page(client, thread)


def test_a_hidden_post_is_hidden_for_members_and_shown_to_moderators_whatever_was_cached(client, thread_with_post):
    thread, post, _author = thread_with_post
    boss = moderator()
    client.force_login(boss)
    page(client, thread)
    hide_post(moderator=boss, post=post)
    as_moderator = page(client, thread)
    client.force_login(member("Eva"))
    as_member = page(client, thread)
    assert "First version" in as_moderator
    assert "This post was hidden by a moderator." in as_member
    assert "First version" not in as_member


def test_a_members_only_author_is_linked_for_members_not_for_visitors_after_caching(client, thread_with_post):
    thread, _post, author = thread_with_post
    author.profile.visibility = "members"
    author.profile.save()
    link = f'href="{author.profile.get_absolute_url()}"'
    as_visitor = page(client, thread)
    client.force_login(member("Eva"))
    as_member = page(client, thread)
    assert link not in as_visitor
    assert link in as_member
