"""Members' personal API tokens: create (the secret is shown once), revoke, authenticate.

Secrets start with ``prt_`` so that a member's token and an organisation's key (``prx_``)
can never be mistaken for each other, by Praxis or by a secret scanner.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import PersonalToken, User
from community.models.secrets import hash_secret

PREFIX = "prt_"
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def live_tokens(*, user: User):
    return PersonalToken.objects.filter(user=user, revoked_at__isnull=True)


def create_personal_token(
    *, user: User, name: str, expires_at: dt.datetime | None = None, now: dt.datetime | None = None
) -> tuple[PersonalToken, str]:
    """Return the token row and its secret (shown once; only the hash is kept)."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Say what the token is for, so you recognise it later.")})
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    if not user.is_active:
        raise PermissionDenied(_("This account cannot create tokens."))
    if live_tokens(user=user).count() >= settings.PERSONAL_TOKENS_MAX:
        message = _("You have %(n)d tokens; revoke one you no longer use first.") % {"n": settings.PERSONAL_TOKENS_MAX}
        raise ValidationError({"name": message})
    secret = PREFIX + secrets.token_urlsafe(32)
    token = PersonalToken.objects.create(
        user=user, name=name[:100], prefix=secret[:10], hashed_key=hash_secret(secret), expires_at=expires_at
    )
    return token, secret


def revoke_personal_token(*, user: User, token: PersonalToken) -> None:
    """Only the owner revokes; revoking twice is harmless."""
    if token.user_id != user.pk:
        raise PermissionDenied(_("You can revoke only your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def user_for_token(secret: str) -> User | None:
    """The active member behind a live token, its last use recorded at most once a minute."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    now = timezone.now()
    token = (
        PersonalToken.objects.select_related("user")
        .filter(hashed_key=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    if token.last_used is None or token.last_used < now - LAST_USED_RESOLUTION:
        PersonalToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
