"""Confirming a deletion by email, for accounts that have no usable password (e.g. signed in by code).

The link is signed (TimestampSigner) over the member's id and their password hash, works for
ACCOUNT_DELETION_LINK_MAX_AGE seconds, and only for the member signed in when it is opened.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from community.models import User

SALT = "praxis.account-deletion.confirm"


def deletion_token(*, user: User) -> str:
    fingerprint = salted_hmac(SALT, user.password or "-").hexdigest()[:16]
    return signing.TimestampSigner(salt=SALT).sign(f"{user.pk}.{fingerprint}")


def token_confirms(*, token: str, user: User) -> bool:
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=settings.ACCOUNT_DELETION_LINK_MAX_AGE)
    except signing.BadSignature:
        return False
    user_id, _sep, fingerprint = value.partition(".")
    expected = salted_hmac(SALT, user.password or "-").hexdigest()[:16]
    return user_id == str(user.pk) and constant_time_compare(fingerprint, expected)


def send_deletion_link(*, user: User, base_url: str) -> None:
    link = base_url.rstrip("/") + reverse("account-delete-confirm", kwargs={"token": deletion_token(user=user)})
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("Confirm deleting your Praxis account"),
        _(
            "Someone (we hope you) asked to delete your Praxis account. To go ahead, open this link "
            "while signed in within an hour:\n\n%(link)s\n\nIf it was not you, ignore this email.\n"
        )
        % {"link": link},
        None,
        [user.email],
    )
