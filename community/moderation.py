"""Moderating discussions (pin, lock, move, hide, flags) and telling authors about story decisions.

Every function checks the moderator role itself, so the thread page, the admin and the
API cannot differ on who may do what.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.discussions import is_moderator
from community.models import Category, Flag, NotificationKind, Post, PracticeStoryPage, Thread, User
from community.notifications import notify


def _require_moderator(user: User) -> None:
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators can do this."))


def set_thread_flags(
    *, moderator: User, thread: Thread, pinned: bool | None = None, locked: bool | None = None
) -> Thread:
    _require_moderator(moderator)
    if pinned is not None:
        thread.is_pinned = pinned
    if locked is not None:
        thread.is_locked = locked
    thread.save(update_fields=["is_pinned", "is_locked"])
    return thread


def move_thread(*, moderator: User, thread: Thread, category: Category) -> Thread:
    _require_moderator(moderator)
    if thread.story_id:
        raise ValidationError({"category": _("A story's discussion stays with its story.")})
    thread.category = category
    thread.save(update_fields=["category"])
    return thread


def hide_thread(*, moderator: User, thread: Thread, hidden: bool = True) -> Thread:
    _require_moderator(moderator)
    thread.hidden_at = timezone.now() if hidden else None
    thread.save(update_fields=["hidden_at"])
    return thread


@transaction.atomic
def hide_post(*, moderator: User, post: Post, hidden: bool = True) -> Post:
    """Hide (or show again) a post; hiding resolves its open flags."""
    _require_moderator(moderator)
    post.hidden_at = timezone.now() if hidden else None
    post.hidden_by = moderator if hidden else None
    post.save(update_fields=["hidden_at", "hidden_by"])
    if hidden:
        resolve_flags(moderator=moderator, post=post)
    return post


def flag_post(*, user: User, post: Post, reason: str, note: str = "") -> Flag:
    """A member reports a post to the moderators' queue (once per post while it is open)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to report a post."))
    flag = Flag(post=post, reporter=user, reason=reason, note=(note or "").strip()[:500])
    flag.full_clean(exclude=["post", "reporter"], validate_constraints=False)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError:
        return Flag.objects.get(post=post, reporter=user, resolved_at__isnull=True)
    return flag


def resolve_flags(*, moderator: User, post: Post) -> int:
    _require_moderator(moderator)
    return Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )


def notify_story_decision(*, story: PracticeStoryPage, approved: bool, comment: str = "") -> None:
    """Tell a story's authors (and its submitter) what the moderators decided."""
    story = story.specific
    recipients = {profile.user for profile in story.authors.select_related("user")}
    if story.owner is not None:
        recipients.add(story.owner)
    if approved:
        kind, message = NotificationKind.STORY_APPROVED, _("Your story “%(title)s” is published.")
    else:
        kind, message = NotificationKind.STORY_REJECTED, _("Your story “%(title)s” needs changes.")
    message = message % {"title": story.title}
    if comment:
        message += " " + _("Moderator's comment: %(comment)s") % {"comment": comment}
    for user in sorted(recipients, key=lambda u: u.pk):
        notify(user=user, kind=kind, message=message, url=story.url or "/members/me/")
