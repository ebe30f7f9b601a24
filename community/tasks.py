"""Background tasks: thin wrappers that take ids, re-fetch, and call a domain function."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import default_task_backend, task

from community.audit_log import prune_audit_log
from community.data_exports import build_export, expire_data_exports
from community.models import Invitation, User
from community.notification_email import send_notification_digest


@task()
def send_invitation_task(invitation_id: int, base_url: str) -> str:
    """Send an invitation email; returns the address, or "" if the invitation is gone or used."""
    from community.organisations import send_invitation

    invitation = (
        Invitation.objects.select_related("organisation", "invited_by__profile")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return ""
    send_invitation(invitation=invitation, base_url=base_url)
    return invitation.email


@task()
def send_notification_digest_task(user_id: int) -> int:
    """Email a member's pending notifications in one message; returns how many (0 if the member is gone)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    return send_notification_digest(user=user)


@task()
def build_data_export_task(export_id: int, base_url: str) -> str:
    """Build a member's data archive and email the link; returns the state ("" if the request is gone)."""
    export = build_export(export_id=export_id, base_url=base_url)
    return export.state if export is not None else ""


@task()
def prune_data_rights_task(reschedule: bool = False) -> dict[str, int]:
    """Prune the audit log and expire old data archives; with ``reschedule``, again in a day (where deferrable)."""
    result = {"audit_entries": prune_audit_log(), "archives": expire_data_exports()}
    if reschedule and default_task_backend.supports_defer:
        prune_data_rights_task.using(run_after=timezone.now() + dt.timedelta(days=1)).enqueue(True)
    return result
