"""An uploaded calendar is stored by the web request and imported by the task worker.

A 10 MB calendar takes seconds to parse and write; a web process that did it would hold a
worker (and, under ASGI, its one sync thread) for all that time. The request checks what it
can check at once (the body looks like a calendar), stores the body with a queued run, and
answers with the run; the worker fills the run in, and the client reads it back.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from community.models import Organisation
from events.models import ImportOutcome, ImportRun, ImportSource, Origin, PendingUpload
from events.tasks import import_upload_task

_LEADING = b"\xef\xbb\xbf \t\r\n"


def looks_like_a_calendar(body: bytes) -> bool:
    return body.lstrip(_LEADING)[:15].upper() == b"BEGIN:VCALENDAR"


def queue_upload(
    *, organisation: Organisation, body: bytes, origin: str = Origin.API, default_timezone: str = ""
) -> ImportRun:
    """Store the upload with a queued run and hand it to the worker once the transaction commits."""
    if not body or not looks_like_a_calendar(body):
        raise ValidationError(
            _("This is not an iCalendar file: it must start with BEGIN:VCALENDAR."), code="not_a_calendar"
        )
    with transaction.atomic():
        run = ImportRun.objects.create(
            organisation=organisation, source=ImportSource.UPLOAD, outcome=ImportOutcome.QUEUED, bytes=len(body)
        )
        PendingUpload.objects.create(run=run, body=body, origin=origin, default_timezone=default_timezone)
        transaction.on_commit(lambda: import_upload_task.enqueue(run.pk))
    return run
