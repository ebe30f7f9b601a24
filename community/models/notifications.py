"""In-site notifications, and the batched email that carries the unread ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("New post in a thread you follow")
    MENTION = "mention", _("You were mentioned")
    STORY_APPROVED = "story_approved", _("Your story was published")
    STORY_REJECTED = "story_rejected", _("Your story needs changes")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    message = models.CharField(max_length=300, help_text="Plain text; escaped wherever it is shown.")
    url = models.CharField(max_length=300, help_text="A path on this site.")
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.message


class NotificationEmail(models.Model):
    """Per member: whether notifications go by email, and the digest already scheduled.

    ``digest_due`` is set by a conditional update when the first unsent notification
    arrives, so a burst of posts enqueues one digest task, not one email per post.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_email")
    enabled = models.BooleanField(_("email me about notifications"), default=True)
    digest_due = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.user)
