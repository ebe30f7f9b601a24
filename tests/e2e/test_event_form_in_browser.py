"""The event form's helpers in Chromium: room and track only for sessions, the zone following
the organiser until the person picks one (js/event-form.js), with the page's CSP in force."""

from __future__ import annotations

import pytest

from community.models import Role
from tests.e2e.browsers import CHROMIUM, NO_CHROMIUM, signed_in_context, wait_for_server
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]
pytest.importorskip("playwright.sync_api")


def test_room_and_track_follow_the_kind_and_the_zone_follows_the_organiser(server, sync_browser):
    madrid = OrganisationFactory(name="Colegio Madrid", country="ES")
    ljubljana = OrganisationFactory(name="Šola Ljubljana", country="SI")
    user = ProfileFactory().user
    for organisation in (madrid, ljubljana):
        MembershipFactory(organisation=organisation, user=user, role=Role.EDITOR)
    context = signed_in_context(sync_browser, server, user)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    wait_for_server(page, server)

    page.goto(f"{server}/events/new/?organiser={madrid.slug}")
    room = page.locator("input[name=room]")
    zone = page.locator("select[name=timezone]")
    hidden_for_event = room.is_hidden()
    page.select_option("select[name=kind]", "session")
    shown_for_session = room.is_visible()
    zone_at_start = zone.input_value()
    page.select_option("select[name=organiser]", str(ljubljana.pk))
    zone_after_organiser = zone.input_value()
    page.select_option("select[name=timezone]", "Europe/Lisbon")
    page.select_option("select[name=organiser]", str(madrid.pk))
    zone_after_choice = zone.input_value()
    context.close()

    assert (hidden_for_event, shown_for_session) == (True, True)
    assert (zone_at_start, zone_after_organiser, zone_after_choice) == (
        "Europe/Madrid",
        "Europe/Ljubljana",
        "Europe/Lisbon",
    )
    assert errors == []
