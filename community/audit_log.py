"""The audit log: who did what to whose data (exports, deletions, privacy changes by others).

One function writes an entry, one forgets a person (labels become "member #<id>" when the
account is deleted: the log keeps the action, not the person), one prunes old entries.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from community.models import AuditEntry, User


def person_label(user: User | None) -> str:
    if user is None:
        return ""
    if user.deleted_at is not None:
        return f"member #{user.pk}"
    profile = getattr(user, "profile", None) if user.pk else None
    name = profile.display_name if profile is not None else user.get_username()
    return f"{name} (#{user.pk})"


def record(*, action: str, actor: User | None, subject: User | None, detail: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=person_label(actor) if actor is not None and actor.pk else "system",
        subject=subject,
        subject_label=person_label(subject),
        detail=detail[:300],
    )


def forget_person(*, user: User) -> int:
    """Rewrite every label naming ``user`` to "member #<id>"; returns how many entries changed."""
    label = f"member #{user.pk}"
    changed = AuditEntry.objects.filter(actor=user).update(actor_label=label)
    changed += AuditEntry.objects.filter(subject=user).update(subject_label=label)
    return changed


def prune_audit_log(*, now: dt.datetime | None = None) -> int:
    """Delete entries older than AUDIT_LOG_RETENTION_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.AUDIT_LOG_RETENTION_DAYS)
    deleted, _ = AuditEntry.objects.filter(created__lt=cutoff).delete()
    return deleted
