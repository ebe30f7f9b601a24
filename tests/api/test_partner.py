"""The partner API: create-or-update by UID, per-key scope, uploads, feeds, errors as problems."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from api.permissions import PartnerKeyThrottle
from community.models import ApiKey, Organisation
from community.organisations import create_api_key
from events.models import Event, Feed, ImportRun, PendingUpload
from tests.events.federation.conftest import Route, feed_server  # noqa: F401 - the 127.0.0.1 feed server fixture
from tests.events.federation.factories_federation import FeedFactory, calendar, vevent
from tests.factories import EventFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

EVENT = {
    "uid": "abc123xyz@google.com",
    "title": "Valorisation day",
    "description": '<p onclick="x()">Hello <script>alert(1)</script><b>all</b></p>',
    "start": "2027-03-10T10:00:00+01:00",
    "end": "2027-03-10T12:00:00+01:00",
    "timezone": "Europe/Madrid",
}


@pytest.fixture
def partner():
    organisation = OrganisationFactory()
    _key, secret = create_api_key(organisation=organisation)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.organisation = organisation
    return client


def _detail(uid: str) -> str:
    return f"/api/v1/partner/events/{quote(uid, safe='')}/"


def test_partner_create_then_update_by_uid(partner):
    created = partner.post("/api/v1/partner/events/", EVENT, format="json")
    assert created.status_code == 201
    body = created.json()
    assert {
        k: body[k]
        for k in ("uid", "title", "description", "start", "end", "all_day", "timezone", "status", "sequence", "origin")
    } == {
        "uid": "abc123xyz@google.com",
        "title": "Valorisation day",
        "description": "<p>Hello <b>all</b></p>",
        "start": "2027-03-10T10:00:00+01:00",
        "end": "2027-03-10T12:00:00+01:00",
        "all_day": False,
        "timezone": "Europe/Madrid",
        "status": "confirmed",
        "sequence": 0,
        "origin": "api",
    }
    assert body["html_url"] == f"http://testserver/events/{body['id']}/"
    updated = partner.post("/api/v1/partner/events/", {**EVENT, "title": "Moved"}, format="json")
    assert (updated.status_code, updated.json()["sequence"], updated.json()["id"]) == (200, 1, body["id"])
    same = partner.post("/api/v1/partner/events/", {**EVENT, "title": "Moved"}, format="json")
    assert (same.status_code, same.json()["sequence"]) == (200, 1)


def test_partner_stale_sequence_answers_409_problem(partner):
    partner.post("/api/v1/partner/events/", {**EVENT, "sequence": 5}, format="json")
    response = partner.post("/api/v1/partner/events/", {**EVENT, "title": "Old", "sequence": 4}, format="json")
    assert (response.status_code, response["Content-Type"]) == (409, "application/problem+json")
    assert Event.objects.get().title == "Valorisation day"


@pytest.mark.parametrize("uid", ["abc123xyz@google.com", "a/b/c@x.org", "with space@x.org", "dots.and-dashes_1"])
def test_partner_get_patch_delete_by_percent_encoded_uid(partner, uid):
    partner.post("/api/v1/partner/events/", {**EVENT, "uid": uid}, format="json")
    assert partner.get(_detail(uid)).json()["uid"] == uid
    patched = partner.patch(_detail(uid), {"title": "Patched"}, format="json")
    assert (patched.status_code, patched.json()["title"], patched.json()["sequence"]) == (200, "Patched", 1)
    assert partner.delete(_detail(uid)).status_code == 204
    assert partner.get(_detail(uid)).status_code == 404
    assert Event.objects.get(uid=uid).removed_at is not None


def test_partner_invalid_fields_are_named_in_the_problem(partner):
    bad = {**EVENT, "timezone": "Mars/Olympus", "end": "2027-03-10T08:00:00+01:00", "url": "javascript:alert(1)"}
    response = partner.post("/api/v1/partner/events/", bad, format="json")
    assert (response.status_code, sorted(response.json()["errors"])) == (400, ["end", "timezone", "url"])


def test_partner_bulk_lands_the_valid_items_and_reports_each(partner):
    items = [EVENT, {**EVENT, "uid": "two@x"}, {"uid": "bad@x"}, {**EVENT, "uid": "two@x", "sequence": 0}]
    partner.post("/api/v1/partner/events/", {**EVENT, "uid": "two@x", "sequence": 3}, format="json")
    response = partner.post("/api/v1/partner/events/bulk/", items, format="json")
    assert [(r["index"], r["status"]) for r in response.json()["results"]] == [(0, 201), (1, 200), (2, 400), (3, 409)]
    assert Event.objects.count() == 2


def test_partner_ics_upload_is_queued_for_the_worker_and_its_run_holds_the_report(
    partner, django_capture_on_commit_callbacks
):
    body = calendar(vevent("a@p"), vevent("b@p", start="20270231T100000"))
    with django_capture_on_commit_callbacks() as queued:
        response = partner.post("/api/v1/partner/ics/", body, content_type="text/calendar")
    waiting = response.json()
    assert (response.status_code, waiting["outcome"], waiting["created"]) == (202, "queued", 0)
    assert response["Location"] == f"/api/v1/partner/runs/{waiting['id']}/"
    assert not Event.objects.filter(uid="a@p").exists()  # nothing imported in the web request

    for callback in queued:  # the commit hands the run to the worker
        callback()
    report = partner.get(response["Location"]).json()

    assert (report["created"], report["failed"], report["outcome"]) == (1, 1, "partial")
    assert [(p["position"], p["uid"], p["property"]) for p in report["problems"]] == [(2, "b@p", "DTSTART")]
    assert Event.objects.filter(uid="a@p").exists()
    assert not PendingUpload.objects.exists()


def test_a_queued_upload_delivered_twice_is_imported_once(partner, django_capture_on_commit_callbacks):
    from events.tasks import import_upload_task

    with django_capture_on_commit_callbacks(execute=True):
        run_id = partner.post("/api/v1/partner/ics/", calendar(vevent("a@p")), content_type="text/calendar").json()[
            "id"
        ]
    assert import_upload_task.call(run_id) == ""
    assert Event.objects.filter(uid="a@p").count() == 1


def test_another_organisations_run_is_a_404(partner):
    other = ImportRun.objects.create(organisation=OrganisationFactory(), source="upload", outcome="imported")
    assert partner.get(f"/api/v1/partner/runs/{other.pk}/").status_code == 404


def test_partner_ics_upload_errors(partner, settings):
    not_calendar = partner.post("/api/v1/partner/ics/", b"<html></html>", content_type="text/calendar")
    assert (not_calendar.status_code, not_calendar.json()["errors"]) == (
        400,
        {"body": ["This is not an iCalendar file: it must start with BEGIN:VCALENDAR."]},
    )
    assert partner.post("/api/v1/partner/ics/", {"a": 1}, format="json").status_code == 415
    settings.FEED_MAX_BYTES = 100
    assert (
        partner.post("/api/v1/partner/ics/", calendar(vevent("a@p")), content_type="text/calendar").status_code == 413
    )


def test_partner_feeds_add_change_refresh_runs_and_remove(partner, feed_server, django_capture_on_commit_callbacks):  # noqa: F811
    feed_server.routes["/cal.ics"] = Route(calendar(vevent("a@p")))
    created = partner.post(
        "/api/v1/partner/feeds/", {"name": "Main", "url": feed_server.url("/cal.ics")}, format="json"
    )
    assert created.status_code == 201
    feed_id = created.json()["id"]
    changed = partner.patch(f"/api/v1/partner/feeds/{feed_id}/", {"poll_interval_minutes": 30}, format="json")
    assert changed.json()["poll_interval_minutes"] == 30
    assert (
        partner.patch(f"/api/v1/partner/feeds/{feed_id}/", {"poll_interval_minutes": 5}, format="json").status_code
        == 400
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert partner.post(f"/api/v1/partner/feeds/{feed_id}/refresh/").status_code == 202
    runs = partner.get(f"/api/v1/partner/feeds/{feed_id}/runs/").json()
    assert [run["created"] for run in runs][-1:] == [1]
    assert partner.delete(f"/api/v1/partner/feeds/{feed_id}/").status_code == 204
    assert Feed.objects.count() == 0


def test_partner_feed_with_private_address_is_refused_when_saved(partner, settings):
    settings.FETCH_ALLOWED_HOSTS = []
    response = partner.post("/api/v1/partner/feeds/", {"name": "x", "url": "http://169.254.169.254/"}, format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["url"])


def test_partner_another_organisations_objects_answer_404_on_every_endpoint_and_method(partner):
    theirs = EventFactory(uid="theirs@other.org")
    their_feed = FeedFactory(organisation=theirs.organiser)
    ImportRun.objects.create(organisation=theirs.organiser, feed=their_feed, source="poll", outcome="imported")
    matrix = [
        ("get", _detail(theirs.uid), None),
        ("patch", _detail(theirs.uid), {"title": "Mine now"}),
        ("delete", _detail(theirs.uid), None),
        ("get", f"/api/v1/partner/feeds/{their_feed.pk}/", None),
        ("patch", f"/api/v1/partner/feeds/{their_feed.pk}/", {"name": "Mine"}),
        ("delete", f"/api/v1/partner/feeds/{their_feed.pk}/", None),
        ("post", f"/api/v1/partner/feeds/{their_feed.pk}/refresh/", None),
        ("get", f"/api/v1/partner/feeds/{their_feed.pk}/runs/", None),
    ]
    answers = [
        (method, url, getattr(partner, method)(url, data, format="json").status_code) for method, url, data in matrix
    ]
    assert answers == [(method, url, 404) for method, url, _data in matrix]
    theirs.refresh_from_db()
    their_feed.refresh_from_db()
    assert (theirs.title, theirs.removed_at, their_feed.name) == (theirs.title, None, their_feed.name)
    assert partner.get("/api/v1/partner/events/").json() == []
    assert partner.get("/api/v1/partner/feeds/").json() == []


def test_partner_cannot_take_over_another_organisations_uid(partner):
    theirs = EventFactory(uid="shared@x.org", title="Theirs")
    response = partner.post("/api/v1/partner/events/", {**EVENT, "uid": "shared@x.org"}, format="json")
    assert response.status_code == 201  # its own event with that UID: identity is (organisation, UID)
    theirs.refresh_from_db()
    assert (theirs.title, Event.objects.filter(uid="shared@x.org").count()) == ("Theirs", 2)


def test_partner_without_key_or_with_revoked_or_expired_key_is_401():
    client = APIClient()
    assert client.get("/api/v1/partner/events/").status_code == 401
    organisation = OrganisationFactory()
    key, secret = create_api_key(organisation=organisation)
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get("/api/v1/partner/events/")
    assert (response.status_code, response["Content-Type"]) == (401, "application/problem+json")
    key, secret = create_api_key(organisation=organisation)
    ApiKey.objects.filter(pk=key.pk).update(expires_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/partner/events/").status_code == 401


def test_partner_key_records_last_use(partner):
    partner.get("/api/v1/partner/events/")
    assert ApiKey.objects.get().last_used is not None


def test_partner_throttle_per_key_answers_429(partner, settings):
    cache.clear()
    PartnerKeyThrottle.THROTTLE_RATES = {**PartnerKeyThrottle.THROTTLE_RATES, "partner": "3/min"}
    try:
        codes = [partner.get("/api/v1/partner/events/").status_code for _ in range(4)]
    finally:
        PartnerKeyThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        cache.clear()
    assert codes == [200, 200, 200, 429]


def test_create_partner_prints_the_key_alone_on_the_last_line(capsys):
    call_command("create_partner", "uv-partner", "--name", "University of Valencia", "--admin-email", "Admin@UV.es")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    organisation = Organisation.objects.get(slug="uv-partner")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/partner/events/").status_code == 200
    assert list(organisation.memberships.values_list("user__email", "role")) == [("admin@uv.es", "admin")]


def test_partner_write_to_an_unknown_path_is_a_404_problem_not_a_csrf_page(partner):
    response = partner.patch("/api/v1/partner/feeds/not-a-number/", {"name": "x"}, format="json")
    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "2250-03-10T10:00:00+01:00", "end": "2250-03-10T12:00:00+01:00"}, ["start", "end"]),
        ({"rrule": "FREQ=SOMETIMES"}, ["rrule"]),
        ({"uid": "0b3c5f1e-8d2a-4c7b-9f00-1234567890ab@praxis"}, ["uid"]),
    ],
)
def test_partner_api_refuses_what_the_event_core_refuses_naming_the_field(partner, change, field):
    response = partner.post("/api/v1/partner/events/", {**EVENT, **change}, format="json")
    assert (response.status_code, response["Content-Type"]) == (400, "application/problem+json")
    assert list(response.json()["errors"]) == field
    assert not Event.objects.exists()
