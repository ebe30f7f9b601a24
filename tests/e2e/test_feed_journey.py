"""Journey 3 in Chromium: an organisation admin creates an API key and adds a calendar feed served
from 127.0.0.1; after the real task worker (``db_worker``) runs the polling round, the feed's
events are on ``/events/``, and the subscribe link gives a calendar that the suite's parsers
(icalendar, vobject) read with those events in it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import icalendar
import pytest
import vobject
from django.utils import timezone

from community.models import ApiKey, Role
from community.organisations import add_member
from events.models import Event, Feed
from tests.e2e.browsers import CHROMIUM, NO_CHROMIUM, ROOT, screenshot, server_environment
from tests.e2e.test_journeys import sign_in, signs_in_with_password
from tests.events.federation.conftest import Route, feed_server  # noqa: F401 - the 127.0.0.1 feed server
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]
pytest.importorskip("playwright.sync_api")


@pytest.fixture
def server_env() -> dict[str, str]:
    return {"FETCH_ALLOWED_HOSTS": "127.0.0.1"}  # the feed is served from this machine


def partner_calendar(titles: list[str]) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Partner university//EN")
    calendar.add("version", "2.0")
    start = (timezone.now() + dt.timedelta(days=10)).replace(microsecond=0, second=0, minute=0)
    for n, title in enumerate(titles):
        event = icalendar.Event()
        event.add("uid", f"partner-{n}@university.example")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", start + dt.timedelta(days=n))
        event.add("dtend", start + dt.timedelta(days=n, hours=2))
        event.add("summary", title)
        event.add("location", "Aula Magna")
        calendar.add_component(event)
    return calendar.to_ical()


def run_worker() -> None:
    """What production does: ``poll_feeds`` enqueues a polling round, the worker runs it."""
    # DEBUG off: with it the worker runs under the autoreloader and never exits.
    env = server_environment(TASKS_BACKEND="database", FETCH_ALLOWED_HOSTS="127.0.0.1", DEBUG="0")
    subprocess.run([sys.executable, "manage.py", "poll_feeds"], cwd=ROOT, env=env, check=True, timeout=120)
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--max-tasks", "1", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )


def test_organisation_admin_adds_a_key_and_a_feed_and_its_events_reach_the_calendar(
    server,
    sync_browser,
    feed_server,  # noqa: F811 - the fixture imported above
):
    titles = ["Open day for VET teachers", "Erasmus+ valorisation workshop"]
    feed_server.routes["/partner.ics"] = Route(body=partner_calendar(titles), headers={"Content-Type": "text/calendar"})
    organisation = OrganisationFactory(slug="uni-partner", name="Partner University")
    admin = signs_in_with_password(UserFactory(email="it@university.example"))
    ProfileFactory(user=admin, display_name="Uni Admin")
    add_member(organisation=organisation, user=admin, role=Role.ADMIN)

    page = (context := sync_browser.new_context()).new_page()
    sign_in(page, server, admin.email, f"/organisations/{organisation.slug}/api-keys/")
    page.locator("input[name=name]").fill("website sync")
    page.get_by_role("button", name="Create key").click()
    page.wait_for_load_state("load")
    assert ApiKey.objects.filter(organisation=organisation, name="website sync").count() == 1

    page.goto(f"{server}/organisations/{organisation.slug}/feeds/")
    page.locator("input[name=name]").fill("Our events")
    page.locator("[name=url]").fill(feed_server.url("/partner.ics"))
    page.get_by_role("button", name="Add feed").click()
    page.wait_for_load_state("load")
    screenshot(page, "feeds")
    assert Feed.objects.filter(organisation=organisation).count() == 1

    run_worker()
    assert sorted(Event.objects.filter(organiser=organisation).values_list("title", flat=True)) == sorted(titles)

    page.goto(server + "/events/")
    for title in titles:
        page.get_by_text(title).first.wait_for()
    subscribe = page.get_by_role("link", name="Subscribe to the shared calendar (iCal)")
    response = page.request.get(server + subscribe.get_attribute("href"))
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.body()
    parsed = icalendar.Calendar.from_ical(body)
    assert sorted(str(e["SUMMARY"]) for e in parsed.walk("VEVENT") if str(e["SUMMARY"]) in titles) == sorted(titles)
    card = vobject.readOne(body.decode())
    assert sorted(v.summary.value for v in card.vevent_list if v.summary.value in titles) == sorted(titles)
    context.close()
