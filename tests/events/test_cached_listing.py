"""The upcoming list's cards, the filter panel and the month grid come from the cache under keys made of
everything they show: whatever changes after a first view — an edit, a rename, a new
theme, a new country, the language — shows at once, and a second view renders nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import EventFactory, OrganisationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def listing(client, query: str = "", **headers) -> str:
    response = client.get(f"/events/{query}", **headers)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<h1>") : html.index("</main>") if "</main>" in html else len(html)]


def cards(html: str) -> str:
    return html[html.index('class="event-day"') :]


def panel(html: str) -> str:
    return html[html.index('<details class="filters-panel"') : html.index("</details>")]


def test_a_second_view_renders_no_card_and_no_panel_and_says_the_same(client, monkeypatch):
    EventFactory(title="Teacher exchange")
    first = listing(client)

    def not_again(*args, **kwargs):
        raise AssertionError("a cached fragment was rendered again")

    monkeypatch.setattr("events.summary_cards.render_to_string", not_again)
    monkeypatch.setattr("events.page_fragments.render_to_string", not_again)
    second = listing(client)
    assert cards(second) == cards(first)
    assert panel(second) == panel(first)


def test_an_edited_event_shows_at_once(client):
    event = EventFactory(title="First title")
    listing(client)
    event.title = "Second title"
    event.save()
    shown = listing(client)
    assert "Second title" in shown
    assert "First title" not in shown


def test_a_moved_occurrence_shows_its_new_time_at_once(client):
    event = EventFactory(start=timezone.now() + dt.timedelta(days=3), timezone="UTC")
    listing(client)
    event.start = event.start.replace(hour=7, minute=45)
    event.end = event.start + dt.timedelta(hours=1)
    event.save()
    assert f'datetime="{event.start.isoformat()}"' in cards(listing(client))


def test_a_renamed_organiser_shows_at_once(client):
    organisation = OrganisationFactory(name="Old name")
    EventFactory(organiser=organisation)
    listing(client)
    organisation.name = "New name"
    organisation.save()
    shown = listing(client)
    assert "New name" in cards(shown)
    assert "Old name" not in shown


def test_each_language_gets_its_own_card(client):
    EventFactory(title="Weekly circle", rrule="FREQ=WEEKLY;COUNT=5")
    english = cards(listing(client, HTTP_ACCEPT_LANGUAGE="en"))
    spanish = cards(listing(client, HTTP_ACCEPT_LANGUAGE="es"))
    assert "Weekly" in english or "week" in english
    assert spanish != english
    assert "semana" in spanish.lower()


def test_a_new_theme_and_a_new_country_reach_the_panel_at_once(client):
    EventFactory(country="ES")
    before = panel(listing(client))
    assert "Slovenia" not in before
    ThemeFactory(slug="outdoor-learning", name="Outdoor learning")
    EventFactory(country="SI")
    after = panel(listing(client))
    assert "Outdoor learning" in after
    assert "Slovenia (1)" in after


def test_the_chosen_filter_is_selected_in_the_cached_panel(client):
    ThemeFactory(slug="inclusion", name="Inclusion")
    listing(client)
    shown = panel(listing(client, "?theme=inclusion"))
    assert '<option value="inclusion" selected>' in shown


def test_free_text_and_refused_values_are_not_kept(client, monkeypatch):
    from django.core.cache import cache

    stored = []
    original = cache.set
    monkeypatch.setattr(cache, "set", lambda key, *a, **kw: (stored.append(key), original(key, *a, **kw)))
    listing(client, "?q=robotics")
    client.get("/events/?theme=no-such-theme")
    assert not [key for key in stored if key.startswith("calendar-fragment:")]


def test_an_all_day_series_card_shows_the_date_of_the_occurrence_listed(client):
    from django.utils import translation
    from django.utils.formats import date_format

    today = timezone.now().astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    first = today - dt.timedelta(days=13)  # the next occurrence is tomorrow
    EventFactory(title="Open day", all_day=True, timezone="UTC", start=first, end=first + dt.timedelta(days=1),
                 rrule="FREQ=WEEKLY;COUNT=10")  # fmt: skip
    shown = cards(listing(client, HTTP_ACCEPT_LANGUAGE="en"))
    with translation.override("en"):
        listed, started = (date_format(day, "SHORT_DATE_FORMAT") for day in (today + dt.timedelta(days=1), first))
    assert listed in shown
    assert started not in shown


def month(client, when: str) -> str:
    html = client.get(f"/events/?view=month&month={when}").content.decode()
    return html[html.index('<table class="month-grid">') : html.index("</table>")]


def test_a_second_month_view_renders_nothing_and_a_new_event_shows_at_once(client, monkeypatch):
    start = dt.datetime(2030, 5, 6, 10, tzinfo=dt.UTC)
    EventFactory(title="Weekly", start=start, end=start + dt.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=3")
    first = month(client, "2030-05")

    def not_again(*args, **kwargs):
        raise AssertionError("a cached grid was rendered again")

    with monkeypatch.context() as patch:
        patch.setattr("events.page_fragments.render_to_string", not_again)
        assert month(client, "2030-05") == first
    EventFactory(title="Newcomer", start=start, end=start + dt.timedelta(hours=1))
    assert "Newcomer" in month(client, "2030-05")


def test_the_month_grid_follows_the_filters_and_the_language(client):
    start = dt.datetime(2030, 5, 6, 10, tzinfo=dt.UTC)
    ThemeFactory(slug="inclusion", name="Inclusion")
    EventFactory(title="Unthemed", start=start, end=start + dt.timedelta(hours=1))
    assert "Unthemed" in month(client, "2030-05")
    filtered = client.get("/events/?view=month&month=2030-05&theme=inclusion").content.decode()
    assert "Unthemed" not in filtered
    english = month(client, "2030-05")
    spanish = client.get("/events/?view=month&month=2030-05", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert english not in spanish
