"""Country filters list only the countries that have members or events, with counts, named in
the page's language; and on a phone the filter panel is one button."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import EventFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def _options(html: bytes, select_id: str) -> list[tuple[str, str]]:
    select = BeautifulSoup(html, "html.parser").find("select", id=select_id)
    return [(o["value"], o.get_text(strip=True)) for o in select.find_all("option")]


@pytest.fixture
def places():
    for country in ("SI", "SI", "ES"):
        ProfileFactory(country=country, visibility="public")
        EventFactory(country=country)
    ProfileFactory(country="FR", visibility="members")  # a visitor does not see this member
    EventFactory(country="")


def test_the_event_list_offers_the_countries_with_events_and_counts(client, places):
    assert _options(client.get("/events/").content, "f-country") == [
        ("", "Any country"),
        ("SI", "Slovenia (2)"),
        ("ES", "Spain (1)"),
    ]


def test_the_member_directory_counts_only_members_the_reader_may_see(client, places):
    assert _options(client.get("/members/").content, "id_country") == [
        ("", "Any country"),
        ("SI", "Slovenia (2)"),
        ("ES", "Spain (1)"),
    ]


def test_country_names_come_in_the_pages_language(client, places):
    client.cookies["django_language"] = "es"
    assert _options(client.get("/events/", HTTP_ACCEPT_LANGUAGE="es").content, "f-country")[1:] == [
        ("SI", "Eslovenia (2)"),
        ("ES", "España (1)"),
    ]


def test_a_chosen_country_without_members_still_shows_and_filters(client, places):
    response = client.get("/members/", {"country": "PT"})
    assert response.status_code == 200
    assert ("PT", "Portugal (0)") in _options(response.content, "id_country")


def test_the_filter_panel_is_one_button_that_opens_when_filters_are_applied(client, places):
    plain = BeautifulSoup(client.get("/events/").content, "html.parser").find("details", class_="filters-panel")
    assert (plain.find("summary").get_text(strip=True), plain.has_attr("open")) == ("Filters", False)
    filtered = BeautifulSoup(client.get("/events/", {"country": "SI"}).content, "html.parser")
    assert filtered.find("details", class_="filters-panel").has_attr("open")
