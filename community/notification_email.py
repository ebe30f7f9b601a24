"""The notification digest email and its signed one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Notification, NotificationEmail, User

UNSUBSCRIBE_SALT = "praxis.notifications.unsubscribe"


def send_notification_digest(*, user: User, base_url: str | None = None) -> int:
    """Email a member their unread, not yet emailed notifications in one message; returns how many."""
    claimed = NotificationEmail.objects.filter(user=user, digest_due__isnull=False).update(digest_due=None)
    if not claimed:
        return 0
    pending = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True, emailed_at__isnull=True).order_by("created")
    )
    if not pending or not user.email or not NotificationEmail.objects.filter(user=user, enabled=True).exists():
        return 0
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    unsubscribe_url = base_url + reverse("notifications-unsubscribe", kwargs={"token": unsubscribe_token(user=user)})
    context = {"notifications": pending, "base_url": base_url, "unsubscribe_url": unsubscribe_url, "user": user}
    message = EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        + (_("%(count)d new notifications") % {"count": len(pending)} if len(pending) > 1 else pending[0].message),
        body=render_to_string("community/email/notification_digest.txt", context),
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.send()
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return len(pending)


def unsubscribe_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe(*, token: str) -> User | None:
    """Turn notification email off for the member the signed token names; None if the token is bad."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=payload.get("u")).first() if isinstance(payload, dict) else None
    if user is None:
        return None
    NotificationEmail.objects.update_or_create(user=user, defaults={"enabled": False, "digest_due": None})
    return user
