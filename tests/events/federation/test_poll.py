import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.federation.poll import claim_due_feeds, next_poll_after_failure
from events.models import ImportRun
from events.tasks import poll_feeds_task
from tests.events.federation.conftest import Route
from tests.events.federation.factories_federation import FeedFactory, calendar, vevent

pytestmark = pytest.mark.django_db


def test_claim_due_feeds_claims_each_due_feed_once():
    now = timezone.now()
    due = FeedFactory(next_poll_at=now - dt.timedelta(minutes=1))
    new = FeedFactory(next_poll_at=None)
    later = FeedFactory(next_poll_at=now + dt.timedelta(minutes=5))
    FeedFactory(is_active=False)
    FeedFactory(paused_at=now)
    assert sorted(claim_due_feeds(now=now)) == sorted([due.pk, new.pk])
    assert claim_due_feeds(now=now) == []
    # An hour on, the claims have expired (a worker died) and the third feed is due too.
    assert sorted(claim_due_feeds(now=now + dt.timedelta(hours=1))) == sorted([due.pk, new.pk, later.pk])


@pytest.mark.parametrize(("failures", "minutes"), [(1, 60), (2, 120), (3, 240), (5, 960), (6, 1440), (9, 1440)])
def test_next_poll_after_failure_backs_off_exponentially_up_to_a_day(failures, minutes):
    assert next_poll_after_failure(interval=dt.timedelta(hours=1), failures=failures) == dt.timedelta(minutes=minutes)


def test_poll_feeds_task_imports_due_feeds_and_schedules_them_again(feed_server):
    feed_server.routes["/cal.ics"] = Route(calendar(vevent("a@p")))
    feed = FeedFactory(url=feed_server.url("/cal.ics"))
    FeedFactory(url=feed_server.url("/cal.ics"), next_poll_at=timezone.now() + dt.timedelta(hours=1))
    assert poll_feeds_task.call() == 1
    feed.refresh_from_db()
    run = ImportRun.objects.get()
    assert (run.feed_id, run.source, run.created) == (feed.pk, "poll", 1)
    assert (feed.next_poll_at, feed.claimed_until) == (run.finished + feed.poll_interval, None)
    assert poll_feeds_task.call() == 0


def test_poll_feeds_command_runs_a_round_or_starts_the_chain(capsys):
    call_command("poll_feeds", "--now")
    call_command("poll_feeds")
    assert capsys.readouterr().out.splitlines() == ["Imported 0 due feed(s).", "Feed polling started."]
