"""Notifications: made in the site at once, emailed later in one digest per member.

The email itself is in community/notification_email.py. A burst of posts makes many
notifications but schedules one digest: the first unsent
notification sets ``NotificationEmail.digest_due`` with a conditional update, and only the
caller that set it enqueues the task (on commit, delayed by NOTIFICATION_EMAIL_DELAY_MINUTES
where the task backend can defer). The digest claims the row back with another conditional
update, so two workers never send the same digest.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from community.models import (
    CategoryFollow,
    Notification,
    NotificationEmail,
    NotificationKind,
    Post,
    Thread,
    ThreadFollow,
    User,
)
from community.tasks import send_notification_digest_task


def notify_new_post(*, post: Post, thread: Thread, mentioned: list[User]) -> list[Notification]:
    """Tell followers of the thread (and of its category) and everyone mentioned."""
    author_id = post.author_id
    author_name = post.author.profile.display_name if hasattr(post.author, "profile") else post.author.get_username()
    url = post.get_absolute_url()
    mention_ids = {user.pk for user in mentioned if user.pk != author_id}
    follower_filter = Q(thread_follows__thread=thread)
    if thread.category_id:
        follower_filter |= Q(category_follows__category_id=thread.category_id)
    follower_ids = set(
        User.objects.filter(follower_filter, is_active=True).exclude(pk=author_id).values_list("pk", flat=True)
    )
    rows = [
        Notification(
            recipient_id=user_id,
            kind=NotificationKind.MENTION,
            message=_("%(name)s mentioned you in “%(thread)s”") % {"name": author_name, "thread": thread.title},
            url=url,
        )
        for user_id in sorted(mention_ids)
    ] + [
        Notification(
            recipient_id=user_id,
            kind=NotificationKind.REPLY,
            message=_("%(name)s posted in “%(thread)s”") % {"name": author_name, "thread": thread.title},
            url=url,
        )
        for user_id in sorted(follower_ids - mention_ids)
    ]
    created = Notification.objects.bulk_create(rows)
    schedule_digests(user_ids=[row.recipient_id for row in rows])
    return created


def notify(*, user: User, kind: str, message: str, url: str) -> Notification:
    notification = Notification.objects.create(recipient=user, kind=kind, message=message[:300], url=url)
    schedule_digests(user_ids=[user.pk])
    return notification


def schedule_digests(*, user_ids: list[int]) -> None:
    """Enqueue one digest per member who has none pending and wants email."""
    if not user_ids:
        return
    existing = set(NotificationEmail.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    NotificationEmail.objects.bulk_create(
        [NotificationEmail(user_id=pk) for pk in set(user_ids) - existing], ignore_conflicts=True
    )
    due = timezone.now() + dt.timedelta(minutes=settings.NOTIFICATION_EMAIL_DELAY_MINUTES)
    for user_id in sorted(set(user_ids)):
        claimed = NotificationEmail.objects.filter(user_id=user_id, enabled=True, digest_due__isnull=True).update(
            digest_due=due
        )
        if claimed:
            transaction.on_commit(lambda user_id=user_id: _enqueue_digest(user_id=user_id, due=due))


def _enqueue_digest(*, user_id: int, due: dt.datetime) -> None:
    task = send_notification_digest_task
    if default_task_backend.supports_defer:
        task = task.using(run_after=due)
    task.enqueue(user_id)


def unread_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def follows_of(*, user: User) -> tuple[list[ThreadFollow], list[CategoryFollow]]:
    return (
        list(ThreadFollow.objects.filter(user=user).select_related("thread")),
        list(CategoryFollow.objects.filter(user=user).select_related("category")),
    )
