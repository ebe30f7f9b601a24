"""Delete my account: one domain function, called by the privacy page and by staff tooling.

The ``User`` row stays as an inactive tombstone without personal data (no name, email,
password, permissions), so contributions the member leaves behind keep their place in
threads and chat transcripts and read as "a former member". Everything personal goes at
once: profile and avatar, follows, notifications, memberships, invitations, email
addresses, data archives, sessions (the unusable password changes the session hash, which
ends every session) and the personal calendar feed (its token lived on the profile).

Idempotent: a second call, or one racing another, finds ``deleted_at`` set under the row
lock and does nothing. An export that runs meanwhile finds the tombstone and gives up.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search import index
from wagtail.users.models import UserProfile

from community.audit_log import forget_person, record
from community.data_exports import delete_export_files
from community.data_rights import registered_erasers
from community.models import (
    AuditAction,
    CategoryFollow,
    DataExport,
    Flag,
    Invitation,
    Membership,
    Notification,
    NotificationEmail,
    Organisation,
    PersonalToken,
    Post,
    PostVersion,
    PracticeStoryPage,
    Profile,
    Role,
    Thread,
    ThreadFollow,
    ThreadRead,
    User,
)


@dataclass(frozen=True)
class DeletionResult:
    deleted: bool  # False when the account was already deleted
    stories_unpublished: int = 0
    stories_unnamed: int = 0
    posts_removed: int = 0


def organisations_needing_handover(*, user: User) -> list[Organisation]:
    """Organisations where ``user`` is the only admin: they must name another admin first."""
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values_list("organisation_id", flat=True)
    return [
        organisation
        for organisation in Organisation.objects.filter(pk__in=list(admin_of)).order_by("name")
        if not organisation.memberships.filter(role=Role.ADMIN).exclude(user=user).exists()
    ]


def handover_message(organisations: list[Organisation]) -> str:
    return _(
        "You are the only admin of %(names)s. Make another member an admin there first, "
        "so the organisation is not left without one."
    ) % {"names": ", ".join(o.name for o in organisations)}


def delete_account(*, user: User, remove_contributions: bool, actor: User | None) -> DeletionResult:
    """Delete ``user``'s account. ``actor`` is the member themself or staff (tooling); None is the system."""
    if actor is not None and actor.pk != user.pk and not actor.is_staff:
        raise PermissionDenied(_("Only the member, or staff through the admin, can delete an account."))
    with transaction.atomic():
        locked = User.objects.select_for_update().filter(pk=user.pk).first()
        if locked is None or locked.deleted_at is not None:
            return DeletionResult(deleted=False)
        handover = organisations_needing_handover(user=locked)
        if handover:
            raise ValidationError(handover_message(handover), code="last_admin")
        result = _erase(user=locked, remove_contributions=remove_contributions)
        for eraser in registered_erasers():
            eraser(user=locked, remove_contributions=remove_contributions)
        _tombstone(locked)
        forget_person(user=locked)
        record(
            action=AuditAction.ACCOUNT_DELETED,
            actor=None if actor is None or actor.pk == locked.pk else actor,
            subject=locked,
            detail=_("contributions removed") if remove_contributions else _("contributions kept as a former member"),
        )
    user.refresh_from_db()
    return result


def _erase(*, user: User, remove_contributions: bool) -> DeletionResult:
    now = timezone.now()
    unpublished = unnamed = 0
    profile = Profile.objects.filter(user=user).first()
    touched_stories: list[PracticeStoryPage] = []
    if profile is not None:
        for story in PracticeStoryPage.objects.filter(authors=profile).prefetch_related("authors"):
            others = [author for author in story.authors.all() if author.pk != profile.pk]
            if not others and story.live:
                story.unpublish(log_action=False)
                unpublished += 1
            elif others:
                unnamed += 1
            touched_stories.append(story)
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()  # takes the story authorships and the personal-feed token with it
        for story in touched_stories:
            saved = PracticeStoryPage.objects.get(pk=story.pk)
            saved.refresh_search_text()  # the public story search no longer finds them by name
            index.insert_or_update_object(saved)

    # Other members' notifications about this member's posts named them: they now name "a former member".
    if profile is not None:
        post_ids = Post.objects.filter(author=user).values_list("pk", flat=True)
        urls = [reverse("post-permalink", kwargs={"pk": pk}) for pk in post_ids]
        Notification.objects.filter(url__in=urls).update(
            message=Replace("message", Value(profile.display_name), Value(_("a former member")))
        )

    removed = 0
    if remove_contributions:
        posts = list(Post.objects.filter(author=user))
        PostVersion.objects.filter(post__author=user).delete()
        removed = Post.objects.filter(author=user).update(body_markdown="", body_html="", body_text="", deleted_at=now)
        for post in posts:
            index.remove_object(post)
    Post.objects.filter(author=user).update(author=None)
    Thread.objects.filter(author=user).update(author=None)
    # Moderation records keep the action, not the person.
    Post.objects.filter(hidden_by=user).update(hidden_by=None)
    Flag.objects.filter(resolved_by=user).update(resolved_by=None)
    Flag.objects.filter(reporter=user).update(note="")

    for model in (ThreadFollow, CategoryFollow, ThreadRead, NotificationEmail, Membership, PersonalToken):
        model.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    emails = [*EmailAddress.objects.filter(user=user).values_list("email", flat=True), user.email]
    Invitation.objects.filter(email__in=[e for e in emails if e], accepted_at__isnull=True).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    EmailAddress.objects.filter(user=user).delete()
    delete_export_files(exports=DataExport.objects.filter(user=user))
    DataExport.objects.filter(user=user).delete()
    return DeletionResult(deleted=True, stories_unpublished=unpublished, stories_unnamed=unnamed, posts_removed=removed)


def _tombstone(user: User) -> None:
    user.username = f"former-member-{user.pk}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.set_unusable_password()  # a new session hash: every open session ends
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.deleted_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    # Wagtail's admin profile (avatar, preferences) is personal too.
    UserProfile.objects.filter(user=user).delete()
