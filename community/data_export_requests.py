"""Asking for a copy of one's data: one request a day, recorded, and built by the task worker.

Separate from community/data_exports.py (the build) because the task module imports the
build, and the request enqueues the task.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.audit_log import record
from community.models import AuditAction, DataExport, ExportState, User
from community.tasks import build_data_export_task


class ExportRefused(ValidationError):
    pass


def next_export_allowed_at(*, user: User) -> dt.datetime | None:
    """When the member may ask again, or None if they may ask now (EXPORT_REQUESTS_PER_DAY a day)."""
    since = timezone.now() - dt.timedelta(days=1)
    recent = list(
        DataExport.objects.filter(user=user, requested__gte=since)
        .exclude(state=ExportState.FAILED)
        .order_by("requested")
        .values_list("requested", flat=True)
    )
    if len(recent) < settings.EXPORT_REQUESTS_PER_DAY:
        return None
    return recent[0] + dt.timedelta(days=1)


def request_export(*, user: User, base_url: str | None = None) -> DataExport:
    """Record a request and enqueue the build (on commit); refused within a day of the last one."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one request at a time per member
        if user.deleted_at is not None or not user.is_active:
            raise ExportRefused(_("This account is deleted."))
        allowed_at = next_export_allowed_at(user=user)
        if allowed_at is not None:
            raise ExportRefused(
                _("You asked for a copy of your data less than a day ago. You can ask again after %(time)s UTC.")
                % {"time": allowed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")},
                code="rate_limited",
            )
        export = DataExport.objects.create(user=user)
        record(action=AuditAction.EXPORT_REQUESTED, actor=user, subject=user)
        transaction.on_commit(lambda: build_data_export_task.enqueue(export.pk, base_url or settings.SITE_URL))
    return export
