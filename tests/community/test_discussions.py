"""Threads and posts: Markdown sanitised on write, replies, quotes, edits, deletes, mentions, limits."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.discussions import post_reply, start_thread, story_thread
from community.models import Flag, Notification, NotificationKind, Post, PostVersion, Thread, ThreadFollow
from community.models.discussions import POST_MAX_CHARS, POSTS_PER_PAGE
from tests.community.factories_stories import (
    CategoryFactory,
    ThreadFactory,
    assert_inert,
    moderator,
    publish_story,
)
from tests.community.xss_vectors import DANGEROUS_MARKUP, UNSAFE_HREFS
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(**kwargs):
    user = UserFactory(date_joined=timezone.now() - dt.timedelta(days=30), **kwargs)
    ProfileFactory(user=user)
    return user


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_member_starts_a_thread_through_the_form(client):
    category = CategoryFactory()
    author = member()
    client.force_login(author)

    response = client.post(
        reverse("thread-create", args=[category.slug]), {"title": "Keeping results alive", "body_markdown": "**How?**"}
    )

    thread = Thread.objects.get()
    assert response["Location"] == thread.get_absolute_url()
    post = thread.posts.get()
    assert (post.number, post.body_html) == (1, "<p><strong>How?</strong></p>\n")
    assert list(ThreadFollow.objects.values_list("user", flat=True)) == [author.pk]


def test_reply_through_the_form_lands_on_its_permalink(client):
    thread = ThreadFactory()
    client.force_login(member())

    response = client.post(reverse("post-create", args=[thread.pk]), {"body_markdown": "Agreed."})

    post = Post.objects.get()
    assert response["Location"] == post.get_absolute_url()
    assert client.get(post.get_absolute_url())["Location"] == f"{thread.get_absolute_url()}#post-1"


def test_post_over_the_length_limit_is_refused_naming_the_limit_and_keeping_the_text(client):
    thread = ThreadFactory()
    client.force_login(member())
    text = "x" * (POST_MAX_CHARS + 1)

    response = client.post(reverse("post-create", args=[thread.pk]), {"body_markdown": text})

    assert response.status_code == 400
    soup = soup_of(response)
    assert soup.find(id="id_body_markdown_error").get_text(" ", strip=True) == (
        f"Error: A post can be at most {POST_MAX_CHARS} characters (this one has {POST_MAX_CHARS + 1})."
    )
    assert soup.find("textarea", attrs={"name": "body_markdown"}).get_text().strip() == text
    assert Post.objects.count() == 0


def test_posting_to_a_locked_thread_answers_403_with_a_message(client):
    thread = ThreadFactory(is_locked=True)
    client.force_login(member())

    response = client.post(reverse("post-create", args=[thread.pk]), {"body_markdown": "Hello?"})

    assert response.status_code == 403
    assert soup_of(response).find(class_="error-page__reason").get_text() == "This thread is locked: no new posts."
    assert Post.objects.count() == 0


def test_editing_someone_elses_post_answers_403(client):
    post = post_reply(user=member(), thread=ThreadFactory(), body_markdown="Mine")
    client.force_login(member())

    response = client.post(reverse("post-edit", args=[post.pk]), {"body_markdown": "Now mine"})

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.body_markdown == "Mine"


def test_editing_own_post_marks_it_edited_and_keeps_the_earlier_text(client):
    author = member()
    post = post_reply(user=author, thread=ThreadFactory(), body_markdown="First *draft*")
    client.force_login(author)

    client.post(reverse("post-edit", args=[post.pk]), {"body_markdown": "Second draft"})

    post.refresh_from_db()
    assert (post.body_html, post.edited_at is not None) == ("<p>Second draft</p>\n", True)
    assert list(PostVersion.objects.values_list("body_markdown", flat=True)) == ["First *draft*"]
    page = soup_of(client.get(post.thread.get_absolute_url()))
    assert page.find(id="post-1").find(class_="post__edited").get_text() == "edited"


def test_deleting_own_post_is_soft_and_leaves_a_marker(client):
    author = member()
    thread = ThreadFactory()
    post = post_reply(user=author, thread=thread, body_markdown="Oops")
    client.force_login(author)

    client.post(reverse("post-delete", args=[post.pk]))

    post.refresh_from_db()
    assert post.deleted_at is not None
    item = soup_of(client.get(thread.get_absolute_url())).find(id="post-1")
    assert item.find(class_="post__removed").get_text() == "This post was deleted by its author."
    assert item.find(class_="post__body") is None


def test_quote_prefills_the_reply_with_the_quoted_post(client):
    thread = ThreadFactory()
    quoted_author = member()
    quoted_author.profile.display_name = "Tina"
    quoted_author.profile.save()
    post_reply(user=quoted_author, thread=thread, body_markdown="Online projects met mobility.")
    client.force_login(member())

    response = client.get(thread.get_absolute_url(), {"quote": 1})

    box = soup_of(response).find("textarea", attrs={"name": "body_markdown"}).get_text().strip()
    assert box == "> **Tina** wrote:\n>\n> Online projects met mobility."


def test_mention_links_the_profile_and_notifies_the_member_once():
    author, mentioned = member(), member()
    thread = ThreadFactory()
    ThreadFollow.objects.create(user=mentioned, thread=thread)

    post = post_reply(user=author, thread=thread, body_markdown=f"@{mentioned.profile.slug} what do you think?")

    link = BeautifulSoup(post.body_html, "html.parser").find("a")
    assert (link["href"], link.get_text()) == (
        mentioned.profile.get_absolute_url(),
        f"@{mentioned.profile.display_name}",
    )
    notes = Notification.objects.filter(recipient=mentioned)
    assert [(n.kind, n.url) for n in notes] == [(NotificationKind.MENTION, post.get_absolute_url())]


def test_followers_of_the_thread_and_its_category_are_notified_but_not_the_author():
    author, thread_follower, category_follower = member(), member(), member()
    thread = ThreadFactory()
    ThreadFollow.objects.create(user=thread_follower, thread=thread)
    thread.category.follows.create(user=category_follower)
    thread.follows.create(user=author)

    post_reply(user=author, thread=thread, body_markdown="News")

    recipients = set(Notification.objects.values_list("recipient", "kind"))
    assert recipients == {(thread_follower.pk, NotificationKind.REPLY), (category_follower.pk, NotificationKind.REPLY)}


def test_header_shows_the_unread_count_and_the_notifications_page_clears_it(client):
    reader = member()
    thread = ThreadFactory()
    ThreadFollow.objects.create(user=reader, thread=thread)
    for text in ("one", "two"):
        post_reply(user=member(), thread=thread, body_markdown=text)
    client.force_login(reader)

    badge = soup_of(client.get("/discussions/")).find(class_="notifications-link").find(class_="badge")
    client.get(reverse("notifications"))

    assert badge.get_text(" ", strip=True) == "2 unread"
    assert soup_of(client.get("/discussions/")).find(class_="notifications-link").find(class_="badge") is None


def test_new_accounts_hit_a_stricter_rate_limit_with_a_clear_message(client, settings):
    settings.POST_RATE_LIMIT, settings.POST_RATE_LIMIT_NEW_ACCOUNT = 5, 2
    newcomer = UserFactory()
    ProfileFactory(user=newcomer)
    thread = ThreadFactory()
    client.force_login(newcomer)
    for n in range(2):
        client.post(reverse("post-create", args=[thread.pk]), {"body_markdown": f"post {n}"})

    response = client.post(reverse("post-create", args=[thread.pk]), {"body_markdown": "one more"})

    assert response.status_code == 429
    assert soup_of(response).select_one(".errorlist.nonfield li").get_text(" ", strip=True) == (
        "You can post 2 times every 10 minutes while your account is less than a day old. "
        "Please wait a little and try again."
    )
    assert Post.objects.count() == 2


def test_flag_reaches_the_moderators_queue_in_the_admin(client):
    post = post_reply(user=member(), thread=ThreadFactory(), body_markdown="Buy cheap watches")
    client.force_login(member())

    client.post(reverse("post-flag", args=[post.pk]), {"reason": "spam", "note": "advert"})

    flag = Flag.objects.get()
    assert (flag.post, flag.reason, flag.resolved_at) == (post, "spam", None)
    client.force_login(moderator())
    queue = client.get(reverse("wagtailsnippets_community_flag:list"))
    assert queue.status_code == 200
    assert "Buy cheap watches" in queue.content.decode()


def test_moderator_hides_a_post_which_resolves_its_flags(client):
    post = post_reply(user=member(), thread=ThreadFactory(), body_markdown="Rude")
    client.force_login(member())
    client.post(reverse("post-flag", args=[post.pk]), {"reason": "abuse"})
    client.force_login(moderator())

    client.post(reverse("post-hide", args=[post.pk]), {"hidden": "1"})

    post.refresh_from_db()
    assert (post.hidden_at is not None, Flag.objects.get().resolved_at is not None) == (True, True)
    client.logout()
    item = soup_of(client.get(post.thread.get_absolute_url())).find(id="post-1")
    assert item.find(class_="post__removed").get_text() == "This post was hidden by a moderator."


def test_members_cannot_pin_lock_or_hide(client):
    thread = ThreadFactory()
    post = post_reply(user=member(), thread=thread, body_markdown="Hi")
    client.force_login(member())

    responses = [
        client.post(reverse("thread-moderate", args=[thread.pk]), {"action": "pin"}).status_code,
        client.post(reverse("thread-moderate", args=[thread.pk]), {"action": "lock"}).status_code,
        client.post(reverse("thread-moderate", args=[thread.pk]), {"action": "move"}).status_code,
        client.post(reverse("post-hide", args=[post.pk])).status_code,
    ]

    assert responses == [403, 403, 403, 403]
    thread.refresh_from_db()
    assert (thread.is_pinned, thread.is_locked) == (False, False)


def test_moderator_pins_locks_and_moves_a_thread(client):
    thread = ThreadFactory()
    other = CategoryFactory()
    client.force_login(moderator())

    for data in ({"action": "pin"}, {"action": "lock"}, {"action": "move", "category": other.pk}):
        client.post(reverse("thread-moderate", args=[thread.pk]), data)

    thread.refresh_from_db()
    assert (thread.is_pinned, thread.is_locked, thread.category) == (True, True, other)


def test_permalink_of_a_late_post_lands_on_its_page():
    thread = ThreadFactory()
    author = UserFactory()
    Post.objects.bulk_create(
        [Post(thread=thread, number=n, author=author, body_markdown="x", body_html="<p>x</p>") for n in range(1, 121)]
    )
    post = Post.objects.get(thread=thread, number=POSTS_PER_PAGE * 2 + 3)

    from django.test import Client

    location = Client().get(post.get_absolute_url())["Location"]

    assert location == f"{thread.get_absolute_url()}?page=3#post-{POSTS_PER_PAGE * 2 + 3}"


def _thread_page_queries(client, thread, page) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(thread.get_absolute_url(), {"page": page})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_thread_page_query_count_is_the_same_on_page_1_of_60_posts_and_page_20_of_1000(client):
    reader = member()
    client.force_login(reader)
    small, big = ThreadFactory(), ThreadFactory()
    authors = [member() for _ in range(5)]
    for thread, count in ((small, 60), (big, 1000)):
        Post.objects.bulk_create(
            [
                Post(thread=thread, number=n, author=authors[n % 5], body_markdown="x", body_html="<p>x</p>")
                for n in range(1, count + 1)
            ]
        )
        Thread.objects.filter(pk=thread.pk).update(post_count=count)
        thread.refresh_from_db()
    _thread_page_queries(client, small, 1)  # first visits make the read markers
    _thread_page_queries(client, big, 20)

    assert _thread_page_queries(client, small, 1) == _thread_page_queries(client, big, 20)


def test_xss_in_post_markdown_and_links_is_inert_on_the_thread_page(client):
    thread = ThreadFactory()
    author = member()
    markup = "\n\n".join(vector for _name, vector, _expected in DANGEROUS_MARKUP if "\x00" not in vector)
    links = "\n\n".join(f"[x{n}]({href})" for n, (_id, href) in enumerate(UNSAFE_HREFS) if "\x00" not in href)
    client.force_login(author)

    response = client.post(reverse("post-create", args=[thread.pk]), {"body_markdown": (markup + links)[:9000]})

    assert response.status_code == 302
    assert_inert(client.get(thread.get_absolute_url()).content)


def test_story_discussion_shows_under_the_story_and_first_reply_creates_it(client):
    story = publish_story(title="Peer mentoring")
    client.force_login(member())

    response = client.post(reverse("story-discussion-post", args=[story.pk]), {"body_markdown": "Lovely idea"})

    thread = story_thread(story=story)
    assert response["Location"] == thread.posts.get().get_absolute_url()
    section = soup_of(client.get(story.url)).find("section", class_="discussion")
    assert [p.get_text(strip=True) for p in section.select(".post__body")] == ["Lovely idea"]


@pytest.mark.parametrize(
    ("visibility", "signed_in", "linked"),
    [("public", False, True), ("members", False, False), ("members", True, True), ("public", True, True)],
)
def test_a_posts_author_links_to_their_profile_only_for_those_who_may_see_it(client, visibility, signed_in, linked):
    author = member()
    author.profile.visibility = visibility
    author.profile.save()
    thread = ThreadFactory()
    post_reply(user=author, thread=thread, body_markdown="Hello")
    if signed_in:
        client.force_login(member())

    page = client.get(thread.get_absolute_url()).content.decode()

    assert author.profile.display_name in page
    assert (f'href="{author.profile.get_absolute_url()}"' in page) is linked


def test_first_reply_in_a_story_discussion_notifies_the_story_authors_and_not_the_replier(client):
    authors = [ProfileFactory(display_name="Ana"), ProfileFactory(display_name="Eva")]
    story = publish_story(title="Peer mentoring", authors=authors)
    replier = member()
    client.force_login(replier)

    client.post(reverse("story-discussion-post", args=[story.pk]), {"body_markdown": "Lovely idea"})

    notified = Notification.objects.filter(kind=NotificationKind.REPLY).order_by("recipient_id")
    assert [n.recipient_id for n in notified] == sorted(a.user_id for a in authors)
    assert replier.pk not in set(Notification.objects.values_list("recipient_id", flat=True))


def test_a_thread_title_with_line_breaks_is_stored_on_one_line():
    thread = start_thread(user=member(), category=CategoryFactory(), title=" Two\nlines\r\n ", body_markdown="x")
    assert thread.title == "Two lines"
