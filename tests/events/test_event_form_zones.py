"""The event form: European zones first, a new event's zone starting as its organisation's,
room and track marked as belonging to sessions; the same in the front-end form and the admin."""

import json
import zoneinfo

import pytest

from community.models import Role
from events.forms import EventForm
from events.zones import ZONE_OF_COUNTRY, zone_choices, zone_for_country
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def editor_of(*organisations):
    user = ProfileFactory().user
    for organisation in organisations:
        MembershipFactory(organisation=organisation, user=user, role=Role.EDITOR)
    return user


def test_european_zones_come_first_and_every_zone_is_offered_once():
    (common_label, common), (rest_label, rest) = zone_choices()
    common_zones = [zone for zone, _label in common]
    every = [zone for zone, _label in common + rest]
    assert {"Europe/Ljubljana", "Europe/Madrid", "Europe/Lisbon", "UTC"} <= set(common_zones)
    assert "America/New_York" in every
    assert "America/New_York" not in common_zones
    assert len(every) == len(set(every))
    assert all(zoneinfo.ZoneInfo(zone) for zone in every)
    assert (str(common_label), str(rest_label)) == ("Common in Europe", "All time zones")


def test_every_listed_country_zone_exists():
    for country, zone in ZONE_OF_COUNTRY.items():
        assert zoneinfo.ZoneInfo(zone), country
    assert zone_for_country("si") == "Europe/Ljubljana"
    assert zone_for_country("JP") == zone_for_country(None) == "Europe/Brussels"


def test_a_new_events_zone_starts_as_its_single_organisations():
    user = editor_of(OrganisationFactory(country="SI"))
    assert EventForm(user=user).initial["timezone"] == "Europe/Ljubljana"


def test_a_chosen_organiser_sets_the_zone_and_the_select_knows_every_organisations(client):
    madrid, ljubljana = OrganisationFactory(country="ES"), OrganisationFactory(country="SI")
    user = editor_of(madrid, ljubljana)
    client.force_login(user)

    form = client.get(f"/events/new/?organiser={madrid.slug}").context["form"]

    assert form.initial["timezone"] == "Europe/Madrid"
    zones = json.loads(form.fields["organiser"].widget.attrs["data-zones"])
    assert zones == {str(madrid.pk): "Europe/Madrid", str(ljubljana.pk): "Europe/Ljubljana"}


def test_editing_keeps_the_events_own_zone(client):
    from tests.factories import EventFactory

    organisation = OrganisationFactory(country="SI")
    event = EventFactory(organiser=organisation, timezone="America/New_York")
    client.force_login(editor_of(organisation))
    form = client.get(f"/events/{event.pk}/edit/").context["form"]
    assert form["timezone"].value() == "America/New_York"


def test_room_and_track_are_marked_as_session_fields_on_both_forms(client):
    from events.forms import EventAdminForm

    html = EventForm(user=editor_of(OrganisationFactory()))
    assert html.fields["room"].widget.attrs["data-kinds"] == "session"
    assert html.fields["track"].widget.attrs["data-kinds"] == "session"
    assert "js/event-form.js" in str(html.media)
    assert "js/event-form.js" in str(EventAdminForm.Media.js)
