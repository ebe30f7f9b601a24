"""Notification email: one digest per member per batch, through the task worker, with one-click unsubscribe."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from community.discussions import post_reply
from community.models import NotificationEmail, ThreadFollow
from community.notification_email import unsubscribe_token
from tests.community.factories_stories import ThreadFactory
from tests.factories import ProfileFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def member():
    user = UserFactory(date_joined=timezone.now() - dt.timedelta(days=30))
    ProfileFactory(user=user)
    return user


@pytest.mark.django_db
def test_a_burst_of_posts_sends_one_digest_with_all_of_them(django_capture_on_commit_callbacks):
    reader = member()
    thread = ThreadFactory(title="Valorisation")
    ThreadFollow.objects.create(user=reader, thread=thread)

    writer = member()

    with django_capture_on_commit_callbacks(execute=True):
        posts = [post_reply(user=writer, thread=thread, body_markdown=f"Post {n}") for n in range(3)]

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reader.email]
    assert message.subject == "[Praxis] 3 new notifications"
    for post in posts:
        assert f"http://127.0.0.1:8000{post.get_absolute_url()}" in message.body
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in message.body


@pytest.mark.django_db
def test_one_click_unsubscribe_post_turns_email_off_without_a_session(client, django_capture_on_commit_callbacks):
    reader = member()
    thread = ThreadFactory()
    ThreadFollow.objects.create(user=reader, thread=thread)
    url = reverse("notifications-unsubscribe", args=[unsubscribe_token(user=reader)])

    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(user=member(), thread=thread, body_markdown="Anyone?")

    assert response.status_code == 200
    assert NotificationEmail.objects.get(user=reader).enabled is False
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_tampered_unsubscribe_token_answers_400_and_changes_nothing(client):
    reader = member()
    token = unsubscribe_token(user=reader)

    response = client.post(reverse("notifications-unsubscribe", args=[token[:-2] + "xx"]))

    assert response.status_code == 400
    assert NotificationEmail.objects.filter(user=reader, enabled=False).exists() is False


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_digest_goes_out_through_the_real_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NOTIFICATION_EMAIL_DELAY_MINUTES = 0
    reader = member()
    thread = ThreadFactory(title="Worker thread")
    ThreadFollow.objects.create(user=reader, thread=thread)
    writer = member()
    for n in range(2):
        post_reply(user=writer, thread=thread, body_markdown=f"Post {n}")
    digests = DBTaskResult.objects.filter(task_path="community.tasks.send_notification_digest_task")
    assert digests.count() == 1

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",
        "SECRET_KEY": "worker-test-secret-key-" + "x" * 40,
        "EMAIL_URL": "console://",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TASKS_BACKEND": "database",  # the test run's own setting is "immediate"
    }
    proc = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert proc.returncode == 0, proc.stderr
    row = digests.get()
    assert (row.status, row.return_value) == ("SUCCESSFUL", 2)
    assert "2 new notifications" in proc.stdout
