"""Writing in discussions: threads, posts, replies, edits, soft deletes, follows and read markers.

Every path that writes a post (the thread page, a story's discussion, the API, the demo)
calls these functions, so the lock, the rate limit, the length limit, Markdown rendering
with the sanitiser, numbering and notifications hold everywhere.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community.markdown import escape_markdown, render_markdown
from community.models import (
    Category,
    CategoryFollow,
    Post,
    PostVersion,
    PracticeStoryPage,
    Profile,
    Thread,
    ThreadFollow,
    ThreadRead,
    User,
)
from community.models.discussions import POST_MAX_CHARS, POSTS_PER_PAGE
from community.notifications import notify_new_post
from community.sanitise import one_line

RATE_WINDOW = dt.timedelta(minutes=10)
NEW_ACCOUNT_AGE = dt.timedelta(days=1)
MENTION_RE = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9-]{1,79})\b")
MAX_MENTIONS = 10


class RateLimited(PermissionDenied):
    """Too many posts in the window; the message says how many and for how long."""


def is_moderator(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm("community.change_thread")))


def check_rate_limit(*, user: User, now: dt.datetime | None = None) -> None:
    """Refuse a post past the per-member limit; stricter for accounts younger than a day."""
    if is_moderator(user):
        return
    now = now or timezone.now()
    new_account = user.date_joined > now - NEW_ACCOUNT_AGE
    limit = settings.POST_RATE_LIMIT_NEW_ACCOUNT if new_account else settings.POST_RATE_LIMIT
    recent = Post.objects.filter(author=user, created__gt=now - RATE_WINDOW).count()
    if recent >= limit:
        minutes = int(RATE_WINDOW.total_seconds() // 60)
        message = ngettext(
            "You can post %(limit)d time every %(minutes)d minutes",
            "You can post %(limit)d times every %(minutes)d minutes",
            limit,
        ) % {"limit": limit, "minutes": minutes}
        if new_account:
            message += " " + _("while your account is less than a day old")
        raise RateLimited(message + ". " + _("Please wait a little and try again."))


def check_body(body_markdown: str) -> str:
    body = (body_markdown or "").strip()
    if not body:
        raise ValidationError({"body_markdown": _("Write something first.")})
    if len(body) > POST_MAX_CHARS:
        raise ValidationError(
            {
                "body_markdown": _("A post can be at most %(limit)d characters (this one has %(count)d).")
                % {"limit": POST_MAX_CHARS, "count": len(body)}
            }
        )
    return body


def mentioned_profiles(body_markdown: str) -> list[Profile]:
    slugs = list(dict.fromkeys(MENTION_RE.findall(body_markdown.lower())))[:MAX_MENTIONS]
    if not slugs:
        return []
    return list(Profile.objects.filter(slug__in=slugs, user__is_active=True).select_related("user"))


def _link_mentions(body_markdown: str, profiles: list[Profile]) -> str:
    """Turn @slug into a Markdown link to the profile; the whole post is sanitised after."""
    by_slug = {p.slug: p for p in profiles}

    def replace(match: re.Match) -> str:
        profile = by_slug.get(match.group(1).lower())
        if profile is None:
            return match.group(0)
        return f"[@{escape_markdown(profile.display_name)}]({profile.get_absolute_url()})"

    return MENTION_RE.sub(replace, body_markdown)


def _render(body: str) -> tuple[str, str, list[Profile]]:
    profiles = mentioned_profiles(body)
    html, text = render_markdown(_link_mentions(body, profiles))
    return html, text, profiles


def check_can_post(*, user: User, thread: Thread) -> None:
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to post."))
    if thread.hidden_at is not None:
        raise PermissionDenied(_("This thread has been hidden by a moderator."))
    if thread.is_locked and not is_moderator(user):
        raise PermissionDenied(_("This thread is locked: no new posts."))


@transaction.atomic
def post_reply(*, user: User, thread: Thread, body_markdown: str, reply_to: Post | None = None) -> Post:
    """Add a post to a thread: numbered, rendered, followed, and its readers notified."""
    check_can_post(user=user, thread=thread)
    body = check_body(body_markdown)
    check_rate_limit(user=user)
    if reply_to is not None and reply_to.thread_id != thread.pk:
        raise ValidationError({"reply_to": _("You can only reply to a post in the same thread.")})
    html, text, mentioned = _render(body)
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    now = timezone.now()
    post = Post.objects.create(
        thread=locked,
        number=locked.post_count + 1,
        author=user,
        reply_to=reply_to,
        body_markdown=body,
        body_html=html,
        body_text=text,
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1, last_posted_at=now)
    thread.post_count, thread.last_posted_at = locked.post_count + 1, now
    follow_thread(user=user, thread=thread)
    mark_read(user=user, thread=thread, number=post.number)
    notify_new_post(post=post, thread=thread, mentioned=[p.user for p in mentioned])
    return post


@transaction.atomic
def start_thread(*, user: User, category: Category, title: str, body_markdown: str) -> Thread:
    title = one_line(title)
    if not title:
        raise ValidationError({"title": _("Give the thread a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("A title can be at most 200 characters.")})
    check_body(body_markdown)
    thread = Thread.objects.create(title=title, category=category, author=user)
    post_reply(user=user, thread=thread, body_markdown=body_markdown)
    return thread


def story_thread(*, story: PracticeStoryPage) -> Thread:
    """The story's discussion, made on first use (one per story, whatever the race).

    The story's authors follow it from the start, so the first reply already reaches them.
    """
    thread = Thread.objects.filter(story=story).first()
    if thread is not None:
        return thread
    try:
        with transaction.atomic():
            thread = Thread.objects.create(story=story, title=story.title[:200], author=None)
            for author in story.authors.select_related("user"):
                follow_thread(user=author.user, thread=thread)
            return thread
    except IntegrityError:
        return Thread.objects.get(story=story)


@transaction.atomic
def edit_post(*, user: User, post: Post, body_markdown: str) -> Post:
    """Change one's own post; the earlier text is kept as a version for moderators."""
    if post.author_id != user.pk:
        raise PermissionDenied(_("You can only edit your own posts."))
    if post.deleted_at is not None or post.hidden_at is not None:
        raise PermissionDenied(_("This post can no longer be edited."))
    if post.thread.is_locked and not is_moderator(user):
        raise PermissionDenied(_("This thread is locked: posts can no longer be edited."))
    body = check_body(body_markdown)
    if body == post.body_markdown:
        return post
    PostVersion.objects.create(post=post, body_markdown=post.body_markdown, created=post.edited_at or post.created)
    post.body_html, post.body_text, _mentioned = _render(body)
    post.body_markdown = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body_markdown", "body_html", "body_text", "edited_at"])
    return post


