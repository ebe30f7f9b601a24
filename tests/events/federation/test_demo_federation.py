import pytest
from django.core.management import call_command

from events.models import Feed, ImportOutcome

pytestmark = pytest.mark.django_db


def test_demo_has_a_feed_with_runs_and_one_reported_error():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    feed = Feed.objects.get()
    outcomes = [run.outcome for run in feed.runs.order_by("started", "id")]
    assert outcomes == [ImportOutcome.IMPORTED, ImportOutcome.IMPORTED, ImportOutcome.PARTIAL]
    errors = [p for p in feed.runs.first().problems if p["level"] == "error"]
    assert [(p["uid"], p["property"]) for p in errors] == [("open-day@partner.example", "DTSTART")]
    assert feed.events.filter(removed_at__isnull=True).count() == 3
