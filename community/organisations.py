"""Domain functions for organisations, memberships, invitations and API keys."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from community.models import ApiKey, Invitation, Membership, Organisation, OrganisationType, Role, User
from community.models.secrets import hash_secret


def role_of(*, user: User, organisation: Organisation) -> str | None:
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, organisation=organisation).only("role").first()
    return membership.role if membership else None


def can_manage_members(*, user: User, organisation: Organisation) -> bool:
    return user.is_superuser or role_of(user=user, organisation=organisation) == Role.ADMIN


def can_edit_content(*, user: User, organisation: Organisation) -> bool:
    """Admins and editors publish the organisation's events and stories."""
    if user.is_superuser or user.has_perm("events.change_event"):
        return True
    return role_of(user=user, organisation=organisation) in (Role.ADMIN, Role.EDITOR)


def _require_admin(actor: User, organisation: Organisation) -> None:
    if not can_manage_members(user=actor, organisation=organisation):
        raise PermissionDenied(_("Only the organisation's admins can manage its members."))


def add_member(*, organisation: Organisation, user: User, role: str = Role.MEMBER) -> Membership:
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def invite_member(*, actor: User, organisation: Organisation, email: str, role: str, base_url: str) -> Invitation:
    """Invite by email. The link works for whoever signs in with that address."""
    _require_admin(actor, organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=actor)
    from community.tasks import send_invitation_task

    transaction.on_commit(lambda: send_invitation_task.enqueue(invitation.pk, base_url))
    return invitation


def send_invitation(*, invitation: Invitation, base_url: str) -> None:
    organisation = invitation.organisation
    inviter = invitation.invited_by.profile.display_name if invitation.invited_by else organisation.name
    link = base_url + reverse("invitation-accept", kwargs={"token": invitation.token})
    send_mail(
        _("You are invited to join %(org)s on Praxis") % {"org": organisation.name},
        _("%(who)s invited you to join %(org)s as %(role)s.\n\nAccept: %(link)s\n\nThe link works until %(date)s.\n")
        % {
            "who": inviter,
            "org": organisation.name,
            "role": invitation.get_role_display(),
            "link": link,
            "date": _expiry_date(invitation),
        },
        None,
        [invitation.email],
    )


def find_invitation(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token=token).first()


def _expiry_date(invitation: Invitation) -> str:
    return date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")


def invitation_refusal(*, invitation: Invitation) -> str | None:
    """Why this invitation cannot be accepted any more, in words for the invitee; None if it can."""
    if invitation.accepted_at is not None:
        return _("This invitation has already been accepted.")
    if invitation.is_expired:
        return _("This invitation expired on %(date)s. Ask an admin of %(org)s to invite you again.") % {
            "date": _expiry_date(invitation),
            "org": invitation.organisation.name,
        }
    return None


@transaction.atomic
def accept_invitation(*, user: User, token: str) -> Membership:
    invitation = Invitation.objects.select_for_update().select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise ValidationError(_("This invitation is not valid any more."))
    refusal = invitation_refusal(invitation=invitation)
    if refusal is not None:
        raise ValidationError(refusal, code="expired" if invitation.accepted_at is None else "accepted")
    verified = user.emailaddress_set.filter(email__iexact=invitation.email, verified=True).exists()
    if not verified:
        raise PermissionDenied(_("This invitation was sent to another email address."))
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return add_member(organisation=invitation.organisation, user=user, role=invitation.role)


def _lock_for_membership_change(membership: Membership) -> tuple[Membership, list[int]]:
    """Lock the organisation's admin memberships and the one being changed; re-read both.

    Two admins demoting each other at the same moment would each count the other as
    the admin who stays, and both would go. Locking every admin row (in id order, so
    two changes never deadlock) makes the second change wait for the first and then
    count what the first left. On SQLite the IMMEDIATE transaction already serialises
    writers; there FOR UPDATE is a no-op.
    """
    admins = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    current = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if current is None:
        raise ValidationError(_("This person is no longer a member."))
    membership.role = current.role
    return membership, admins


def _is_last_admin(membership: Membership, admins: list[int]) -> bool:
    return membership.role == Role.ADMIN and [pk for pk in admins if pk != membership.pk] == []


@transaction.atomic
def change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    membership, admins = _lock_for_membership_change(membership)
    _require_admin(actor, membership.organisation)  # after the lock: the actor may just have been demoted
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role != Role.ADMIN and _is_last_admin(membership, admins):
        raise ValidationError(_("An organisation needs at least one admin."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, actor: User, membership: Membership) -> None:
    membership, admins = _lock_for_membership_change(membership)
    _require_admin(actor, membership.organisation)
    if _is_last_admin(membership, admins):
        raise ValidationError(_("An organisation needs at least one admin."))
    membership.delete()


def create_api_key(
    *, organisation: Organisation, name: str = "default", expires_at: dt.datetime | None = None
) -> tuple[ApiKey, str]:
    """Return the key row and the secret, shown once; only its hash is stored."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    secret = "prx_" + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        organisation=organisation,
        name=name[:100],
        prefix=secret[:10],
        hashed_key=hash_secret(secret),
        expires_at=expires_at,
    )
    return key, secret


def revoke_api_key(*, actor: User, key: ApiKey) -> None:
    _require_admin(actor, key.organisation)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def api_key_for_secret(secret: str) -> ApiKey | None:
    """The live (not revoked, not expired) key for ``secret``, its last use recorded at most once a minute."""
    if not secret.startswith("prx_") or len(secret) > 100:
        return None
    now = timezone.now()
    key = (
        ApiKey.objects.select_related("organisation")
        .filter(hashed_key=hash_secret(secret), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if key is not None and (key.last_used is None or key.last_used < now - LAST_USED_RESOLUTION):
        ApiKey.objects.filter(pk=key.pk).update(last_used=now)
        key.last_used = now
    return key


@transaction.atomic
def create_partner(*, slug: str, name: str, admin_email: str = "") -> tuple[Organisation, ApiKey, str]:
    """An organisation (reused if the slug exists), optionally an admin, and a new API key."""
    organisation, _created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "type": OrganisationType.PUBLIC_BODY, "country": "BE"}
    )
    organisation.full_clean()
    if admin_email:
        email = admin_email.strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(username=email[:150], email=email)  # signs in by resetting a password
        add_member(organisation=organisation, user=user, role=Role.ADMIN)
    key, secret = create_api_key(organisation=organisation, name="create_partner")
    return organisation, key, secret
