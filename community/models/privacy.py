"""Data rights: the audit log, data-export requests and the privacy notice / terms texts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField


class AuditAction(models.TextChoices):
    EXPORT_REQUESTED = "export_requested", _("Asked for a copy of their data")
    EXPORT_READY = "export_ready", _("Data archive built")
    EXPORT_DOWNLOADED = "export_downloaded", _("Data archive downloaded")
    ACCOUNT_DELETED = "account_deleted", _("Account deleted")
    PRIVACY_CHANGED = "privacy_changed", _("Privacy choices changed by someone else")


class AuditEntry(models.Model):
    """Who did what to whose data. Read-only for staff; pruned after AUDIT_LOG_RETENTION_DAYS.

    The labels are copies taken when the entry is written, so an entry still reads after
    the account it names is deleted; deleting an account rewrites its labels to
    "member #<id>" (the log keeps the action, not the person).
    """

    created = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=160, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_label = models.CharField(_("whose data"), max_length=160, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_label}: {self.get_action_display()} ({self.subject_label})"


class ExportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class DataExport(models.Model):
    """One request for a copy of a member's data; the archive lives under MEDIA_ROOT/private/."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    state = models.CharField(max_length=10, choices=ExportState.choices, default=ExportState.PENDING)
    requested = models.DateTimeField(auto_now_add=True, db_index=True)
    finished = models.DateTimeField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True, help_text="Relative to MEDIA_ROOT; never served statically.")
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested", "-id"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return f"{self.user} · {self.requested:%Y-%m-%d %H:%M} · {self.state}"


class LegalKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    TERMS = "terms", _("Terms of use")


class LegalText(models.Model):
    """The privacy notice and the terms, edited in the Wagtail admin (Snippets), shown at /privacy/ and /terms/."""

    kind = models.CharField(_("which page"), max_length=10, choices=LegalKind.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = RichTextField(_("text"))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("privacy notice or terms")
        verbose_name_plural = _("privacy notice and terms")

    def __str__(self) -> str:
        return self.title
