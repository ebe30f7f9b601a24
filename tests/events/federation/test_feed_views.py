import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.models import Role
from events.federation.feeds import save_feed
from events.federation.imports import import_feed
from events.models import Feed, ImportRun
from tests.events.federation.conftest import Route
from tests.events.federation.factories_federation import FeedFactory, calendar, vevent
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    membership = MembershipFactory(role=Role.EDITOR)
    client.force_login(membership.user)
    return membership


def test_feed_list_is_forbidden_to_plain_members(client):
    membership = MembershipFactory(role=Role.MEMBER)
    client.force_login(membership.user)
    response = client.get(reverse("organisation-feeds", args=[membership.organisation.slug]))
    assert response.status_code == 403


def test_feed_add_refuses_a_private_address_and_keeps_what_was_typed(client, editor, settings):
    settings.FETCH_ALLOWED_HOSTS = []
    url = reverse("organisation-feeds", args=[editor.organisation.slug])
    response = client.post(
        url, {"name": "Intranet", "url": "http://10.0.0.5/cal.ics", "poll_minutes": "60", "is_active": "on"}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["url"]
    assert 'value="http://10.0.0.5/cal.ics"' in response.content.decode()
    assert Feed.objects.count() == 0


def test_feed_add_imports_at_once_and_shows_the_report(client, editor, feed_server, django_capture_on_commit_callbacks):
    feed_server.routes["/cal.ics"] = Route(calendar(vevent("a@p"), vevent("b@p", start="20270231T100000")))
    url = reverse("organisation-feeds", args=[editor.organisation.slug])
    form = {"name": "Partner", "url": feed_server.url("/cal.ics"), "poll_minutes": "30", "is_active": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form)
    feed = Feed.objects.get()
    run = ImportRun.objects.get()
    assert (feed.poll_interval.total_seconds(), run.created, run.failed) == (1800, 1, 1)
    page = client.get(reverse("organisation-feed", args=[editor.organisation.slug, feed.pk])).content.decode()
    assert "Imported, some events skipped" in page
    report = client.get(reverse("organisation-import-run", args=[editor.organisation.slug, run.pk])).content.decode()
    assert "<code>b@p</code>" in report
    assert "DTSTART" in report


def test_feed_poll_interval_below_fifteen_minutes_is_refused(editor):
    values = {"name": "x", "url": "https://93.184.216.34/c.ics", "poll_interval": dt.timedelta(minutes=5)}
    with pytest.raises(ValidationError) as info:
        save_feed(organisation=editor.organisation, values=values)
    assert list(info.value.message_dict) == ["poll_interval"]


def test_feed_of_another_organisation_is_not_found(client, editor):
    other = FeedFactory()
    for name in ("organisation-feed", "organisation-feed-refresh", "organisation-feed-delete"):
        response = client.post(reverse(name, args=[editor.organisation.slug, other.pk]))
        assert response.status_code == 404, name


def test_organisation_page_links_editors_to_feeds_and_last_run(client, editor, feed_server):
    feed_server.routes["/cal.ics"] = Route(calendar(vevent("a@p")))
    import_feed(feed=FeedFactory(organisation=editor.organisation, url=feed_server.url("/cal.ics")))
    page = client.get(editor.organisation.get_absolute_url()).content.decode()
    assert reverse("organisation-feeds", args=[editor.organisation.slug]) in page
    assert "Last import:" in page


def test_organisation_page_shows_no_feed_panel_to_visitors(client):
    organisation = OrganisationFactory()
    FeedFactory(organisation=organisation)
    client.force_login(UserFactory())
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert reverse("organisation-feeds", args=[organisation.slug]) not in page
