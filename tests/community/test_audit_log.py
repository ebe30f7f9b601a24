"""The audit log (issue #18): staff read it in the Wagtail admin, nobody edits it, old entries are pruned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from community.audit_log import prune_audit_log, record
from community.data_exports import expire_data_exports
from community.models import AuditEntry, DataExport
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    user = UserFactory(is_staff=True, is_superuser=True)
    ProfileFactory(user=user, display_name="Sam Staff")
    return user


def _entry(days_old: int) -> AuditEntry:
    subject = ProfileFactory(display_name=f"Subject {days_old}").user
    entry = record(action="export_requested", actor=subject, subject=subject)
    AuditEntry.objects.filter(pk=entry.pk).update(created=timezone.now() - dt.timedelta(days=days_old))
    return entry


def test_pruning_deletes_entries_past_the_retention_and_keeps_the_rest(settings):
    settings.AUDIT_LOG_RETENTION_DAYS = 30
    old, recent = _entry(31), _entry(29)
    assert prune_audit_log() == 1
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


def test_the_command_prunes_now_and_says_how_much(settings, capsys):
    settings.AUDIT_LOG_RETENTION_DAYS = 30
    _entry(400)
    call_command("prune_data_rights")
    assert capsys.readouterr().out.strip() == "Deleted 1 audit-log entries and 0 expired archive(s)."


def test_expired_archives_leave_the_disk(settings):
    settings.EXPORT_LINK_MAX_AGE = 3600
    user = ProfileFactory().user
    path = settings.MEDIA_ROOT / "private/exports/x.zip"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"zip")
    export = DataExport.objects.create(
        user=user, state="ready", path="private/exports/x.zip", finished=timezone.now() - dt.timedelta(hours=2)
    )
    assert expire_data_exports() == 1
    export.refresh_from_db()
    assert (export.state, export.path, path.exists()) == ("expired", "", False)


def test_staff_read_the_log_in_the_wagtail_admin(client, superuser):
    _entry(1)
    client.force_login(superuser)
    response = client.get("/admin/snippets/community/auditentry/")
    assert response.status_code == 200
    assert "Subject 1" in response.content.decode()


@pytest.mark.parametrize("path", ["add/", "edit/{pk}/", "delete/{pk}/"])
def test_nobody_adds_edits_or_deletes_entries_even_a_superuser(client, superuser, path):
    entry = _entry(1)
    client.force_login(superuser)
    response = client.get("/admin/snippets/community/auditentry/" + path.format(pk=entry.pk))
    assert response.status_code in (302, 403)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_members_who_are_not_staff_do_not_see_the_log(client):
    _entry(1)
    client.force_login(ProfileFactory().user)
    response = client.get("/admin/snippets/community/auditentry/")
    assert response.status_code in (302, 403)
