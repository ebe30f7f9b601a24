"""The import path end to end, from a real HTTP server on 127.0.0.1 to the calendar feed."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Role
from events.federation.imports import import_calendar, import_feed
from events.models import Event, ImportedBlock, ImportOutcome, ImportRun
from tests.events.federation.conftest import Route
from tests.events.federation.factories_federation import FeedFactory, calendar, vevent
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

THREE = [
    vevent("one@partner.org", summary="One"),
    vevent("two@partner.org", summary="Two"),
    vevent("three@partner.org"),
]


@pytest.fixture
def feed(feed_server):
    feed_server.routes["/cal.ics"] = Route(calendar(*THREE), headers={"ETag": '"v1"'})
    return FeedFactory(url=feed_server.url("/cal.ics"))


def _titles(organisation):
    return sorted(Event.objects.filter(organiser=organisation, removed_at__isnull=True).values_list("title", flat=True))


def test_import_feed_first_run_creates_events_visible_in_the_organisation_calendar(feed, client):
    theme = ThemeFactory()
    feed.default_themes.add(theme)
    run = import_feed(feed=feed)
    assert (run.outcome, run.created, run.http_status, run.events_in_source) == (ImportOutcome.IMPORTED, 3, 200, 3)
    assert _titles(feed.organisation) == ["One", "Two", "Workshop"]
    assert set(Event.objects.filter(feed=feed).values_list("origin", flat=True)) == {"feed"}
    assert Event.objects.filter(themes=theme).count() == 3
    body = client.get(f"/organisations/{feed.organisation.slug}/calendar.ics").getvalue().decode()
    assert body.count("BEGIN:VEVENT") == 3
    assert f"UID:o{feed.organisation_id}-two@partner.org" in body  # a partner's UID, per organisation


def test_import_feed_304_and_unchanged_body_write_nothing_in_at_most_three_queries(feed, feed_server):
    import_feed(feed=feed)
    with CaptureQueriesContext(connection) as queries:
        run = import_feed(feed=feed)
    assert (run.outcome, run.http_status, len(queries)) == (ImportOutcome.NOT_MODIFIED, 304, 2)
    feed_server.routes["/cal.ics"].headers = {}  # no validators: the body hash decides
    with CaptureQueriesContext(connection) as queries:
        run = import_feed(feed=feed)
    assert (run.outcome, run.blocks_parsed, len(queries)) == (ImportOutcome.UNCHANGED, 0, 2)


def test_import_feed_with_one_changed_event_parses_and_writes_only_that_one(feed, feed_server):
    import_feed(feed=feed)
    before = dict(Event.objects.values_list("uid", "updated"))
    changed = [THREE[0], vevent("two@partner.org", summary="Two, moved", extra="SEQUENCE:1"), THREE[2]]
    feed_server.routes["/cal.ics"] = Route(calendar(*changed), headers={"ETag": '"v2"'})
    run = import_feed(feed=feed)
    assert (run.outcome, run.blocks_parsed, run.updated, run.unchanged, run.created) == (
        ImportOutcome.IMPORTED,
        1,
        1,
        2,
        0,
    )
    after = dict(Event.objects.values_list("uid", "updated"))
    assert [uid for uid in after if after[uid] != before[uid]] == ["two@partner.org"]
    assert _titles(feed.organisation) == ["One", "Two, moved", "Workshop"]


def test_import_feed_event_gone_is_removed_not_deleted_and_restored_when_back(feed, feed_server):
    import_feed(feed=feed)
    feed_server.routes["/cal.ics"] = Route(calendar(THREE[0], THREE[2]))
    run = import_feed(feed=feed)
    gone = Event.objects.get(uid="two@partner.org")
    assert (run.removed, gone.removed_at is not None, _titles(feed.organisation)) == (1, True, ["One", "Workshop"])
    feed_server.routes["/cal.ics"] = Route(calendar(*THREE))
    run = import_feed(feed=feed)
    assert (run.updated, run.removed, _titles(feed.organisation)) == (1, 0, ["One", "Two", "Workshop"])


def test_import_feed_fetch_failure_changes_nothing_and_counts_the_failure(feed, feed_server):
    import_feed(feed=feed)
    feed_server.routes["/cal.ics"] = Route(b"oops", status=500)
    run = import_feed(feed=feed)
    feed.refresh_from_db()
    assert (run.outcome, run.http_status, feed.consecutive_failures) == (ImportOutcome.FAILED, 500, 1)
    assert _titles(feed.organisation) == ["One", "Two", "Workshop"]
    assert feed.next_poll_at == run.finished + feed.poll_interval


def test_import_feed_html_page_is_refused_with_advice(feed, feed_server):
    feed_server.routes["/cal.ics"] = Route(b"<!DOCTYPE html><html><body>Google Calendar</body></html>")
    run = import_feed(feed=feed)
    assert run.outcome == ImportOutcome.FAILED
    assert run.message.startswith("The address answered with a web page, not a calendar.")


def test_import_feed_broken_event_is_reported_and_the_rest_imported_and_kept(feed, feed_server):
    import_feed(feed=feed)
    broken = vevent("two@partner.org", start="20270231T100000")  # 31 February
    feed_server.routes["/cal.ics"] = Route(calendar(THREE[0], broken, THREE[2], vevent("four@partner.org")))
    run = import_feed(feed=feed)
    assert (run.outcome, run.created, run.failed, run.removed) == (ImportOutcome.PARTIAL, 1, 1, 0)
    (problem,) = [p for p in run.problems if p["level"] == "error"]
    assert (problem["position"], problem["uid"], problem["property"], problem["kind"]) == (
        2,
        "two@partner.org",
        "DTSTART",
        "bad_value",
    )
    assert Event.objects.get(uid="two@partner.org").removed_at is None


def test_import_override_before_its_master_is_attached_to_it(feed, feed_server):
    override = vevent(
        "series@partner.org",
        start="20270317T120000",
        end="20270317T130000",
        extra="RECURRENCE-ID;TZID=Europe/Madrid:20270317T100000",
    )
    master = vevent("series@partner.org", extra="RRULE:FREQ=WEEKLY;COUNT=4")
    feed_server.routes["/cal.ics"] = Route(calendar(override, master))
    run = import_feed(feed=feed)
    master_row = Event.objects.get(uid="series@partner.org", recurrence_id__isnull=True)
    override_row = Event.objects.get(uid="series@partner.org", recurrence_id__isnull=False)
    assert (run.created, override_row.series_id) == (2, master_row.pk)
    assert master_row.series_end == dt.datetime(2027, 3, 31, 10, tzinfo=dt.UTC)


def test_import_older_sequence_never_overwrites_a_newer_version(feed, feed_server):
    feed_server.routes["/cal.ics"] = Route(calendar(vevent("one@partner.org", summary="New", extra="SEQUENCE:3")))
    import_feed(feed=feed)
    feed_server.routes["/cal.ics"] = Route(calendar(vevent("one@partner.org", summary="Old", extra="SEQUENCE:2")))
    run = import_feed(feed=feed)
    assert (run.updated, run.unchanged, Event.objects.get(uid="one@partner.org").title) == (0, 1, "New")
    assert [p["kind"] for p in run.problems] == ["stale_version"]


def test_import_another_organisations_uid_never_matches(feed):
    other = EventFactory(uid="one@partner.org", title="Theirs")
    run = import_feed(feed=feed)
    other.refresh_from_db()
    assert (run.created, run.failed, other.title, other.organiser_id != feed.organisation_id) == (3, 0, "Theirs", True)
    assert Event.objects.filter(uid="one@partner.org").count() == 2  # identity is (organisation, UID)


def test_import_cancelled_event_counts_as_cancelled(feed, feed_server):
    import_feed(feed=feed)
    cancelled = vevent("one@partner.org", summary="One", extra="STATUS:CANCELLED\nSEQUENCE:1")
    feed_server.routes["/cal.ics"] = Route(calendar(cancelled, THREE[1], THREE[2]))
    run = import_feed(feed=feed)
    assert (run.cancelled, run.updated, Event.objects.get(uid="one@partner.org").status) == (1, 0, "cancelled")


def test_import_calendar_upload_never_removes(feed):
    import_feed(feed=feed)
    run = import_calendar(organisation=feed.organisation, body=calendar(THREE[0]), source="upload")
    assert (run.unchanged, run.removed, len(_titles(feed.organisation))) == (1, 0, 3)


def test_import_feed_ten_failures_pause_the_feed_and_email_its_admins(feed, feed_server, settings):
    admin = UserFactory(email="admin@partner.org")
    MembershipFactory(organisation=feed.organisation, user=admin, role=Role.ADMIN)
    MembershipFactory(organisation=feed.organisation, role=Role.MEMBER)
    feed_server.routes["/cal.ics"] = Route(b"", status=503)
    for _attempt in range(settings.FEED_MAX_FAILURES):
        import_feed(feed=feed)
    feed.refresh_from_db()
    assert (feed.consecutive_failures, feed.is_paused, feed.state) == (10, True, "paused")
    assert [m.to for m in mail.outbox] == [["admin@partner.org"]]


def test_import_feed_command_with_a_file_prints_the_summary_table(tmp_path, capsys):
    organisation = OrganisationFactory(slug="partner")
    path = tmp_path / "cal.ics"
    path.write_bytes(calendar(*THREE))
    call_command("import_feed", str(path), "--organisation", "partner")
    out = capsys.readouterr().out
    assert "outcome           Imported" in out
    assert "created           3" in out
    assert ImportRun.objects.get().organisation == organisation


def test_import_blocks_are_recorded_for_each_row(feed):
    import_feed(feed=feed)
    assert ImportedBlock.objects.filter(feed=feed).count() == 3


def test_import_feed_failed_parse_keeps_the_old_validators_so_the_next_poll_tries_again(feed, feed_server):
    feed_server.routes["/cal.ics"] = Route(b"<html>maintenance</html>", headers={"ETag": '"broken"'})
    run = import_feed(feed=feed)
    feed.refresh_from_db()
    assert (run.outcome, feed.etag, feed.body_hash) == (ImportOutcome.FAILED, "", "")
    feed_server.routes["/cal.ics"] = Route(calendar(*THREE), headers={"ETag": '"broken"'})
    assert import_feed(feed=feed).created == 3


def test_imported_and_updated_events_are_found_by_keyword_search(feed, feed_server):
    # The calendar's keyword filter and the site search read the folded search_text: the bulk
    # writers must store it as save() does, on create and on update.
    from community.folding import matches_every_word

    def found(words):
        return sorted(Event.objects.filter(matches_every_word(words)).values_list("uid", flat=True))

    import_feed(feed=feed)
    assert found("two") == ["two@partner.org"]
    changed = [THREE[0], vevent("two@partner.org", summary="Dos, Añadido", extra="SEQUENCE:1"), THREE[2]]
    feed_server.routes["/cal.ics"] = Route(calendar(*changed), headers={"ETag": '"v2"'})
    import_feed(feed=feed)
    assert found("anadido dos") == ["two@partner.org"]
    assert found("two") == []