def delete_post(*, user: User, post: Post) -> Post:
    """Soft delete: the text goes from view, the number and any replies stay in place."""
    if post.author_id != user.pk and not is_moderator(user):
        raise PermissionDenied(_("You can only delete your own posts."))
    if post.deleted_at is None:
        post.deleted_at = timezone.now()
        post.save(update_fields=["deleted_at"])
    return post


def follow_thread(*, user: User, thread: Thread) -> None:
    ThreadFollow.objects.get_or_create(user=user, thread=thread)


def unfollow_thread(*, user: User, thread: Thread) -> None:
    ThreadFollow.objects.filter(user=user, thread=thread).delete()


def follow_category(*, user: User, category: Category) -> None:
    CategoryFollow.objects.get_or_create(user=user, category=category)


def unfollow_category(*, user: User, category: Category) -> None:
    CategoryFollow.objects.filter(user=user, category=category).delete()


def mark_read(*, user: User, thread: Thread, number: int) -> None:
    """Move the read marker forward (never back)."""
    if not user.is_authenticated or number <= 0:
        return
    updated = ThreadRead.objects.filter(user=user, thread=thread, last_read_number__lt=number).update(
        last_read_number=number
    )
    if not updated:
        ThreadRead.objects.get_or_create(user=user, thread=thread, defaults={"last_read_number": number})


def last_read(*, user: User, thread: Thread) -> int:
    if not user.is_authenticated:
        return 0
    row = ThreadRead.objects.filter(user=user, thread=thread).values_list("last_read_number", flat=True).first()
    return row or 0


def thread_page_count(*, thread: Thread) -> int:
    return max(1, (thread.post_count - 1) // POSTS_PER_PAGE + 1)


def thread_posts(*, thread: Thread, page: int) -> QuerySet[Post]:
    """One page of a thread as a range on (thread, number): as cheap on page 20 as on page 1."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    return (
        Post.objects.filter(thread=thread, number__gte=first, number__lt=first + POSTS_PER_PAGE)
        .select_related("author__profile", "reply_to")
        .order_by("number")
    )


def first_posts(*, thread: Thread) -> list[Post]:
    return list(thread_posts(thread=thread, page=1))
